import type { EmailMessage } from '../domain/email-message';
import { accountStop, sendRatePerSecond } from '../domain/email-sending';
import { ProviderError } from '../domain/errors';
import type { EmailAccount, EmailProvider, PartialRateLimiter } from '../ports';

export interface RateLimitedEmailProviderOptions {
  /** Longest one send waits for its unit; then it fails as retryable, unattempted. Default 10 s. */
  readonly maxWaitMs?: number;
  /** Lease as priority traffic (transactional email). */
  readonly priority?: boolean;
  readonly now?: () => number;
}

/**
 * Spends SES's own rate (GetAccount's MaxSendRate, shared with the campaign senders on the
 * `ses-email` item) around each single send, as the campaign email sender does: one unit held
 * from its grant until a second after SES answered. A stopped account is not sent to: the send
 * fails as retryable, so the message waits on its queue.
 */
export class RateLimitedEmailProvider implements EmailProvider {
  readonly #maxWaitMs: number;
  readonly #now: () => number;

  constructor(
    private readonly provider: EmailProvider,
    private readonly account: EmailAccount,
    private readonly limiter: (perSecond: number) => PartialRateLimiter,
    private readonly options: RateLimitedEmailProviderOptions = {},
  ) {
    this.#maxWaitMs = options.maxWaitMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    let state = await this.account.state();
    if (accountStop(state)) state = await this.account.state({ fresh: true });
    const stop = accountStop(state);
    if (stop) throw new ProviderError('ses', 'account_stopped', 'retryable', `Not attempted: ${stop}`);
    const lease = await this.limiter(sendRatePerSecond(state)).lease(1, {
      deadline: this.#now() + this.#maxWaitMs,
      ...(this.options.priority ? { priority: true } : {}),
    });
    if (lease.units < 1)
      throw new ProviderError(
        'rate-limiter',
        'rate_limited',
        'retryable',
        'Not attempted: no SES send budget in time',
      );
    try {
      return await this.provider.send(message);
    } finally {
      await lease.release().catch(() => undefined);
    }
  }
}
