import { describe, expect, it } from 'vitest';
import {
  isProviderDown,
  PROVIDER_DOWN_FAILURES,
  PROVIDER_DOWN_MS,
  retryDelaySeconds,
} from '../../../shared/domain/retry-backoff';

const NOW = new Date('2025-06-01T10:00:00.000Z');

describe('retryDelaySeconds', () => {
  it('grows with the receive count, seconds first and then minutes, and stays at its last figure', () => {
    // Act
    const delays = [1, 2, 3, 4, 5, 9].map((count) => retryDelaySeconds(count));
    // Assess
    expect(delays).toEqual([10, 30, 120, 360, 360, 360]);
  });

  it('treats a missing or odd receive count as the first receive', () => {
    expect(retryDelaySeconds(0)).toBe(10);
    expect(retryDelaySeconds(Number.NaN)).toBe(10);
  });

  it('never brings a message back before the claim lease of a recipient left unknown', () => {
    // Act: a 2-minute lease on the first receive (10 s alone), and on the fourth (6 min already)
    const first = retryDelaySeconds(1, { unknownLeaseMs: 120_000 });
    const fourth = retryDelaySeconds(4, { unknownLeaseMs: 120_000 });
    // Assess
    expect(first).toBe(120);
    expect(fourth).toBe(360);
  });

  it('scales the figures but not the lease floor, rounding up to whole seconds', () => {
    expect(retryDelaySeconds(1, { scale: 0.01 })).toBe(1);
    expect(retryDelaySeconds(4, { scale: 0.01 })).toBe(4);
    expect(retryDelaySeconds(1, { scale: 0.01, unknownLeaseMs: 2_500 })).toBe(3);
  });
});

describe('isProviderDown', () => {
  it(`counts a provider down at ${PROVIDER_DOWN_FAILURES} consecutive failures`, () => {
    expect(isProviderDown({ failures: PROVIDER_DOWN_FAILURES - 1, since: NOW }, NOW)).toBe(false);
    expect(isProviderDown({ failures: PROVIDER_DOWN_FAILURES, since: NOW }, NOW)).toBe(true);
  });

  it('counts a provider down after failing for 5 minutes, however few the failures', () => {
    const since = new Date(NOW.getTime() - PROVIDER_DOWN_MS);
    const justBefore = new Date(NOW.getTime() - PROVIDER_DOWN_MS + 1);
    expect(isProviderDown({ failures: 2, since }, NOW)).toBe(true);
    expect(isProviderDown({ failures: 2, since: justBefore }, NOW)).toBe(false);
  });
});
