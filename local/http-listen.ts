import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server that is listening: where, and how to end it. */
export interface Listening {
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections; safe to call twice. */
  end(): Promise<void>;
}

/**
 * Listens on `host:port` (0 = any free port) and reports a refused port as one clear error
 * naming the service: the local servers' shared start and end.
 */
export async function listen(
  server: Server,
  host: string,
  port: number,
  service: string,
  /** On end, let requests in flight finish (idle) or drop every connection (all). */
  drop: 'idle' | 'all' = 'all',
): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    throw new Error(`${service} could not listen on ${host}:${port}`, { cause: error });
  });
  const address = server.address() as AddressInfo;
  let ended: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    end: () => {
      ended ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (drop === 'idle') server.closeIdleConnections();
        else server.closeAllConnections();
      });
      return ended;
    },
  };
}
