import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { ACCOUNT_REFRESH_MS, type EmailAccountState } from '../../domain/email-sending';
import { ProviderError } from '../../domain/errors';
import type { EmailAccount } from '../../ports';

export interface SesAccountOptions {
  /** How long an answer is kept before GetAccount is asked again. Default 5 minutes. */
  readonly refreshMs?: number;
  /** Epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
}

/**
 * The SES account's sending state from SESv2 GetAccount, kept for `refreshMs` and shared by
 * every caller in the process (one GetAccount at a time). `fresh` asks again now: after a
 * throttling answer (the rate may have changed) and before acting on a stopped account.
 */
export class SesAccount implements EmailAccount {
  readonly #client: SESv2Client;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #cached: { state: EmailAccountState; at: number } | undefined;
  #reading: Promise<EmailAccountState> | undefined;

  constructor(client: SESv2Client, options: SesAccountOptions = {}) {
    this.#client = client;
    this.#refreshMs = options.refreshMs ?? ACCOUNT_REFRESH_MS;
    this.#now = options.now ?? Date.now;
  }

  async state(options: { fresh?: boolean } = {}): Promise<EmailAccountState> {
    const cached = this.#cached;
    if (!options.fresh && cached && this.#now() - cached.at < this.#refreshMs) return cached.state;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<EmailAccountState> {
    try {
      const answer = await this.#client.send(new GetAccountCommand({}));
      const state: EmailAccountState = {
        maxSendRate: answer.SendQuota?.MaxSendRate ?? 1,
        sendingEnabled: answer.SendingEnabled !== false,
        ...(answer.EnforcementStatus ? { enforcementStatus: answer.EnforcementStatus } : {}),
      };
      this.#cached = { state, at: this.#now() };
      return state;
    } catch (error) {
      // A passing failure keeps the last answer in use; with none, the caller retries later.
      if (this.#cached) return this.#cached.state;
      const name = error instanceof Error ? error.name : 'Unknown';
      throw new ProviderError(
        'ses',
        name,
        'retryable',
        `SES GetAccount failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}
