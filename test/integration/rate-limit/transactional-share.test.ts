import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  DynamoRateLimiter,
  DynamoRateLimiterOptions,
} from '../../../shared/adapters/dynamodb/rate-limiter';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { fakeClock } from '../../support/fakes/clock';
import { mostHeldAtOnce, recordingClient } from './limiter-support';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let Limiter: typeof DynamoRateLimiter;

beforeAll(async () => {
  emulators = await useEmulators();
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  Limiter = (await import('../../../shared/adapters/dynamodb/rate-limiter')).DynamoRateLimiter;
});

/** Two limiters on one budget (a campaign sender and a transactional sender), as in the cloud. */
function sharedBudget(limitPerSecond: number, options: Partial<DynamoRateLimiterOptions> = {}) {
  const name = `test-${randomUUID()}`;
  const recorder = recordingClient(client);
  const build = () =>
    new Limiter({
      client: recorder.client,
      tableName: emulators.names.tables.rateLimits,
      name,
      limitPerSecond,
      reservedShare: 0.2,
      ...options,
    });
  return { campaign: build(), transactional: build(), grants: recorder.grants };
}

describe('the transactional share of the SMS rate', () => {
  it('lets campaigns use the whole rate while no transactional SMS flows', async () => {
    // Prepare
    const clock = fakeClock();
    const { campaign } = sharedBudget(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });

    // Act
    const lease = await campaign.lease(10);

    // Assess
    expect(lease.units).toBe(10);
  });

  it('keeps the reserve from campaigns while transactional SMS flow, and gives it to them', async () => {
    // Prepare: one transactional SMS has just gone out
    const clock = fakeClock();
    const { campaign, transactional } = sharedBudget(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    const first = await transactional.lease(1, { priority: true });
    await first.release();
    await clock.sleep(1_100);

    // Act: a campaign asks for the whole rate, then a transactional SMS comes
    const bulk = await campaign.lease(10);
    const more = await campaign.lease(10, { deadline: clock.now() + 50 });
    const order = await transactional.lease(2, { priority: true });

    // Assess: campaigns got 8 of 10 and no more; the transactional SMS found its 2 at once
    expect(bulk.units).toBe(8);
    expect(more.units).toBe(0);
    expect(order.units).toBe(2);
  });

  it('gives the reserve back to campaigns once transactional traffic has been idle a while', async () => {
    // Prepare
    const clock = fakeClock();
    const { campaign, transactional } = sharedBudget(10, {
      now: clock.now,
      sleep: clock.sleep,
      jitterMs: 0,
      reserveIdleMs: 3_000,
    });
    const first = await transactional.lease(1, { priority: true });
    await first.release();

    // Act
    await clock.sleep(3_100);
    const bulk = await campaign.lease(10);

    // Assess
    expect(bulk.units).toBe(10);
  });

  it('makes a campaign holding the whole rate leave the reserve once a transactional SMS waits', async () => {
    // Prepare: campaigns hold all 10 units in a call still open
    const clock = fakeClock();
    const { campaign, transactional, grants } = sharedBudget(10, {
      now: clock.now,
      sleep: clock.sleep,
      jitterMs: 0,
    });
    const bulk = await campaign.lease(10);
    setTimeout(() => void bulk.release(), 0);

    // Act: a transactional SMS waits; the campaign comes back for more right after
    const order = transactional.lease(1, { priority: true });
    const [orderLease, next] = await Promise.all([order, campaign.lease(10)]);

    // Assess: the transactional SMS got its unit; the campaign's next lease left the reserve free
    expect(orderLease.units).toBe(1);
    expect(next.units).toBeLessThanOrEqual(8);
    expect(mostHeldAtOnce(grants())).toBeLessThanOrEqual(10);
  });

  it('never holds more than the rate in total, campaigns and transactional SMS together', async () => {
    // Prepare: 3 campaign senders and 2 transactional senders on one budget of 12 a second
    const limit = 12;
    const { campaign, transactional, grants } = sharedBudget(limit);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let transactionalUnits = 0;

    // Act
    await Promise.all([
      ...Array.from({ length: 3 }, async () => {
        for (let left = 20; left > 0; ) {
          const lease = await campaign.lease(Math.min(left, 6));
          left -= lease.units;
          await pause(Math.random() * 100);
          await lease.release();
        }
      }),
      ...Array.from({ length: 2 }, async () => {
        for (let i = 0; i < 4; i++) {
          const lease = await transactional.lease(1, { priority: true });
          transactionalUnits += lease.units;
          await pause(Math.random() * 100);
          await lease.release();
        }
      }),
    ]);

    // Assess
    expect(transactionalUnits).toBe(8);
    expect(mostHeldAtOnce(grants())).toBeLessThanOrEqual(limit);
  });
});
