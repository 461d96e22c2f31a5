import { type FailureClass, ProviderError } from '../../domain/errors';

/** Kavenegar codes that heal by themselves: retry with backoff (402 failed, 409 busy, 451 throttled). */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([402, 409, 451]);

/** Codes that will not heal without a person: keys, account, sender line, credit, IP rules, test account. */
const CAMPAIGN_CODES: ReadonlySet<number> = new Set([401, 403, 407, 412, 416, 418, 420, 429, 501]);

/** 411: the receptor is invalid; only that recipient fails. */
const RECIPIENT_CODE = 411;

/**
 * Maps a Kavenegar error code (equal to the HTTP status of its reply) to how Chapar handles it.
 * Unknown codes are `message`: fail the message rather than retry or stop blindly.
 * 501 is a Kavenegar code (test account), not a server error, so it is `campaign`.
 */
export function classifyKavenegarCode(code: number): FailureClass {
  if (CAMPAIGN_CODES.has(code)) return 'campaign';
  if (RETRYABLE_CODES.has(code) || (code >= 500 && code <= 599)) return 'retryable';
  if (code === RECIPIENT_CODE) return 'recipient';
  return 'message';
}

/** Kavenegar's answer to too many calls (451): the caller should slow down, not only retry. */
export function isKavenegarThrottle(error: unknown): boolean {
  return error instanceof ProviderError && error.provider === 'kavenegar' && error.code === '451';
}

/** Codes Chapar's client uses when Kavenegar gave none. */
export type KavenegarTransportCode = 'timeout' | 'network' | 'bad_response' | `http_${number}`;

/** Typed context every KavenegarError carries; never the URL, which holds the API key. */
export interface KavenegarErrorContext extends Record<string, unknown> {
  /** `scope/method`, e.g. `sms/send`. */
  readonly operation: string;
  /** HTTP status of the reply, when there was one. */
  readonly httpStatus?: number;
  /** Kavenegar's own `return.message`, when it answered with an envelope. */
  readonly providerMessage?: string;
  /** True when Chapar refused the call before sending it (limits, malformed input). */
  readonly local?: boolean;
}

/**
 * A failed Kavenegar call. `code` is Kavenegar's code as a string ('411', '418' ...) or one of
 * {@link KavenegarTransportCode}; `failureClass` says what the caller should do.
 */
export class KavenegarError extends ProviderError {
  override readonly context: KavenegarErrorContext;

  constructor(
    code: string,
    failureClass: FailureClass,
    message: string,
    options: { context: KavenegarErrorContext; outcomeUnknown?: boolean; cause?: unknown },
  ) {
    // outcomeUnknown: an sms/send or sms/sendarray that may have been accepted; the caller
    // looks the messages up by localId (sms/statuslocalmessageid) before resending.
    super('kavenegar', code, failureClass, message, {
      context: options.context,
      cause: options.cause,
      outcomeUnknown: options.outcomeUnknown ?? false,
    });
    this.context = options.context;
  }

  /** An error for a Kavenegar code, classified by {@link classifyKavenegarCode}. */
  static fromCode(code: number, context: KavenegarErrorContext, detail?: string): KavenegarError {
    const suffix = detail === undefined ? '' : `: ${detail}`;
    return new KavenegarError(
      String(code),
      classifyKavenegarCode(code),
      `Kavenegar ${context.operation} failed with ${code}${suffix}`,
      { context },
    );
  }
}
