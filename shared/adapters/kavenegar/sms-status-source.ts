import { ProviderError } from '../../domain/errors';
import type { SmsStatusReport } from '../../domain/sms';
import type { SmsStatusSource } from '../../ports';
import type { AcquireOptions } from '../dynamodb/rate-limiter';
import type { KavenegarClient } from './client';
import { smsStatusOf } from './delivery-report';
import { isKavenegarThrottle } from './errors';

/** Longest a status call waits for a free call in Kavenegar's budget before the run gives up. */
const DEFAULT_CALL_WAIT_MS = 10_000;

/**
 * Kavenegar's call budget (the shared `kavenegar-sms` limiter): sms/status counts against the
 * same calls per second as the sends, so a poll takes one call from it like a send does.
 */
export interface KavenegarCallBudget {
  callLease(options?: AcquireOptions): Promise<{ release(): Promise<void> } | undefined>;
  /** Kavenegar answered 451: every caller takes fewer calls per second for a while. */
  throttled(): Promise<void>;
}

/** Kavenegar's sms/status, each answer mapped as a delivery report is. */
export class KavenegarSmsStatusSource implements SmsStatusSource {
  readonly #client: Pick<KavenegarClient, 'status'>;
  readonly #calls: KavenegarCallBudget | undefined;
  readonly #callWaitMs: number;
  readonly #now: () => number;

  constructor(
    client: Pick<KavenegarClient, 'status'>,
    options: { calls?: KavenegarCallBudget; callWaitMs?: number; now?: () => number } = {},
  ) {
    this.#client = client;
    this.#calls = options.calls;
    this.#callWaitMs = options.callWaitMs ?? DEFAULT_CALL_WAIT_MS;
    this.#now = options.now ?? Date.now;
  }

  async status(messageIds: readonly string[]): Promise<SmsStatusReport[]> {
    const lease = await this.#calls?.callLease({ deadline: this.#now() + this.#callWaitMs });
    if (this.#calls && lease === undefined)
      throw new ProviderError(
        'rate-limiter',
        'rate_limited',
        'retryable',
        `Not asked: no free Kavenegar call within ${this.#callWaitMs} ms`,
        { context: { waitedMs: this.#callWaitMs } },
      );
    try {
      const entries = await this.#client.status(messageIds);
      return entries.map((entry) => smsStatusOf(entry.messageId, entry.status));
    } catch (error) {
      if (isKavenegarThrottle(error)) await this.#calls?.throttled().catch(() => undefined);
      throw error;
    } finally {
      // A release that fails only leaves the call held until the lease's longest hold: safe.
      await lease?.release().catch(() => undefined);
    }
  }
}
