import type { SimMessage } from './state';

/** Statuses whose cost goes back to the account (cancelled, blocked by the recipient). */
const REFUNDED = new Set([13, 14]);
const DELIVERED = 10;
const WITH_OPERATOR = 4;
const QUEUED = 1;
/** setTimeout fires at once past this; messages scheduled further away simply stay scheduled. */
const MAX_TIMER_MS = 2_147_483_647;
const REPORT_TIMEOUT_MS = 5_000;

export interface LifecycleOptions {
  readonly operatorMs: number;
  readonly finalMs: number;
  readonly callbackUrl?: string;
  /** Gives a message's cost back to the account. */
  readonly refund: (message: SimMessage) => void;
}

/**
 * Moves accepted messages 1 -> 4 -> final over time and POSTs a delivery report (form
 * fields messageid, status) when a message reaches its final status. Every timer is kept
 * so that clear() and end() leave no handle behind.
 */
export class Lifecycle {
  readonly #options: LifecycleOptions;
  readonly #timers = new Map<number, Set<NodeJS.Timeout>>();
  readonly #reports = new AbortController();
  #callbackUrl: string | undefined;

  constructor(options: LifecycleOptions) {
    this.#options = options;
    this.#callbackUrl = options.callbackUrl;
  }

  /** Where delivery reports go from now on, as set in Kavenegar's panel (undefined: nowhere). */
  setCallbackUrl(url: string | undefined): void {
    this.#callbackUrl = url;
  }

  /** Starts a message's journey: now if queued, at its date if scheduled (status 2). */
  start(message: SimMessage, finalStatus: number = DELIVERED): void {
    const delayMs = message.status === QUEUED ? 0 : message.date * 1000 - Date.now();
    if (delayMs > MAX_TIMER_MS) return;
    this.#later(message, Math.max(0, delayMs), () => {
      message.status = QUEUED;
      const { operatorMs, finalMs } = this.#options;
      this.#later(message, operatorMs, () => {
        message.status = WITH_OPERATOR;
      });
      this.#later(message, Math.max(finalMs, operatorMs), () => this.#finish(message, finalStatus));
    });
  }

  /** Cancels a queued or scheduled message: status 13, cost refunded, no further moves. */
  cancel(message: SimMessage): void {
    this.#forget(message.messageid);
    message.status = 13;
    this.#options.refund(message);
  }

  /** Drops every pending move (messages keep the status they have). */
  clear(): void {
    for (const id of [...this.#timers.keys()]) this.#forget(id);
  }

  /** clear(), and abandons delivery reports in flight. */
  end(): void {
    this.clear();
    this.#reports.abort();
  }

  #finish(message: SimMessage, finalStatus: number): void {
    this.#forget(message.messageid);
    message.status = finalStatus;
    if (REFUNDED.has(finalStatus)) this.#options.refund(message);
    this.#report(message);
  }

  #report(message: SimMessage): void {
    const url = this.#callbackUrl;
    if (url === undefined) return;
    const body = new URLSearchParams({
      messageid: String(message.messageid),
      status: String(message.status),
    });
    const signal = AbortSignal.any([this.#reports.signal, AbortSignal.timeout(REPORT_TIMEOUT_MS)]);
    // Kavenegar does not retry reports either; a failed POST is simply lost.
    fetch(url, { method: 'POST', body, signal })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
  }

  #later(message: SimMessage, delayMs: number, action: () => void): void {
    const timers = this.#timers.get(message.messageid) ?? new Set<NodeJS.Timeout>();
    this.#timers.set(message.messageid, timers);
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
  }

  #forget(messageid: number): void {
    for (const timer of this.#timers.get(messageid) ?? []) clearTimeout(timer);
    this.#timers.delete(messageid);
  }
}
