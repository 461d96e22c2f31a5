import { describe, expect, it } from 'vitest';
import { CoalescedSendRate } from '../../../shared/use-cases/coalesced-send-rate';
import type { SendRate, SendRateLease } from '../../../shared/use-cases/send-email';

interface Ask {
  readonly max: number;
  readonly deadline: number | undefined;
  readonly least: number | undefined;
  readonly early: boolean | undefined;
  readonly prepareMs: number | undefined;
  answer(units: number, notBefore?: number): void;
  fail(error: Error): void;
}

/** A limiter whose grants the test answers by hand; it records every ask and release. */
class ManualLimiter implements SendRate {
  readonly asks: Ask[] = [];
  readonly released: number[] = [];
  inFlight = 0;
  mostInFlight = 0;

  lease(
    max: number,
    options: { deadline?: number; least?: number; early?: boolean; prepareMs?: number } = {},
  ): Promise<SendRateLease> {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      const id = this.asks.length;
      this.asks.push({
        max,
        deadline: options.deadline,
        least: options.least,
        early: options.early,
        prepareMs: options.prepareMs,
        answer: (units, notBefore) => {
          this.inFlight -= 1;
          resolve({
            units,
            ...(notBefore === undefined ? {} : { notBefore }),
            release: async () => {
              this.released.push(id);
            },
          });
        },
        fail: (error) => {
          this.inFlight -= 1;
          reject(error);
        },
      });
    });
  }

  ask(index: number): Ask {
    const ask = this.asks[index];
    if (!ask) throw new Error(`no ask ${index} (asks: ${this.asks.length})`);
    return ask;
  }
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('CoalescedSendRate', () => {
  it('asks the limiter once for the sum of what concurrent waiters want and splits it oldest first', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const first = rate.lease(5);
    const second = rate.lease(3);
    const third = rate.lease(4);
    await settle();
    // The first waiter started an attempt alone; the others wait for the next one.
    expect(limiter.asks.map((ask) => ask.max)).toEqual([5]);
    limiter.ask(0).answer(5);
    expect((await first).units).toBe(5);
    await settle();
    expect(limiter.asks.map((ask) => ask.max)).toEqual([5, 7]);
    limiter.ask(1).answer(7);
    expect((await second).units).toBe(3);
    expect((await third).units).toBe(4);
    expect(limiter.mostInFlight).toBe(1);
  });

  it('serves waiters in order with what was granted, and the rest ask again in one attempt', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const first = rate.lease(2);
    await settle();
    const waiting = [rate.lease(6), rate.lease(6), rate.lease(6)];
    limiter.ask(0).answer(2);
    await first;
    await settle();
    expect(limiter.ask(1).max).toBe(18);
    // Room for 8: the oldest gets its 6, the next the 2 left, the last waits.
    limiter.ask(1).answer(8);
    expect((await waiting[0])?.units).toBe(6);
    expect((await waiting[1])?.units).toBe(2);
    await settle();
    expect(limiter.asks).toHaveLength(3);
    expect(limiter.ask(2).max).toBe(6);
    limiter.ask(2).answer(6);
    expect((await waiting[2])?.units).toBe(6);
    expect(limiter.mostInFlight).toBe(1);
  });

  it('releases the limiter lease once, when the last share is released', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const opening = rate.lease(1);
    await settle();
    const a = rate.lease(2);
    const b = rate.lease(3);
    limiter.ask(0).answer(1);
    await (await opening).release();
    expect(limiter.released).toEqual([0]);
    await settle();
    limiter.ask(1).answer(5);
    const [shareA, shareB] = [await a, await b];
    await shareA.release();
    await shareA.release();
    // B's calls may still be in flight: the units stay held.
    expect(limiter.released).toEqual([0]);
    await shareB.release();
    await shareB.release();
    expect(limiter.released).toEqual([0, 1]);
  });

  it('gives no units to the waiters whose deadline the limiter could not meet; the others ask again', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const opening = rate.lease(1);
    await settle();
    const soon = rate.lease(4, { deadline: 1_000 });
    const later = rate.lease(4, { deadline: 5_000 });
    const whenever = rate.lease(4);
    limiter.ask(0).answer(1);
    await opening;
    await settle();
    expect(limiter.ask(1)).toMatchObject({ max: 12, deadline: 1_000 });
    limiter.ask(1).answer(0);
    expect((await soon).units).toBe(0);
    await settle();
    expect(limiter.ask(2)).toMatchObject({ max: 8, deadline: 5_000 });
    limiter.ask(2).answer(0);
    expect((await later).units).toBe(0);
    await settle();
    expect(limiter.ask(3)).toMatchObject({ max: 4, deadline: undefined });
    limiter.ask(3).answer(4);
    expect((await whenever).units).toBe(4);
  });

  it('fails the waiters of an attempt the limiter failed, and serves those who came after', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const failing = rate.lease(3);
    await settle();
    const after = rate.lease(2);
    limiter.ask(0).fail(new Error('DynamoDB unavailable'));
    await expect(failing).rejects.toThrow('DynamoDB unavailable');
    await settle();
    expect(limiter.ask(1).max).toBe(2);
    limiter.ask(1).answer(2);
    expect((await after).units).toBe(2);
  });

  it("waits for room for the oldest waiter's least, and lends the rest of the grant to the others", async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const opening = rate.lease(1);
    await settle();
    const big = rate.lease(14, { least: 14 });
    const small = rate.lease(3, { least: 3 });
    limiter.ask(0).answer(1);
    await opening;
    await settle();
    expect(limiter.ask(1)).toMatchObject({ max: 17, least: 14 });
    limiter.ask(1).answer(16);
    expect((await big).units).toBe(14);
    expect((await small).units).toBe(2);
  });

  it('answers no units at once for a lease of nothing', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    expect((await rate.lease(0)).units).toBe(0);
    expect(limiter.asks).toHaveLength(0);
  });
  it('asks early, as far ahead as the slowest preparation, only when every waiter asked early, and hands each share notBefore', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const opening = rate.lease(1, { early: true, prepareMs: 10 });
    await settle();
    expect(limiter.ask(0)).toMatchObject({ early: true, prepareMs: 10 });
    const quick = rate.lease(2, { early: true, prepareMs: 20 });
    const slow = rate.lease(3, { early: true, prepareMs: 45 });
    limiter.ask(0).answer(1);
    await opening;
    await settle();
    expect(limiter.ask(1)).toMatchObject({ max: 5, early: true, prepareMs: 45 });
    limiter.ask(1).answer(5, 1_000_123);
    expect(await quick).toMatchObject({ units: 2, notBefore: 1_000_123 });
    expect(await slow).toMatchObject({ units: 3, notBefore: 1_000_123 });
  });

  it('asks on time when one waiter of the attempt did not ask early', async () => {
    const limiter = new ManualLimiter();
    const rate = new CoalescedSendRate(limiter);
    const opening = rate.lease(1);
    await settle();
    const early = rate.lease(2, { early: true, prepareMs: 30 });
    const onTime = rate.lease(2);
    limiter.ask(0).answer(1);
    await opening;
    await settle();
    expect(limiter.ask(1).max).toBe(4);
    expect(limiter.ask(1).early).toBeUndefined();
    expect(limiter.ask(1).prepareMs).toBeUndefined();
    limiter.ask(1).answer(4);
    expect((await early).notBefore).toBeUndefined();
    expect((await onTime).units).toBe(2);
  });
});
