import { type FauxqsServer, startFauxqs } from 'fauxqs';

/** How to start the SQS emulator. */
export interface SqsOptions {
  /** Host clients use to reach it; fauxqs itself always binds every interface. Default '127.0.0.1'. */
  host?: string;
  /** Default 4566; 0 = any free port. */
  port?: number;
}

/** A running fauxqs: SQS JSON protocol, RedrivePolicy DLQs, visibility timeouts; in memory. */
export interface SqsEmulator {
  /** e.g. `http://127.0.0.1:4566`, the value of AWS_ENDPOINT_URL_SQS. */
  url: string;
  port: number;
  /** The fauxqs server, for inspection in tests (inspectQueue). */
  server: FauxqsServer;
  /**
   * Calls `listener` for every object put into a bucket of its S3 (fauxqs emits no bucket
   * notifications; its message spy sees each upload). Returns the way to stop listening.
   */
  onUpload(listener: (upload: { bucket: string; key: string }) => void): () => void;
  /** Stops listening; safe to call twice. */
  end(): Promise<void>;
}

/**
 * Starts fauxqs. Queue URLs it hands out use the `sqs.<region>.localhost` host, which
 * does not resolve everywhere: local/resources.ts rewrites them onto {@link SqsEmulator.url}.
 */
export async function start(options: SqsOptions = {}): Promise<SqsEmulator> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 4566;
  let server: FauxqsServer;
  try {
    // The spy keeps a few recent events (uploads are read from it); 20 is plenty.
    server = await startFauxqs({ port, logger: false, messageSpies: { bufferSize: 20 } });
  } catch (error) {
    throw new Error(`SQS emulator (fauxqs) could not listen on port ${port}`, { cause: error });
  }
  let ended: Promise<void> | undefined;
  const listeners = new Set<(upload: { bucket: string; key: string }) => void>();
  // A waiter whose filter never matches sees every event, and stays for the server's life.
  server.spy
    .waitForMessage((message) => {
      if (message.service === 's3' && message.status === 'uploaded') {
        for (const listener of listeners) {
          try {
            listener({ bucket: message.bucket, key: message.key });
          } catch {
            // A listener's failure must never fail the upload itself.
          }
        }
      }
      return false;
    })
    .catch(() => undefined);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${server.port}`,
    port: server.port,
    server,
    onUpload: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    end: () => {
      ended ??= server.stop();
      return ended;
    },
  };
}
