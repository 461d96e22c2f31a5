import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { userPool } from '../shared/definitions';
import { findFreePort, watchChild } from './child-process';

/** How to start cognito-local. */
export interface CognitoOptions {
  /** Default '127.0.0.1'; also the issuer's host. */
  host?: string;
  /** Default 9229; 0 = any free port. */
  port?: number;
  /** Region of the SDK client that sets the pool up. Default 'us-east-1'. */
  region?: string;
  /** The first admin, created at start with a permanent password, in the `admin` group. */
  admin: { readonly email: string; readonly password: string };
  /** Milliseconds to wait for the first answer. Default 30,000. */
  startTimeoutMs?: number;
}

/** A running cognito-local with Chapar's pool, console client and role groups. */
export interface CognitoEmulator {
  /** e.g. `http://127.0.0.1:9229`, the value of AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
  readonly url: string;
  readonly port: number;
  readonly userPoolId: string;
  readonly clientId: string;
  /** `<url>/<userPoolId>`: the `iss` of its tokens; its JWKS is at `/.well-known/jwks.json` below it. */
  readonly issuer: string;
  /** Its data folder (a fresh temp folder), removed by end(). */
  readonly dataDir: string;
  /** Kills the process, waits for it, and removes its data folder; safe to call twice. */
  end(): Promise<void>;
}

const KILL_GRACE_MS = 3_000;
const require = createRequire(import.meta.url);

/**
 * Starts cognito-local (npm package, its own Node process) with its data in a fresh temp folder,
 * then creates the user pool (email as username), the console's app client (no secret), the
 * groups of shared/definitions/user-pool.ts and the first admin.
 * @throws Error naming the cause: port taken, or no answer in time.
 */
export async function start(options: CognitoOptions): Promise<CognitoEmulator> {
  const host = options.host ?? '127.0.0.1';
  const requested = options.port ?? 9229;
  // cognito-local writes its issuer from PORT, so the port must be known before it starts.
  const port = requested === 0 ? await findFreePort(host) : requested;
  const url = `http://${host}:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'chapar-cognito-'));
  const child = spawn(process.execPath, [require.resolve('cognito-local/lib/bin/start.js')], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(port), HOST: host, DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchChild(child, KILL_GRACE_MS);
  let ended: Promise<void> | undefined;
  const end = (): Promise<void> => {
    ended ??= (async () => {
      await watched.stop();
      await rm(dataDir, { recursive: true, force: true });
    })();
    return ended;
  };

  try {
    await waitUntilReady(child, url, watched.output, options.startTimeoutMs ?? 30_000);
    // Its request log is drained from now on, never kept.
    watched.drain();
    const pool = await createPool(url, options);
    return { url, port, ...pool, issuer: `${url}/${pool.userPoolId}`, dataDir, end };
  } catch (error) {
    await end();
    throw error;
  }
}

async function createPool(
  endpoint: string,
  options: CognitoOptions,
): Promise<{ userPoolId: string; clientId: string }> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { UserPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: userPool.id,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
      }),
    );
    const userPoolId = UserPool?.Id;
    if (!userPoolId) throw new Error('cognito-local created no user pool');
    const { UserPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: userPool.clientId,
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = UserPoolClient?.ClientId;
    if (!clientId) throw new Error('cognito-local created no app client');
    for (const group of userPool.groups) {
      await client.send(
        new CreateGroupCommand({
          UserPoolId: userPoolId,
          GroupName: group.name,
          Precedence: group.precedence,
          Description: group.description,
        }),
      );
    }
    const { email, password } = options.admin;
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    const username = User?.Username ?? email;
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    await client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: 'admin' }),
    );
    return { userPoolId, clientId };
  } finally {
    client.destroy();
  }
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const failure = new Promise<never>((_, reject) => {
    child.once('close', (code, signal) => {
      const text = output();
      reject(
        new Error(
          text.includes('EADDRINUSE')
            ? `cognito-local cannot use ${url}: the port is already in use (another \`npm start\`?)`
            : `cognito-local exited before answering (code ${code}, signal ${signal}):\n${text}`,
        ),
      );
    });
  });
  const giveUp = new AbortController();
  failure.catch(() => giveUp.abort());
  await Promise.race([failure, probe(url, timeoutMs, giveUp.signal)]);
}

async function probe(url: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted) {
    try {
      const answer = await fetch(`${url}/health`, { signal });
      if (answer.ok) return;
    } catch (error) {
      if (signal.aborted) return;
      if (Date.now() > deadline)
        throw new Error(`cognito-local did not answer on ${url} in time`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
