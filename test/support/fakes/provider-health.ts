import type { FailureStreak } from '../../../shared/domain/retry-backoff';
import type { ProviderHealth } from '../../../shared/ports';

/** ProviderHealth in memory: one failure run per provider, ended by a success. */
export class MemoryProviderHealth implements ProviderHealth {
  readonly streaks = new Map<string, FailureStreak>();

  async recordFailure(provider: string, now: Date): Promise<FailureStreak> {
    const current = this.streaks.get(provider);
    const next = { failures: (current?.failures ?? 0) + 1, since: current?.since ?? now };
    this.streaks.set(provider, next);
    return next;
  }

  async recordSuccess(provider: string): Promise<void> {
    this.streaks.delete(provider);
  }
}
