import { describe, expect, it } from 'vitest';
import { KavenegarProviderAccount } from '../../../../shared/adapters/kavenegar/provider-account';
import type { KavenegarAccountInfo } from '../../../../shared/adapters/kavenegar/types';

function fakeClient(answers: (KavenegarAccountInfo | Error)[]) {
  const client = {
    calls: 0,
    async accountInfo(): Promise<KavenegarAccountInfo> {
      const answer = answers[Math.min(client.calls, answers.length - 1)];
      client.calls += 1;
      if (answer instanceof Error || answer === undefined) throw answer ?? new Error('no answer');
      return answer;
    },
  };
  return client;
}

const INFO: KavenegarAccountInfo = { remainCredit: 52_000, expireDate: 1_798_761_600, type: 'Master' };

describe('KavenegarProviderAccount', () => {
  it('answers the credit in Rial, the expiry as ISO 8601 and the account type', async () => {
    // Prepare
    const client = fakeClient([INFO]);
    const account = new KavenegarProviderAccount(async () => client);
    // Act
    const credit = await account.smsCredit();
    // Assess
    expect(credit).toEqual({ rial: 52_000, expiresAt: '2027-01-01T00:00:00.000Z', accountType: 'Master' });
  });

  it('asks Kavenegar once within its time to live, and again after it', async () => {
    // Prepare
    let now = 1_000;
    const client = fakeClient([INFO, { ...INFO, remainCredit: 40_000 }]);
    const account = new KavenegarProviderAccount(async () => client, { ttlMs: 30_000, now: () => now });
    // Act
    const first = await account.smsCredit();
    now += 29_999;
    const cached = await account.smsCredit();
    now += 1;
    const fresh = await account.smsCredit();
    // Assess
    expect([first.rial, cached.rial, fresh.rial]).toEqual([52_000, 52_000, 40_000]);
    expect(client.calls).toBe(2);
  });

  it('keeps no failure: the next call asks again', async () => {
    // Prepare
    const client = fakeClient([new Error('timeout'), INFO]);
    const account = new KavenegarProviderAccount(async () => client);
    // Act
    const failed = await account.smsCredit().catch((error: unknown) => error);
    const next = await account.smsCredit();
    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(next.rial).toBe(52_000);
    expect(client.calls).toBe(2);
  });
});
