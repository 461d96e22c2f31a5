import { describe, expect, it } from 'vitest';
import { RateLimitedEmailProvider } from '../../../shared/adapters/rate-limited-email-provider';
import type { EmailAccountState } from '../../../shared/domain/email-sending';
import { ProviderError } from '../../../shared/domain/errors';
import type { PartialRateLimiter, RateLease } from '../../../shared/ports';
import { FakeEmailProvider } from '../../support/fakes/email-provider';

const mail = { to: 'sara@example.com', subject: 's', html: '<p>h</p>', text: 'h', headers: {} };

function setup(state: EmailAccountState, units = 1) {
  const email = new FakeEmailProvider();
  const leases: { perSecond: number; priority?: boolean; released: boolean }[] = [];
  const limiter = (perSecond: number): PartialRateLimiter =>
    ({
      lease: async (_max: number, options?: { priority?: boolean }): Promise<RateLease> => {
        const entry = { perSecond, ...(options?.priority ? { priority: true } : {}), released: false };
        leases.push(entry);
        return {
          units,
          notBefore: 0,
          release: async () => {
            entry.released = true;
          },
        };
      },
    }) as unknown as PartialRateLimiter;
  const provider = new RateLimitedEmailProvider(email, { state: async () => state }, limiter, {
    priority: true,
  });
  return { email, leases, provider };
}

describe('RateLimitedEmailProvider', () => {
  it('holds a priority unit of SES’s own rate around each send and releases it', async () => {
    // Prepare
    const { email, leases, provider } = setup({ maxSendRate: 14.5, sendingEnabled: true });

    // Act
    await provider.send(mail);

    // Assess
    expect(email.sent).toHaveLength(1);
    expect(leases).toEqual([{ perSecond: 14, priority: true, released: true }]);
  });

  it('sends nothing to a stopped account, or without a unit in time: retryable', async () => {
    // Prepare
    const stopped = setup({ maxSendRate: 14, sendingEnabled: false });
    const starved = setup({ maxSendRate: 14, sendingEnabled: true }, 0);

    // Act
    const paused = stopped.provider.send(mail);
    const limited = starved.provider.send(mail);

    // Assess
    await expect(paused).rejects.toMatchObject({ code: 'account_stopped', failureClass: 'retryable' });
    await expect(limited).rejects.toBeInstanceOf(ProviderError);
    expect([...stopped.email.sent, ...starved.email.sent]).toEqual([]);
  });
});
