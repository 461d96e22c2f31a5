import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  DynamoRateLimiter,
  DynamoRateLimiterOptions,
  RateGrant,
} from '../../../shared/adapters/dynamodb/rate-limiter';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { fakeClock } from '../../support/fakes/clock';
import { busiestWindow, recordingClient } from './limiter-support';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let Limiter: typeof DynamoRateLimiter;

beforeAll(async () => {
  emulators = await useEmulators();
  // Imported once process.env points at this file's tables.
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  Limiter = (await import('../../../shared/adapters/dynamodb/rate-limiter')).DynamoRateLimiter;
});

/** A limiter on its own budget, over a client that records every log the table accepted. */
function limiter(limitPerSecond: number, options: Partial<DynamoRateLimiterOptions> = {}) {
  const name = `test-${randomUUID()}`;
  const recorder = recordingClient(client);
  const built = new Limiter({
    client: recorder.client,
    tableName: emulators.names.tables.rateLimits,
    name,
    limitPerSecond,
    ...options,
  });
  return { limiter: built, name, grants: recorder.grants };
}

describe('DynamoRateLimiter', () => {
  it('never grants more than the limit in any sliding second to concurrent acquirers', async () => {
    // Prepare: 5 senders with uneven requests, whole and partial, well over a second's budget
    const limit = 20;
    const { limiter: shared, grants } = limiter(limit);
    const requests = Array.from({ length: 5 }, (_, sender) =>
      Array.from({ length: 4 }, (_, turn) => ((sender * 7 + turn * 5) % 13) + 1),
    );
    const granted: number[] = [];

    // Act
    await Promise.all(
      requests.map(async (sizes, sender) => {
        for (const size of sizes) {
          if (sender % 2 === 0) {
            await shared.acquire(size);
            granted.push(size);
          } else {
            let left = size;
            while (left > 0) {
              const part = await shared.acquireUpTo(left);
              granted.push(part);
              left -= part;
            }
          }
        }
      }),
    );

    // Assess: from the logs the table accepted, not from the acquirers' clocks
    const log = grants();
    const total = requests.flat().reduce((sum, size) => sum + size, 0);
    expect(granted.reduce((sum, units) => sum + units, 0)).toBe(total);
    // More in the log only where a write came back past the guard: those units stay spent.
    expect(log.reduce((sum, grant) => sum + grant.units, 0)).toBeGreaterThanOrEqual(total);
    expect(busiestWindow(log, 1000)).toBeLessThanOrEqual(limit);
    // The guard widens the window: no two grants a full limit apart come closer than 1.1 s.
    expect(busiestWindow(log, 1100)).toBeLessThanOrEqual(limit);
  });

  it('holds the limit across a clock-second boundary, where fixed windows would let a second budget out', async () => {
    // Prepare: the whole budget spent 100 ms before a second ends
    const clock = fakeClock(Date.UTC(2030, 0, 1, 12, 0, 0, 900));
    const start = clock.now();
    const { limiter: shared, grants } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    await shared.acquire(10);

    // Act: 100 ms later the clock second is new, the sliding second is not
    await clock.sleep(100);
    const granted = await shared.acquireUpTo(10);

    // Assess: the grant waited until the first left the window (one second plus the 100 ms guard)
    expect(granted).toBe(10);
    expect(grants().map((grant) => [grant.at - start, grant.units])).toEqual([
      [0, 10],
      [1100, 10],
    ]);
  });

  it('takes a grant again, a window later, when its write came back later than the guard', async () => {
    // Prepare: the first write of the log takes 150 ms, past the 100 ms guard
    const clock = fakeClock();
    const start = clock.now();
    const name = `test-${randomUUID()}`;
    const recorder = recordingClient(client);
    let slowWrites = 1;
    const slow = {
      send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        const answer = await recorder.client.send(command as never);
        if (command instanceof PutCommand && slowWrites-- > 0) await clock.sleep(150);
        return answer;
      },
    } as unknown as DynamoDBDocumentClient;
    const shared = new Limiter({
      client: slow,
      tableName: emulators.names.tables.rateLimits,
      name,
      limitPerSecond: 10,
      now: clock.now,
      sleep: clock.sleep,
      jitterMs: 0,
    });

    // Act
    await shared.acquire(10);

    // Assess: the late grant stays spent; the one the caller uses comes a window after it
    expect(recorder.grants().map((grant) => [grant.at - start, grant.units])).toEqual([
      [0, 10],
      [1100, 10],
    ]);
    expect(clock.now() - start).toBe(1100);
  });

  it('splits a request larger than the limit over successive windows', async () => {
    // Prepare
    const clock = fakeClock();
    const start = clock.now();
    const { limiter: small, grants } = limiter(10, {
      now: clock.now,
      sleep: clock.sleep,
      jitterMs: 0,
      guardMs: 0,
    });

    // Act
    await small.acquire(25);

    // Assess
    expect(grants().map((grant) => [grant.at - start, grant.units])).toEqual([
      [0, 10],
      [1000, 10],
      [2000, 5],
    ]);
  });

  it('acquire waits for room for all its units; acquireUpTo spends what is left', async () => {
    // Prepare: 15 of 20 already spent
    const clock = fakeClock();
    const start = clock.now();
    const { limiter: shared, grants } = limiter(20, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    await shared.acquire(15);

    // Act
    const partial = await shared.acquireUpTo(10);
    await shared.acquire(8);

    // Assess
    expect(partial).toBe(5);
    expect(grants().map((grant) => [grant.at - start, grant.units])).toEqual([
      [0, 15],
      [0, 5],
      [1100, 8],
    ]);
    expect((await shared.grants()).map((grant) => grant.units)).toEqual([8]);
  });

  it('grants nothing and spends nothing when the deadline comes before the window has room', async () => {
    // Prepare
    const clock = fakeClock();
    const { limiter: shared, grants } = limiter(5, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    await shared.acquire(5);

    // Act
    const granted = await shared.acquireUpTo(3, { deadline: clock.now() + 100 });

    // Assess
    expect(granted).toBe(0);
    expect(grants().map((grant) => grant.units)).toEqual([5]);
  });

  it('keeps only the last window in its one item, which expires for the table TTL', async () => {
    // Prepare
    const clock = fakeClock();
    const { limiter: shared, name } = limiter(5, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });

    // Act: three windows' worth
    await shared.acquire(15);

    // Assess
    const { Item: item } = await client.send(
      new GetCommand({
        TableName: emulators.names.tables.rateLimits,
        Key: { pk: name },
        ConsistentRead: true,
      }),
    );
    expect(((item?.grants ?? []) as RateGrant[]).map((grant) => grant.units)).toEqual([5]);
    expect(item?.expiresAt).toBeGreaterThan(Math.floor(clock.now() / 1000));
  });

  it('refuses a limit that is not a positive integer, and a negative guard', () => {
    // Act and assess
    expect(() => limiter(0)).toThrow(RangeError);
    expect(() => limiter(2.5)).toThrow(RangeError);
    expect(() => limiter(5, { guardMs: -1 })).toThrow(RangeError);
  });
});
