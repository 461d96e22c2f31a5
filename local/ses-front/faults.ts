import { z } from 'zod';
import { RateWindow } from './rate-window';
import { SES_ERROR_NAMES, type SesErrorName } from './ses-errors';

/** The body of POST /_ses/faults; every field is optional and merged into the current faults. */
export const faultsInputSchema = z.strictObject({
  /** Recipients admitted per sliding second; past it SendEmail answers TooManyRequestsException. */
  maxSendRate: z.number().int().positive().max(100_000).optional(),
  /** SendEmail answers SendingPausedException; GetAccount says SendingEnabled: false. */
  sendingPaused: z.boolean().optional(),
  /** SendEmail answers AccountSuspendedException; GetAccount says EnforcementStatus: SHUTDOWN. */
  accountSuspended: z.boolean().optional(),
  /** SendEmail answers LimitExceededException, "Daily message quota exceeded." */
  dailyQuotaExceeded: z.boolean().optional(),
  /** A send to any of these (To, Cc or Bcc, any case) answers MessageRejected; added to those set. */
  rejectAddresses: z.array(z.email()).max(1_000).optional(),
  /** Answers `error` to the next `count` SendEmail calls. */
  failNext: z.strictObject({ error: z.enum(SES_ERROR_NAMES), count: z.number().int().positive() }).optional(),
  /** The next this many SendEmail calls are stored by the emulator, then answered 500. */
  failAfterAccept: z.number().int().positive().optional(),
});

export type FaultsInput = z.infer<typeof faultsInputSchema>;

/** What the front does with one SendEmail call. */
export type SendVerdict =
  | { readonly kind: 'error'; readonly error: SesErrorName }
  /** Pass it on; when the emulator accepts it, answer 500 instead of its answer. */
  | { readonly kind: 'lose-answer' }
  | { readonly kind: 'pass' };

/** SES's default for a new production account, what GetAccount shows when no rate is set. */
export const DEFAULT_MAX_SEND_RATE = 14;
/** A new production account's daily quota. */
export const DEFAULT_MAX_24_HOUR_SEND = 50_000;
const DAY_MS = 24 * 60 * 60 * 1_000;

/** The faults in force, the sliding second the rate counts in, and what was sent in 24 hours. */
export class FaultBook {
  #maxSendRate: number | undefined;
  #sendingPaused = false;
  #accountSuspended = false;
  #dailyQuotaExceeded = false;
  readonly #rejectAddresses = new Set<string>();
  #failNext: { error: SesErrorName; count: number } | undefined;
  #failAfterAccept = 0;
  readonly #second = new RateWindow(1_000);
  readonly #day = new RateWindow(DAY_MS);

  merge(input: FaultsInput): void {
    if (input.maxSendRate !== undefined) this.#maxSendRate = input.maxSendRate;
    if (input.sendingPaused !== undefined) this.#sendingPaused = input.sendingPaused;
    if (input.accountSuspended !== undefined) this.#accountSuspended = input.accountSuspended;
    if (input.dailyQuotaExceeded !== undefined) this.#dailyQuotaExceeded = input.dailyQuotaExceeded;
    for (const address of input.rejectAddresses ?? []) this.#rejectAddresses.add(address.toLowerCase());
    if (input.failNext !== undefined) this.#failNext = { ...input.failNext };
    if (input.failAfterAccept !== undefined) this.#failAfterAccept = input.failAfterAccept;
  }

  /** Lifts every fault and forgets the rate's window; what was sent in 24 hours stays. */
  reset(): void {
    this.#maxSendRate = undefined;
    this.#sendingPaused = false;
    this.#accountSuspended = false;
    this.#dailyQuotaExceeded = false;
    this.#rejectAddresses.clear();
    this.#failNext = undefined;
    this.#failAfterAccept = 0;
    this.#second.clear();
  }

  /**
   * Decides one SendEmail call to `recipients` (bare addresses). Order: failNext (the test
   * asked for exactly this), then the account's state (paused, daily quota), the rate, the
   * recipients, and last failAfterAccept. Every call that reaches the rate check counts in it.
   */
  judge(recipients: readonly string[], nowMs: number): SendVerdict {
    const failNext = this.#failNext;
    if (failNext !== undefined) {
      failNext.count -= 1;
      if (failNext.count <= 0) this.#failNext = undefined;
      return { kind: 'error', error: failNext.error };
    }
    if (this.#accountSuspended) return { kind: 'error', error: 'AccountSuspendedException' };
    if (this.#sendingPaused) return { kind: 'error', error: 'SendingPausedException' };
    if (this.#dailyQuotaExceeded) return { kind: 'error', error: 'LimitExceededException' };
    if (
      this.#maxSendRate !== undefined &&
      !this.#second.tryTake(nowMs, this.#maxSendRate, Math.max(1, recipients.length))
    )
      return { kind: 'error', error: 'TooManyRequestsException' };
    if (recipients.some((address) => this.#rejectAddresses.has(address.toLowerCase())))
      return { kind: 'error', error: 'MessageRejected' };
    if (this.#failAfterAccept > 0) {
      this.#failAfterAccept -= 1;
      return { kind: 'lose-answer' };
    }
    return { kind: 'pass' };
  }

  /** Counts recipients the emulator accepted, for GetAccount's SentLast24Hours. */
  recordSent(count: number, nowMs: number): void {
    this.#day.record(nowMs, count);
  }

  /** GetAccount's answer in SESv2's JSON shape. */
  account(nowMs: number): Record<string, unknown> {
    const sent = this.#day.used(nowMs);
    return {
      DedicatedIpAutoWarmupEnabled: false,
      EnforcementStatus: this.#accountSuspended ? 'SHUTDOWN' : 'HEALTHY',
      ProductionAccessEnabled: true,
      SendingEnabled: !this.#sendingPaused && !this.#accountSuspended,
      SendQuota: {
        Max24HourSend: DEFAULT_MAX_24_HOUR_SEND,
        MaxSendRate: this.#maxSendRate ?? DEFAULT_MAX_SEND_RATE,
        // A quota said to be exhausted reads as exhausted.
        SentLast24Hours: this.#dailyQuotaExceeded ? Math.max(sent, DEFAULT_MAX_24_HOUR_SEND) : sent,
      },
      SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    };
  }

  /** The faults in force, for GET /_ses/faults. */
  describe(): Record<string, unknown> {
    return {
      maxSendRate: this.#maxSendRate,
      sendingPaused: this.#sendingPaused,
      accountSuspended: this.#accountSuspended,
      dailyQuotaExceeded: this.#dailyQuotaExceeded,
      rejectAddresses: [...this.#rejectAddresses],
      failNext: this.#failNext,
      failAfterAccept: this.#failAfterAccept,
    };
  }
}
