import { execFileSync } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulators } from '../../../local/emulators';
import { type Platform, startPlatform } from '../../../local/platform';
import { type EnvKey, readConfig } from '../../../shared/config';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** DynamoDB Local processes started by this test worker (the shared ones belong to vitest's main process). */
function ownJavaProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'DynamoDBLocal'])
      .toString()
      .trim()
      .split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const anyPorts = {
  apiPort: 0,
  sesPort: 0,
  kavenegarPort: 0,
  dynamodbPort: 0,
  sqsPort: 0,
  secretsPort: 0,
  cognitoPort: 0,
};

describe('local platform lifecycle', () => {
  let platform: Platform | undefined;
  afterEach(async () => {
    await platform?.end();
    platform = undefined;
    vi.restoreAllMocks();
  });

  it("stops every emulator, DynamoDB Local's Java process included", async () => {
    // Prepare
    const emulators = await startEmulators({
      dynamodbPort: 0,
      sqsPort: 0,
      sesPort: 0,
      secretsPort: 0,
      cognitoPort: 0,
    });
    const { dynamodbPid } = emulators.endpoints;
    expect(isAlive(dynamodbPid)).toBe(true);

    // Act
    await emulators.end();

    // Assess
    expect(isAlive(dynamodbPid)).toBe(false);
    expect(ownJavaProcesses()).toEqual([]);
    await expect(fetch(`${emulators.endpoints.secretsManager}/`)).rejects.toThrow();
    await expect(fetch(`${emulators.endpoints.cognito.url}/health`)).rejects.toThrow();
  });

  it('starts on free ports, answers /health, configures functions and stops cleanly', async () => {
    // Prepare: no handler module is needed; the scheduler's failing runs only log.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = process.env.CHAPAR_PUBLIC_BASE_URL;

    // Act
    // Functions log at WARN when nothing asks for a level, as with `npm start` (the test project sets one).
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    delete process.env.POWERTOOLS_LOG_LEVEL;
    platform = await startPlatform({
      ...anyPorts,
      env: { CHAPAR_KAVENEGAR_API_KEY: 'sim-key' },
    });
    const health = await fetch(`${platform.apiUrl}/health`);
    const config = readConfig([
      'CHAPAR_PUBLIC_BASE_URL',
      'KAVENEGAR_BASE_URL',
      'SMS_QUEUE_URL',
    ] satisfies EnvKey[]);
    const simulator = await fetch(`${platform.kavenegarUrl}/v1/sim-key/account/info.json`);
    const pid = platform.endpoints.dynamodbPid;
    await platform.end();
    if (level !== undefined) process.env.POWERTOOLS_LOG_LEVEL = level;

    // Assess
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(config.CHAPAR_PUBLIC_BASE_URL).toBe(platform.apiUrl);
    expect(config.KAVENEGAR_BASE_URL).toBe(platform.kavenegarUrl);
    expect(config.SMS_QUEUE_URL.startsWith(platform.endpoints.sqs)).toBe(true);
    expect(platform.env.POWERTOOLS_LOG_LEVEL).toBe('WARN');
    expect(simulator.status).toBe(200);
    expect(isAlive(pid)).toBe(false);
    expect(process.env.CHAPAR_PUBLIC_BASE_URL).toBe(before);
  });

  it('stops what it started when a later emulator cannot start', async () => {
    // Prepare: something already listens where the Secrets Manager emulator should.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const takenPort = (holder.address() as AddressInfo).port;

    // Act
    const attempt = startPlatform({ ...anyPorts, quiet: true, secretsPort: takenPort });

    // Assess
    await expect(attempt).rejects.toThrow(/Secrets Manager emulator could not listen/);
    expect(ownJavaProcesses()).toEqual([]);
    holder.close();
  });
});
