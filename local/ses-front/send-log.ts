/**
 * What the front answered to every SendEmail since the log was last cleared: the figures tests
 * and bench:email read (GET /_ses/stats, GET /_ses/sent), measured where SES would measure
 * them, at each call's arrival.
 */
export class SendLog {
  /** Arrival (epoch ms) and recipient count of every accepted call, in arrival order. */
  #accepted: { at: number; count: number }[] = [];
  /** How long each accepted call took from its arrival to its answer (the emulator's store), ms. */
  #answerMs: number[] = [];
  /** Calls answered with an error, by SES error name. */
  #refused = new Map<string, number>();
  /** Accepted mail by bare address (lower-cased). */
  #byAddress = new Map<string, number>();

  /**
   * A call the emulator accepted, stamped with its arrival (when the rate judged it) and the
   * moment its answer was ready.
   */
  accepted(arrivedAt: number, recipients: readonly string[], answeredAt = arrivedAt): void {
    this.#accepted.push({ at: arrivedAt, count: Math.max(1, recipients.length) });
    this.#answerMs.push(Math.max(0, answeredAt - arrivedAt));
    for (const address of recipients) {
      const key = address.toLowerCase();
      this.#byAddress.set(key, (this.#byAddress.get(key) ?? 0) + 1);
    }
  }

  refused(error: string): void {
    this.#refused.set(error, (this.#refused.get(error) ?? 0) + 1);
  }

  clear(): void {
    this.#accepted = [];
    this.#answerMs = [];
    this.#refused.clear();
    this.#byAddress.clear();
  }

  /** The most recipients accepted within any 1,000 ms (arrivals in (t - 1000, t]). */
  busiestSlidingSecond(): number {
    const calls = [...this.#accepted].sort((a, b) => a.at - b.at);
    let busiest = 0;
    let units = 0;
    let first = 0;
    for (const call of calls) {
      units += call.count;
      for (let oldest = calls[first]; oldest && oldest.at <= call.at - 1000; oldest = calls[++first])
        units -= oldest.count;
      busiest = Math.max(busiest, units);
    }
    return busiest;
  }

  /** GET /_ses/stats. */
  stats(): Record<string, unknown> {
    const recipients = this.#accepted.reduce((sum, call) => sum + call.count, 0);
    return {
      acceptedCalls: this.#accepted.length,
      acceptedRecipients: recipients,
      refused: Object.fromEntries(this.#refused),
      throttled:
        (this.#refused.get('TooManyRequestsException') ?? 0) +
        (this.#refused.get('ThrottlingException') ?? 0),
      busiestSlidingSecond: this.busiestSlidingSecond(),
      duplicateAddresses: [...this.#byAddress.values()].filter((count) => count > 1).length,
      // Arrival to answer of accepted calls: a lease holds its units through the whole call.
      answerMs: { median: quantile(this.#answerMs, 0.5), p90: quantile(this.#answerMs, 0.9) },
      firstAcceptedAt: this.#accepted.reduce<number | null>(
        (min, { at }) => (min === null || at < min ? at : min),
        null,
      ),
      lastAcceptedAt: this.#accepted.reduce<number | null>(
        (max, { at }) => (max === null || at > max ? at : max),
        null,
      ),
    };
  }

  /** GET /_ses/sent: accepted mail per address. */
  sent(): Record<string, number> {
    return Object.fromEntries(this.#byAddress);
  }
}

/** The q-quantile (nearest rank) of `values`, null when there are none. */
function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}
