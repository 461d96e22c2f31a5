import { describe, expect, it } from 'vitest';
import { KavenegarError } from '../../../../shared/adapters/kavenegar/errors';
import { KavenegarSmsStatusSource } from '../../../../shared/adapters/kavenegar/sms-status-source';
import { ProviderError } from '../../../../shared/domain/errors';

/** A call budget that records what the status source asked of it. */
function budget(free = true) {
  const asked: string[] = [];
  return {
    asked,
    calls: {
      callLease: async () => {
        asked.push('lease');
        return free ? { release: async () => void asked.push('release') } : undefined;
      },
      throttled: async () => void asked.push('throttled'),
    },
  };
}

const answered = (code: string) => async () => {
  throw new KavenegarError(code, 'retryable', `answered ${code}`, { context: { operation: 'sms/status' } });
};

describe('KavenegarSmsStatusSource', () => {
  it('asks within a call of the budget and releases it after the answer', async () => {
    // Prepare
    const { asked, calls } = budget();
    const source = new KavenegarSmsStatusSource(
      { status: async (ids) => ids.map((messageId) => ({ messageId, status: 10, statusText: '' })) },
      { calls },
    );

    // Act
    const reports = await source.status(['7001']);

    // Assess
    expect(reports).toHaveLength(1);
    expect(asked).toEqual(['lease', 'release']);
  });

  it('slows every caller down after a 451, and not after other failures; the error still reaches the poll', async () => {
    // Prepare
    const throttledRun = budget();
    const busyRun = budget();

    // Act
    const throttled = new KavenegarSmsStatusSource({ status: answered('451') }, { calls: throttledRun.calls })
      .status(['7001'])
      .catch((error: unknown) => error);
    const busy = new KavenegarSmsStatusSource({ status: answered('409') }, { calls: busyRun.calls })
      .status(['7001'])
      .catch((error: unknown) => error);

    // Assess
    expect(await throttled).toMatchObject({ provider: 'kavenegar', code: '451' });
    expect(await busy).toMatchObject({ provider: 'kavenegar', code: '409' });
    expect(throttledRun.asked).toEqual(['lease', 'throttled', 'release']);
    expect(busyRun.asked).toEqual(['lease', 'release']);
  });

  it('asks nothing when no call is free in time, and says so as retryable', async () => {
    // Prepare
    const { calls } = budget(false);
    let statusCalls = 0;
    const source = new KavenegarSmsStatusSource(
      {
        status: async () => {
          statusCalls += 1;
          return [];
        },
      },
      { calls, callWaitMs: 50 },
    );

    // Act
    const error = await source.status(['7001']).catch((thrown: unknown) => thrown);

    // Assess
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'rate_limited', failureClass: 'retryable' });
    expect(statusCalls).toBe(0);
  });
});
