import type { ProviderAccount, SmsCredit } from '../../ports';
import type { KavenegarClient } from './client';

export interface KavenegarProviderAccountOptions {
  /** How long one answer is reused. Default 30 s: a burst of previews asks once. */
  readonly ttlMs?: number;
  /** Epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
}

const DEFAULT_TTL_MS = 30_000;

/**
 * The Kavenegar account's credit from account/info, kept `ttlMs` per container. A failed read
 * is not kept: the next call asks again. `client` is built on first use (its key is a secret).
 */
export class KavenegarProviderAccount implements ProviderAccount {
  readonly #client: () => Promise<Pick<KavenegarClient, 'accountInfo'>>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cached: { at: number; credit: Promise<SmsCredit> } | undefined;

  constructor(
    client: () => Promise<Pick<KavenegarClient, 'accountInfo'>>,
    options: KavenegarProviderAccountOptions = {},
  ) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  smsCredit(): Promise<SmsCredit> {
    const now = this.#now();
    if (this.#cached && now - this.#cached.at < this.#ttlMs) return this.#cached.credit;
    const credit = this.#read();
    const entry = { at: now, credit };
    this.#cached = entry;
    // Concurrent callers share one call; a failure is forgotten so the next caller asks again.
    credit.catch(() => {
      if (this.#cached === entry) this.#cached = undefined;
    });
    return credit;
  }

  async #read(): Promise<SmsCredit> {
    const info = await (await this.#client()).accountInfo();
    return {
      rial: info.remainCredit,
      expiresAt: new Date(info.expireDate * 1000).toISOString(),
      accountType: info.type,
    };
  }
}
