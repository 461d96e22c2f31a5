/**
 * Counts what was taken in the last `windowMs`, in any sliding window rather than clock
 * windows: at no instant may more than the limit have been taken in the preceding window.
 */
export class RateWindow {
  readonly #windowMs: number;
  #taken: { at: number; count: number }[] = [];

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** How much was taken in the window that ends at `nowMs`. */
  used(nowMs: number): number {
    this.#taken = this.#taken.filter((entry) => nowMs - entry.at < this.#windowMs);
    return this.#taken.reduce((sum, entry) => sum + entry.count, 0);
  }

  /**
   * Takes `count` when anything is left under `limit`, as SES admits a call to several
   * recipients while any of the rate is left; then the whole count is spent.
   * @returns false (and takes nothing) when the window is already at the limit.
   */
  tryTake(nowMs: number, limit: number, count: number): boolean {
    if (this.used(nowMs) >= limit) return false;
    this.#taken.push({ at: nowMs, count });
    return true;
  }

  /** Records `count` with no limit (what was sent, for a quota that is only read). */
  record(nowMs: number, count: number): void {
    this.used(nowMs);
    this.#taken.push({ at: nowMs, count });
  }

  clear(): void {
    this.#taken = [];
  }
}
