import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';
import { startSesFront } from './ses-front';

type StartSes = typeof sesModule;

// A CommonJS package with `exports.default`: Node's ESM loader hands over the whole
// exports object, bundlers (vitest) hand over `default`. Accept both.
const startSes: StartSes =
  typeof sesModule === 'function' ? sesModule : (sesModule as unknown as { default: StartSes }).default;

/** How to start the SES emulator. */
export interface SesOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 8005; 0 = any free port. */
  port?: number;
}

/**
 * A running aws-ses-v2-local behind the steerable front (local/ses-front): SESv2 SendEmail and
 * GetAccount; sent mail at GET /store, a web inbox at /, faults at /_ses/faults.
 */
export interface SesEmulator {
  /** e.g. `http://127.0.0.1:8005`, the value of AWS_ENDPOINT_URL_SESV2 and the inbox. */
  url: string;
  port: number;
  /** Stops listening and drops open connections; safe to call twice. */
  end(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local on a free port and the front on `port`. Its mail store is module
 * state: every instance in one process shares it, so tests tell their mail apart by recipient.
 */
export async function start(options: SesOptions = {}): Promise<SesEmulator> {
  const host = options.host ?? '127.0.0.1';
  // Only the front listens on the SES address; the emulator behind it takes any free port.
  const server: Server = await startSes({ host, port: 0 });
  // Express calls the listen callback with the error instead of throwing, and the package
  // resolves either way: a server that is not listening is a failed start.
  if (!server.listening) {
    throw new Error(`SES emulator could not listen on ${host} (any free port)`);
  }
  const { port: upstreamPort } = server.address() as AddressInfo;
  const closeUpstream = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  const upstreamUrl = `http://${host.includes(':') ? `[${host}]` : host}:${upstreamPort}`;
  const front = await startSesFront({ upstreamUrl, host, port: options.port ?? 8005 }).catch(
    async (error: unknown) => {
      await closeUpstream();
      throw error;
    },
  );
  let ended: Promise<void> | undefined;
  return {
    url: front.url,
    port: front.port,
    end: () => {
      ended ??= front.end().then(closeUpstream);
      return ended;
    },
  };
}
