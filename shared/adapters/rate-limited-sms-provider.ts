import { ProviderError } from '../domain/errors';
import type { SmsMessage, SmsSendOutcome } from '../domain/sms';
import type { PartialRateLimiter, SmsBatchProvider, SmsSendOptions } from '../ports';
import { isKavenegarThrottle } from './kavenegar/errors';

export interface RateLimitedSmsProviderOptions {
  /**
   * Longest time one sendDetailed may wait for its budget; what is still unsent then fails
   * as retryable and unattempted, so the queue brings it back instead of the function
   * timing out with recipients in an unknown state. Default 20 s (a third of the sender's timeout).
   */
  readonly maxWaitMs?: number;
  /** Epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Lease as priority traffic (transactional messages): the reserved share is theirs. */
  readonly priority?: boolean;
  /**
   * Fewer, fuller calls: a lease that finds less than `units` of room waits up to `withinMs`
   * once for that much (the limiter's `fill`). Kavenegar throttles calls (451), not messages,
   * and a window that frees in small pieces would otherwise become many small calls.
   */
  readonly fill?: { readonly units: number; readonly withinMs: number };
}

const DEFAULT_MAX_WAIT_MS = 20_000;

/**
 * Spends the shared SMS rate (messages per second, across every concurrent sender) around
 * each provider call: the messages go out in slices of exactly the units leased, each slice
 * one `sendDetailed` of the wrapped provider, and the lease is released as soon as it answers
 * (its units stay held a second after that, so no sliding second at Kavenegar sees more than
 * the rate, however long the call took). Like the provider itself, a retryable or
 * campaign failure in one slice stops the rest, which fail unattempted (outcome known).
 * After each grant and before its call, `beforeCall` may take messages out of the slice (an
 * opt-out recorded while the batch waited for its budget); their units are held like the rest.
 */
export class RateLimitedSmsProvider implements SmsBatchProvider {
  readonly #provider: SmsBatchProvider;
  readonly #limiter: PartialRateLimiter;
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #priority: boolean;
  readonly #fill: RateLimitedSmsProviderOptions['fill'];
  /**
   * How long `beforeCall` takes (a moving average): passed to the limiter as `prepareMs`, so a
   * lease written ahead resolves that much before its moment and the re-check runs while the
   * units are still others', not while this lease holds its own idle.
   */
  #prepareMs: number | undefined;

  constructor(
    provider: SmsBatchProvider,
    limiter: PartialRateLimiter,
    options: RateLimitedSmsProviderOptions = {},
  ) {
    this.#provider = provider;
    this.#limiter = limiter;
    this.#maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#priority = options.priority ?? false;
    this.#fill = options.fill;
  }

  async sendDetailed(messages: readonly SmsMessage[], options: SmsSendOptions = {}): Promise<SmsSendOutcome> {
    const dropped: string[] = [];
    const outcome: SmsSendOutcome = { receipts: [], failures: [], dropped };
    const deadline = this.#now() + this.#maxWaitMs;
    let sent = 0;
    while (sent < messages.length) {
      // Early: the re-check runs while a lease written ahead waits for its moment.
      const lease = await this.#limiter.lease(messages.length - sent, {
        deadline,
        early: true,
        ...(this.#priority ? { priority: true } : {}),
        ...(options.beforeCall && this.#prepareMs !== undefined
          ? { prepareMs: Math.ceil(this.#prepareMs) }
          : {}),
        ...(this.#fill ? { fill: this.#fill } : {}),
      });
      if (lease.units < 1) {
        failRest(outcome, messages.slice(sent), rateLimited(this.#maxWaitMs));
        break;
      }
      const grant = messages.slice(sent, sent + lease.units);
      sent += grant.length;
      let stop: ProviderError | undefined;
      try {
        let slice: readonly SmsMessage[];
        try {
          const checkStarted = this.#now();
          slice = options.beforeCall ? await options.beforeCall(grant) : grant;
          if (options.beforeCall) {
            const took = this.#now() - checkStarted;
            this.#prepareMs = this.#prepareMs === undefined ? took : 0.8 * this.#prepareMs + 0.2 * took;
          }
        } catch (error) {
          // Earlier slices went out: keep their receipts and let the queue bring the rest back.
          failRest(outcome, messages.slice(sent - grant.length), recheckFailed(error));
          break;
        }
        const kept = new Set(slice.map((message) => message.localId));
        for (const message of grant) if (!kept.has(message.localId)) dropped.push(message.localId);
        if (slice.length === 0) continue;
        const ahead = lease.notBefore - this.#now();
        if (ahead > 0) await this.#sleep(ahead);
        const part = await this.#provider.sendDetailed(slice);
        outcome.receipts.push(...part.receipts);
        outcome.failures.push(...part.failures);
        stop = part.failures.find((failure) => stopsTheRest(failure.error))?.error;
        // Kavenegar took fewer calls than the budget holds: every sender slows down (a failed
        // lowering only leaves the rate as it was; the message retries either way).
        if (part.failures.some((failure) => isKavenegarThrottle(failure.error)))
          await this.#limiter.throttled?.().catch(() => undefined);
      } finally {
        // Right after the answer: the units stay held a second from now. A release that fails
        // leaves them held until the lease expires, which only slows the rate down.
        await lease.release().catch(() => undefined);
      }
      if (stop !== undefined) {
        failRest(outcome, messages.slice(sent), unattempted(stop));
        break;
      }
    }
    return outcome;
  }
}

function failRest(outcome: SmsSendOutcome, rest: readonly SmsMessage[], error: ProviderError): void {
  for (const message of rest) outcome.failures.push({ localId: message.localId, error });
}

function stopsTheRest(error: ProviderError): boolean {
  return error.failureClass === 'retryable' || error.failureClass === 'campaign';
}

/** A message never handed to the provider: its outcome is known, whatever the cause's was. */
function unattempted(cause: ProviderError): ProviderError {
  return new ProviderError(
    cause.provider,
    cause.code,
    cause.failureClass,
    `Not attempted after: ${cause.message}`,
    {
      context: cause.context,
      cause,
    },
  );
}

function rateLimited(waitedMs: number): ProviderError {
  return new ProviderError(
    'rate-limiter',
    'rate_limited',
    'retryable',
    `Not attempted: no send budget within ${waitedMs} ms`,
    { context: { waitedMs } },
  );
}

function recheckFailed(cause: unknown): ProviderError {
  return new ProviderError(
    'rate-limiter',
    'recheck_failed',
    'retryable',
    `Not attempted: the check right before the call failed: ${(cause as Error).message}`,
    { cause },
  );
}
