import type { AddressInfo } from 'node:net';
import type { ApiContext } from './context';
import { Delays } from './delays';
import { FaultBook } from './faults';
import { Lifecycle } from './lifecycle';
import { createSimulatorServer } from './server';
import { SimState } from './state';

/** How to start the Kavenegar simulator. */
export interface KavenegarSimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 8006; 0 = any free port. */
  port?: number;
  /** The only key accepted (403 otherwise). */
  apiKey: string;
  /** The account's sender lines (412 for any other sender); the first is the default line. */
  lines: string[];
  /** Rial, default 1e12. */
  credit?: number;
  /** Rial per SMS part, default 1,200. */
  costPerPart?: number;
  /** Delivery reports are POSTed here (form fields messageid, status). */
  callbackUrl?: string;
  /** 1 -> 4 after `operator`, -> final after `final`, both from acceptance; default 200 / 600 ms. */
  statusDelaysMs?: { operator?: number; final?: number };
}

/** A running simulator. */
export interface KavenegarSimulator {
  /** e.g. `http://127.0.0.1:8006`: the client's baseUrl. */
  url: string;
  port: number;
  /** Stops listening, drops every timer and pending answer; safe to call twice. */
  end(): Promise<void>;
}

const DEFAULTS = {
  host: '127.0.0.1',
  port: 8006,
  credit: 1e12,
  costPerPart: 1_200,
  operatorMs: 200,
  finalMs: 600,
};

/**
 * Starts a local, faithful stand-in for Kavenegar's REST API (see
 * shared/reference/kavenegar.md), plus `/_sim/*` routes to inspect it and inject faults.
 * Quiet: it logs nothing, least of all the API key.
 */
export async function startKavenegarSimulator(
  options: KavenegarSimulatorOptions,
): Promise<KavenegarSimulator> {
  if (options.apiKey === '') throw new Error('Kavenegar simulator: apiKey must not be empty');
  if (options.lines.length === 0) throw new Error('Kavenegar simulator: at least one sender line is needed');
  const state = new SimState(options.credit ?? DEFAULTS.credit, options.costPerPart ?? DEFAULTS.costPerPart);
  const lifecycle = new Lifecycle({
    operatorMs: options.statusDelaysMs?.operator ?? DEFAULTS.operatorMs,
    finalMs: options.statusDelaysMs?.final ?? DEFAULTS.finalMs,
    callbackUrl: options.callbackUrl,
    refund: (message) => {
      state.credit += message.cost;
    },
  });
  const context: ApiContext = {
    state,
    faults: new FaultBook(),
    lifecycle,
    lines: [...options.lines],
  };
  const delays = new Delays();
  const server = createSimulatorServer({ apiKey: options.apiKey, context, delays });
  const host = options.host ?? DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let ended: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    end: () => {
      ended ??= new Promise<void>((resolve) => {
        lifecycle.end();
        delays.releaseAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return ended;
    },
  };
}
