import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** Chunks of a child's output kept for the error of a failed start. */
const KEPT_CHUNKS = 50;

/** An emulator's child process, watched from its spawn to its end. */
export interface WatchedChild {
  /** The last chunks of its output (stdout and stderr), while kept: until drain(). */
  output(): string;
  /** Stops keeping its output and keeps draining its pipes, so a chatty child never blocks on a full pipe. */
  drain(): void;
  /** Resolves once the child has closed: exited, and all its output read. */
  readonly closed: Promise<void>;
  /**
   * SIGTERM, SIGKILL after the grace time, and waits until it has closed; then this process no
   * longer kills it on exit. Nothing to do for a child that never started or has exited. Safe to
   * call twice.
   */
  stop(): Promise<void>;
}

/**
 * Watches `child` (spawned with piped stdout and stderr): keeps its recent output, and kills it
 * with SIGKILL if this process exits first (a Java child outlives its parent otherwise).
 */
export function watchChild(child: ChildProcess, graceMs: number): WatchedChild {
  const chunks: string[] = [];
  const keep = (chunk: Buffer): void => {
    chunks.push(chunk.toString());
    if (chunks.length > KEPT_CHUNKS) chunks.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  return {
    output: () => chunks.join(''),
    drain: () => {
      child.stdout?.off('data', keep);
      child.stderr?.off('data', keep);
      child.stdout?.resume();
      child.stderr?.resume();
    },
    closed,
    stop: () => {
      stopped ??= (async () => {
        await kill(child, closed, graceMs);
        // Only now: if this process exits while the child is still shutting down, it must die too.
        process.off('exit', killOnExit);
      })();
      return stopped;
    },
  };
}

async function kill(child: ChildProcess, closed: Promise<void>, graceMs: number): Promise<void> {
  // No pid: the child never started (ENOENT), so there is nothing to kill or wait for.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/** A port free on `host` a moment ago (another process can take it before it is used). */
export async function findFreePort(host: string): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('Could not pick a free port');
  return address.port;
}
