import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http-listen';
import { forward, readAll, relay, sendJson } from '../http-proxy';
import { CONTROL_PREFIX, handleControl } from './control';
import { FaultBook } from './faults';
import { SendLog } from './send-log';
import { sendSesError } from './ses-errors';

/**
 * A steerable SES: a thin front on the SES address that passes everything to aws-ses-v2-local
 * (the web inbox, /store, templates …) and intercepts the two SESv2 calls Chapar makes,
 * SendEmail and GetAccount, to answer the faults set at /_ses/faults (see control.ts) as SES
 * would. aws-ses-v2-local itself has no faults.
 */

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
const GET_ACCOUNT_PATH = '/v2/email/account';

export interface SesFrontOptions {
  /** The aws-ses-v2-local every request is passed to. */
  readonly upstreamUrl: string;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Default 8005; 0 = any free port. */
  readonly port?: number;
}

/** A running front: the SES address (AWS_ENDPOINT_URL_SESV2, the inbox, /_ses/faults). */
export interface SesFront {
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections; safe to call twice. */
  end(): Promise<void>;
}

export async function startSesFront(options: SesFrontOptions): Promise<SesFront> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultBook();
  const log = new SendLog();
  const server = createServer((request, response) => {
    handle(request, response, options.upstreamUrl, faults, log).catch((error: unknown) => {
      console.error('[ses-front] could not pass a request to the SES emulator:', error);
      if (!response.headersSent) response.writeHead(502).end();
    });
  });
  const listening = await listen(server, host, options.port ?? 8005, 'SES front');
  return { url: listening.url, port: listening.port, end: listening.end };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  upstreamUrl: string,
  faults: FaultBook,
  log: SendLog,
): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', 'http://ses.local');
  if (pathname.startsWith(CONTROL_PREFIX)) return handleControl(request, response, pathname, faults, log);
  // aws-ses-v2-local answers GetAccount only from an environment variable: the front answers it.
  if (request.method === 'GET' && pathname === GET_ACCOUNT_PATH)
    return sendJson(response, 200, faults.account(Date.now()));
  const body = await readAll(request);
  if (request.method !== 'POST' || pathname !== SEND_EMAIL_PATH)
    return relay(response, await forward(upstreamUrl, request, body));

  const recipients = recipientsOf(body);
  const arrivedAt = Date.now();
  const verdict = faults.judge(recipients, arrivedAt);
  if (verdict.kind === 'error') {
    log.refused(verdict.error);
    return sendSesError(response, verdict.error);
  }
  const upstream = await forward(upstreamUrl, request, body);
  if (upstream.status === 200) {
    const answeredAt = Date.now();
    faults.recordSent(Math.max(1, recipients.length), answeredAt);
    log.accepted(arrivedAt, recipients, answeredAt);
  }
  // The mail is stored and its answer lost: SES accepted a message its caller never heard of.
  if (verdict.kind === 'lose-answer' && upstream.status === 200)
    return sendSesError(response, 'InternalFailure');
  return relay(response, upstream);
}

interface SendEmailBody {
  Destination?: { ToAddresses?: unknown; CcAddresses?: unknown; BccAddresses?: unknown };
}

/** The bare addresses of a SendEmail body (`Name <a@b>` gives `a@b`); none for Raw content. */
function recipientsOf(body: Buffer): string[] {
  let parsed: SendEmailBody;
  try {
    parsed = JSON.parse(body.toString('utf8')) as SendEmailBody;
  } catch {
    return [];
  }
  const destination = parsed?.Destination ?? {};
  return [destination.ToAddresses, destination.CcAddresses, destination.BccAddresses]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .filter((address): address is string => typeof address === 'string')
    .map((address) => /<([^>]+)>\s*$/.exec(address)?.[1] ?? address.trim());
}
