import type { SendRate, SendRateLease } from './send-email';

interface Waiter {
  readonly max: number;
  readonly least: number;
  readonly deadline: number;
  readonly early: boolean;
  readonly prepareMs: number;
  readonly resolve: (lease: SendRateLease) => void;
  readonly reject: (error: unknown) => void;
}

const NONE: SendRateLease = { units: 0, release: async () => undefined };

/**
 * One waiter per process in front of the shared limiter: the senders of one container (the
 * messages of an invocation, their slices) never race each other on the limiter's item. At most
 * one grant attempt is in flight; it leases the sum of what every waiter wants (the limiter caps
 * it at its limit) and splits the granted units among them, oldest first, each up to what it
 * asked for. Waiters left without units ask again at once, in one attempt. The attempt waits for
 * room for the oldest waiter's `least` (the limiter caps it at its limit).
 *
 * The limiter's lease is released when the last share is released: a share answered early keeps
 * its units held until a second after the last share's calls answered, which only holds units
 * longer than needed, so no sliding second at the provider sees more than the limit.
 *
 * Early leases: the attempt asks `early` only when all its waiters did (each then starts its
 * calls at the shared `notBefore`), with the longest `prepareMs` among them.
 *
 * Deadlines: the attempt runs to the earliest deadline among its waiters; when it grants
 * nothing (no room by then), the waiters whose deadline that was get no units and the others
 * ask again.
 */
export class CoalescedSendRate implements SendRate {
  readonly #inner: SendRate;
  readonly #waiters: Waiter[] = [];
  #asking = false;

  constructor(inner: SendRate) {
    this.#inner = inner;
  }

  lease(
    max: number,
    options: { deadline?: number; least?: number; early?: boolean; prepareMs?: number } = {},
  ): Promise<SendRateLease> {
    if (!(max >= 1)) return Promise.resolve(NONE);
    return new Promise<SendRateLease>((resolve, reject) => {
      this.#waiters.push({
        max: Math.floor(max),
        least: Math.max(1, Math.min(Math.floor(max), Math.floor(options.least ?? 1))),
        deadline: options.deadline ?? Number.POSITIVE_INFINITY,
        early: options.early === true,
        prepareMs: Math.max(0, options.prepareMs ?? 0),
        resolve,
        reject,
      });
      this.#next();
    });
  }

  /** Starts the next grant attempt unless one is in flight or nobody waits. */
  #next(): void {
    if (this.#asking || this.#waiters.length === 0) return;
    this.#asking = true;
    void this.#ask().finally(() => {
      this.#asking = false;
      this.#next();
    });
  }

  async #ask(): Promise<void> {
    const asking = [...this.#waiters];
    const want = asking.reduce((total, waiter) => total + waiter.max, 0);
    // Room for the oldest waiter's least is worth a grant; the others take what is left of it.
    const least = asking[0]?.least ?? 1;
    const deadline = Math.min(...asking.map((waiter) => waiter.deadline));
    // Early only when every waiter starts its calls at notBefore itself; then as far ahead as
    // the slowest preparation among them.
    const early = asking.every((waiter) => waiter.early);
    const prepareMs = early ? Math.max(0, ...asking.map((waiter) => waiter.prepareMs)) : 0;
    let lease: SendRateLease;
    try {
      lease = await this.#inner.lease(want, {
        ...(Number.isFinite(deadline) ? { deadline } : {}),
        ...(least > 1 ? { least } : {}),
        ...(early ? { early: true } : {}),
        ...(prepareMs > 0 ? { prepareMs } : {}),
      });
    } catch (error) {
      for (const waiter of this.#take(asking)) waiter.reject(error);
      return;
    }
    if (lease.units < 1) {
      for (const waiter of this.#take(asking.filter((waiter) => waiter.deadline <= deadline)))
        waiter.resolve(NONE);
      return;
    }
    let left = lease.units;
    const served: { waiter: Waiter; units: number }[] = [];
    for (const waiter of asking) {
      if (left < 1) break;
      const units = Math.min(waiter.max, left);
      served.push({ waiter, units });
      left -= units;
    }
    this.#take(served.map(({ waiter }) => waiter));
    let open = served.length;
    for (const { waiter, units } of served) {
      let released = false;
      waiter.resolve({
        units,
        ...(lease.notBefore === undefined ? {} : { notBefore: lease.notBefore }),
        release: async () => {
          if (released) return;
          released = true;
          open -= 1;
          // The last share's answer: the units leave the window a second from now.
          if (open === 0) await lease.release();
        },
      });
    }
  }

  /** Removes `waiters` from the queue and answers them. */
  #take(waiters: readonly Waiter[]): readonly Waiter[] {
    for (const waiter of waiters) {
      const at = this.#waiters.indexOf(waiter);
      if (at >= 0) this.#waiters.splice(at, 1);
    }
    return waiters;
  }
}
