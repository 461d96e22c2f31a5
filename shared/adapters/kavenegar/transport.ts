import { KavenegarError, type KavenegarErrorContext } from './errors';
import { envelopeSchema } from './schemas';

/** What one call needs; the API key lives only in the URL built here and never leaves this file. */
export interface TransportConfig {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
}

/** `scope/method`, e.g. `sms/send`. */
export type KavenegarOperation =
  | 'sms/send'
  | 'sms/sendarray'
  | 'sms/status'
  | 'sms/statuslocalmessageid'
  | 'sms/cancel'
  | 'account/info';

/**
 * Without Kavenegar's envelope an HTTP error comes from something in between (a proxy, a
 * wrong base URL): not the message's fault. Transient ones are retried; the others need a
 * person, so they pause the campaign instead of failing every recipient.
 */
const TRANSIENT_HTTP: ReadonlySet<number> = new Set([408, 425, 429]);

/** Errors that prove the request never left this machine, so nothing can have been sent. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * POSTs the form to `${baseUrl}/v1/${apiKey}/${operation}.json` and returns the reply's
 * entries. `sendsMessages` marks sms/send and sms/sendarray, whose lost answers leave the
 * outcome unknown.
 * @throws KavenegarError for every failure, without the URL in its message or context.
 */
export async function callKavenegar(
  config: TransportConfig,
  operation: KavenegarOperation,
  params: URLSearchParams,
  sendsMessages: boolean,
): Promise<unknown> {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/v1/${encodeURIComponent(config.apiKey)}/${operation}.json`;
  const scrub = (error: unknown) =>
    scrubCause(error, [url, config.apiKey, encodeURIComponent(config.apiKey)]);
  let response: Response;
  try {
    response = await config.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: params.toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
      // A redirect would carry the key in its path to wherever it points.
      redirect: 'error',
    });
  } catch (error) {
    throw transportError(error, operation, sendsMessages && !neverSent(error), scrub(error));
  }
  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw transportError(error, operation, sendsMessages, scrub(error));
  }
  return readEnvelope(body, response.status, operation, sendsMessages);
}

function readEnvelope(
  body: string,
  httpStatus: number,
  operation: KavenegarOperation,
  sendsMessages: boolean,
): unknown {
  const parsed = envelopeSchema.safeParse(parseJson(body));
  const context: KavenegarErrorContext = { operation, httpStatus };
  if (parsed.success && parsed.data.return.status !== 200) {
    const providerMessage = parsed.data.return.message;
    throw KavenegarError.fromCode(parsed.data.return.status, { ...context, providerMessage });
  }
  if (httpStatus < 200 || httpStatus > 299) {
    const failureClass = httpStatus >= 500 || TRANSIENT_HTTP.has(httpStatus) ? 'retryable' : 'campaign';
    throw new KavenegarError(
      `http_${httpStatus}`,
      failureClass,
      `Kavenegar ${operation} answered HTTP ${httpStatus}`,
      {
        context,
        outcomeUnknown: sendsMessages && httpStatus >= 500,
      },
    );
  }
  if (!parsed.success) throw badResponse(operation, sendsMessages, context);
  return parsed.data.entries;
}

/** A 200 reply whose body Chapar cannot read: Kavenegar may well have sent the SMS. */
export function badResponse(
  operation: KavenegarOperation,
  sendsMessages: boolean,
  context: KavenegarErrorContext = { operation },
): KavenegarError {
  return new KavenegarError(
    'bad_response',
    'retryable',
    `Kavenegar ${operation} answered a malformed reply`,
    {
      context,
      outcomeUnknown: sendsMessages,
    },
  );
}

function transportError(
  error: unknown,
  operation: KavenegarOperation,
  outcomeUnknown: boolean,
  cause: Error,
): KavenegarError {
  const timedOut = errorName(error) === 'TimeoutError';
  const code = timedOut ? 'timeout' : 'network';
  const what = timedOut ? 'timed out' : 'could not reach Kavenegar';
  return new KavenegarError(code, 'retryable', `Kavenegar ${operation} ${what}`, {
    context: { operation },
    outcomeUnknown,
    cause,
  });
}

function neverSent(error: unknown): boolean {
  const code = errorCode(error instanceof Error ? error.cause : undefined);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;
}

/** A copy of the error chain's names and messages with every secret replaced by `***`. */
function scrubCause(error: unknown, secrets: readonly string[]): Error {
  const clean = (text: string) => secrets.reduce((acc, secret) => acc.split(secret).join('***'), text);
  const message = error instanceof Error ? error.message : String(error);
  const inner =
    error instanceof Error && error.cause !== undefined ? scrubCause(error.cause, secrets) : undefined;
  const scrubbed = new Error(clean(message), inner === undefined ? undefined : { cause: inner });
  scrubbed.name = errorName(error) ?? 'Error';
  const code = errorCode(error);
  return code === undefined ? scrubbed : Object.assign(scrubbed, { code });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
