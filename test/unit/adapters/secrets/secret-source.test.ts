import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SecretsManagerSource } from '../../../../shared/adapters/secrets/secret-source';
import { ConfigError } from '../../../../shared/domain/errors';

/** A Secrets Manager endpoint that counts GetSecretValue requests by secret and answers after a pause. */
const asked = new Map<string, number>();
const values: Record<string, string> = { 'overlap-key': 'k1', 'later-key': 'k2', 'empty-key': '' };
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const id = (JSON.parse(body) as { SecretId: string }).SecretId;
      asked.set(id, (asked.get(id) ?? 0) + 1);
      setTimeout(() => {
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        if (!(id in values)) {
          response.statusCode = 400;
          response.end(
            JSON.stringify({ __type: 'ResourceNotFoundException', message: "can't find the secret" }),
          );
          return;
        }
        response.end(JSON.stringify({ Name: id, SecretString: values[id] }));
      }, 30);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Read by Powertools' default client when it is first built, at this file's first read.
  vi.stubEnv(
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  );
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('SecretsManagerSource', () => {
  it('answers overlapping reads of one secret with one request', async () => {
    const source = new SecretsManagerSource();
    const read = await Promise.all(Array.from({ length: 10 }, () => source.getSecret('overlap-key')));
    expect(read).toEqual(Array(10).fill('k1'));
    expect(asked.get('overlap-key')).toBe(1);
  });

  it('answers a read after the first from the cache', async () => {
    const source = new SecretsManagerSource();
    expect(await source.getSecret('later-key')).toBe('k2');
    expect(await source.getSecret('later-key')).toBe('k2');
    expect(asked.get('later-key')).toBe(1);
  });

  it('refuses an empty secret with a ConfigError naming it', async () => {
    const source = new SecretsManagerSource();
    await expect(source.getSecret('empty-key')).rejects.toThrow(ConfigError);
    await expect(source.getSecret('empty-key')).rejects.toThrow(/empty-key/);
  });

  it('asks again after a failed read: a failure is not kept', async () => {
    const source = new SecretsManagerSource();
    await expect(
      Promise.all([source.getSecret('missing-key'), source.getSecret('missing-key')]),
    ).rejects.toThrow();
    expect(asked.get('missing-key')).toBe(1);
    await expect(source.getSecret('missing-key')).rejects.toThrow();
    expect(asked.get('missing-key')).toBe(2);
  });
});
