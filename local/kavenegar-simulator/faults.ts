import { z } from 'zod';
import { normalizeReceptor } from './receptor';

/** The body of POST /_sim/faults; every field is optional and merged into the current faults. */
export const faultsInputSchema = z.strictObject({
  /** API calls admitted per sliding second; past it the answer is 451. */
  rateLimitPerSecond: z.number().int().positive().optional(),
  /** Sets the account's credit (Rial) now; DELETE /_sim/faults restores the starting credit. */
  credit: z.number().nonnegative().optional(),
  /** Sets the price of one SMS part (Rial) from now; DELETE /_sim/faults restores the starting one. */
  costPerPart: z.number().nonnegative().optional(),
  /** Answers `code` to the next `count` API calls. */
  failNext: z
    .strictObject({ code: z.number().int().min(100).max(599), count: z.number().int().positive() })
    .optional(),
  /** Delays every API answer, after the call has taken effect. */
  latencyMs: z.number().int().nonnegative().max(60_000).optional(),
  /** Final status (6, 11, 14 ...) per receptor in any form, for messages accepted from now on. */
  statusFor: z.record(z.string(), z.number().int().positive()).optional(),
});

export type FaultsInput = z.infer<typeof faultsInputSchema>;

const WINDOW_MS = 1_000;

/** The faults in force, and the sliding window the rate limit counts in. */
export class FaultBook {
  #rateLimitPerSecond: number | undefined;
  #failNext: { code: number; count: number } | undefined;
  #latencyMs = 0;
  readonly #statusFor = new Map<string, number>();
  #admitted: number[] = [];

  /** Merges faults in. @returns the receptors that are not Iranian mobiles (then nothing is merged). */
  merge(input: FaultsInput): string[] {
    const steered = Object.entries(input.statusFor ?? {}).map(([receptor, status]) => ({
      receptor,
      national: normalizeReceptor(receptor),
      status,
    }));
    const invalid = steered.filter((entry) => entry.national === undefined).map((entry) => entry.receptor);
    if (invalid.length > 0) return invalid;
    if (input.rateLimitPerSecond !== undefined) this.#rateLimitPerSecond = input.rateLimitPerSecond;
    if (input.failNext !== undefined) this.#failNext = { ...input.failNext };
    if (input.latencyMs !== undefined) this.#latencyMs = input.latencyMs;
    for (const { national, status } of steered)
      if (national !== undefined) this.#statusFor.set(national, status);
    return [];
  }

  reset(): void {
    this.#rateLimitPerSecond = undefined;
    this.#failNext = undefined;
    this.#latencyMs = 0;
    this.#statusFor.clear();
    this.#admitted = [];
  }

  /** Counts one API call in the sliding window; false when it is over the limit (451). */
  admit(nowMs: number): boolean {
    this.#admitted = this.#admitted.filter((at) => nowMs - at < WINDOW_MS);
    if (this.#rateLimitPerSecond !== undefined && this.#admitted.length >= this.#rateLimitPerSecond)
      return false;
    this.#admitted.push(nowMs);
    return true;
  }

  /** The code to answer instead of handling the call, while failNext lasts. */
  takeFailNext(): number | undefined {
    const failNext = this.#failNext;
    if (failNext === undefined) return undefined;
    failNext.count -= 1;
    if (failNext.count <= 0) this.#failNext = undefined;
    return failNext.code;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  /** The steered final status for a receptor in national form. */
  finalStatusFor(national: string): number | undefined {
    return this.#statusFor.get(national);
  }

  /** The faults in force, for GET /_sim/faults. */
  describe(): Record<string, unknown> {
    return {
      rateLimitPerSecond: this.#rateLimitPerSecond,
      failNext: this.#failNext,
      latencyMs: this.#latencyMs,
      statusFor: Object.fromEntries(this.#statusFor),
    };
  }
}
