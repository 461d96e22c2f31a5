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
import { busiestWindow, mostHeldAtOnce, recordingClient } from './limiter-support';

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
    expect(
      Object.values((item?.grants ?? {}) as Record<string, RateGrant>).map((grant) => grant.units),
    ).toEqual([5]);
    expect(item?.expiresAt).toBeGreaterThan(Math.floor(clock.now() / 1000));
  });

  it('holds a lease from its grant until a second after its release, however long the call took', async () => {
    // Prepare: the whole budget leased to a call that takes 700 ms to answer
    const clock = fakeClock();
    const start = clock.now();
    const { limiter: shared, grants } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    const call = await shared.lease(10);
    await clock.sleep(700);
    await call.release();

    // Act
    const next = await shared.lease(4);

    // Assess: the next lease came a second and the 10 ms skew after the answer, not after the grant
    expect(next.units).toBe(4);
    expect(grants().map((grant) => [grant.at - start, grant.units, grant.until - start])).toEqual([
      [0, 10, 1710],
      [1710, 4, 1710 + 60_000 + 1010],
    ]);
  });

  it('waits for a lease whose call has not answered: never grants its units, sees its release', async () => {
    // Prepare: 6 of 10 held by a call still in flight
    const clock = fakeClock();
    const { limiter: shared } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    const inFlight = await shared.lease(6);

    // Act: a lease for more than what is left, with a deadline 3 s away
    const partial = await shared.lease(8);
    const none = await shared.lease(8, { deadline: clock.now() + 3_000 });

    // Assess: the 4 left, then nothing while the call is open, whatever the wait
    expect(partial.units).toBe(4);
    expect(none.units).toBe(0);
    expect(inFlight.units).toBe(6);
  });

  it('with least, waits until that much room is free rather than take the sliver left', async () => {
    // Prepare: 6 of 10 held by a call that answers at once; then 3 more, answered 400 ms later
    const clock = fakeClock();
    const start = clock.now();
    const { limiter: shared, grants } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    const first = await shared.lease(6);
    await first.release();
    await clock.sleep(400);
    const second = await shared.lease(3);
    await second.release();

    // Act: a lease for 10 that would take no fewer than 8
    const whole = await shared.lease(10, { least: 8 });

    // Assess: not the 1 free now, nor the 4 freed when the first lease left: the 10 once both had
    expect(whole.units).toBe(10);
    expect(grants().map((grant) => [grant.at - start, grant.units])).toEqual([
      [0, 6],
      [400, 3],
      [1410, 10],
    ]);
  });

  it('resolves a lease written ahead prepareMs before its moment, measured at that same moment', async () => {
    // Prepare: the whole budget leased to a call that answers after 200 ms (held until 1210)
    const clock = fakeClock();
    const start = clock.now();
    const { limiter: shared, grants } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    const call = await shared.lease(10);
    await clock.sleep(200);
    await call.release();

    // Act: the next lease asks for 100 ms to prepare its call
    const next = await shared.lease(10, { early: true, prepareMs: 100 });

    // Assess: written and resolved 100 ms ahead, its moment still the first one's end
    expect(next.units).toBe(10);
    expect(next.notBefore - start).toBe(1210);
    expect(clock.now() - start).toBe(1110);
    expect(grants().map((grant) => grant.at - start)).toEqual([0, 1210]);
  });

  it('waits once, within fill.withinMs, for a fuller grant when the window frees in pieces', async () => {
    // Prepare: 3 units end at 1010, the other 7 at 1060 (their calls answered 50 ms apart)
    const clock = fakeClock();
    const start = clock.now();
    const build = () => limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    const pieces = async (shared: DynamoRateLimiter) => {
      const small = await shared.lease(3);
      const large = await shared.lease(7);
      await small.release();
      await clock.sleep(50);
      await large.release();
      await clock.sleep(1_000 - 50 + 10 - 40);
    };
    const filled = build();
    await pieces(filled.limiter);

    // Act: at 970, one lease that waits up to 100 ms for 10 units, then one at 2100 that waits
    // only 20 ms, on a fresh budget freeing the same way
    const full = await filled.limiter.lease(10, { fill: { units: 10, withinMs: 100 } });
    const fullAt = clock.now() - start;
    const hurried = build();
    const later = clock.now();
    await pieces(hurried.limiter);
    const piece = await hurried.limiter.lease(10, { fill: { units: 10, withinMs: 20 } });

    // Assess: the first waited for all 10 at 1060; the second took the 3 of its first piece
    expect([full.units, fullAt]).toEqual([10, 1060]);
    expect(filled.grants().map((grant) => grant.at - start)).toEqual([0, 0, 1060]);
    expect(piece.units).toBe(3);
    expect(hurried.grants().map((grant) => grant.at - later)).toEqual([0, 0, 1010]);
  });

  it('lets an unreleased lease (a sender that died in its call) go after maxHoldMs and a second', async () => {
    // Prepare
    const clock = fakeClock();
    const start = clock.now();
    const { limiter: shared, grants } = limiter(5, {
      now: clock.now,
      sleep: clock.sleep,
      jitterMs: 0,
      maxHoldMs: 5_000,
    });
    await shared.lease(5);

    // Act
    const next = await shared.lease(5);

    // Assess
    expect(next.units).toBe(5);
    expect(grants().map((grant) => grant.at - start)).toEqual([0, 6_010]);
  });

  it('never lets calls that meet in one sliding second exceed the limit, whatever each call takes', async () => {
    // Prepare: 6 senders whose calls take 0 to 400 ms, each reaching the "provider" at a
    // random moment between its grant and its answer (where a real call's arrival lies)
    const limit = 12;
    const { limiter: shared, grants } = limiter(limit);
    const arrivals: { at: number; units: number }[] = [];
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    // Act
    await Promise.all(
      Array.from({ length: 6 }, async (_, sender) => {
        for (let left = 10 + sender; left > 0; ) {
          const lease = await shared.lease(Math.min(left, 5));
          left -= lease.units;
          const before = Math.random() * 200;
          await pause(before);
          arrivals.push({ at: Date.now(), units: lease.units });
          await pause(Math.random() * 200);
          await lease.release();
        }
      }),
    );

    // Assess
    const log = grants();
    expect(arrivals.reduce((sum, call) => sum + call.units, 0)).toBe(6 * 10 + 15);
    expect(log.every((grant) => grant.open === undefined)).toBe(true);
    expect(mostHeldAtOnce(log)).toBeLessThanOrEqual(limit);
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(limit);
  });

  it('reads a log an earlier version stored as a list, and rewrites it as a map', async () => {
    // Prepare: 7 of 10 granted by the list format, 200 ms ago
    const clock = fakeClock();
    const { limiter: shared, name } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    await client.send(
      new PutCommand({
        TableName: emulators.names.tables.rateLimits,
        Item: { pk: name, version: 4, grants: [{ at: clock.now() - 200, units: 7, id: 'old' }] },
      }),
    );

    // Act
    const lease = await shared.lease(10);

    // Assess: the old grant still counted (a window from its grant), the item now a map
    expect(lease.units).toBe(3);
    const { Item: item } = await client.send(
      new GetCommand({
        TableName: emulators.names.tables.rateLimits,
        Key: { pk: name },
        ConsistentRead: true,
      }),
    );
    expect(item?.version).toBe(5);
    expect(Object.keys(item?.grants ?? {})).toContain('old');
  });

  describe('with a call limit (callsPerSecond)', () => {
    /** A limiter on its own budget, on the fake clock, without jitter. */
    const onClock = (
      clock: ReturnType<typeof fakeClock>,
      limitPerSecond: number,
      options: Partial<DynamoRateLimiterOptions>,
    ) => limiter(limitPerSecond, { now: clock.now, sleep: clock.sleep, jitterMs: 0, ...options });

    it("holds a lease's call as its units: a third call waits for a free call with units to spare", async () => {
      // Prepare: 2 calls a second, 100 units; two calls of 10 in flight, the first answered at 300 ms
      const clock = fakeClock();
      const start = clock.now();
      const { limiter: shared, grants } = onClock(clock, 100, { callsPerSecond: 2 });
      const first = await shared.lease(10);
      const second = await shared.lease(10);
      await clock.sleep(300);
      await first.release();

      // Act
      const third = await shared.lease(10);

      // Assess: granted a second and the skew after the first answered, though 80 units were free
      expect([first.units, second.units, third.units]).toEqual([10, 10, 10]);
      expect(grants().map((grant) => [grant.at - start, grant.units])).toEqual([
        [0, 10],
        [0, 10],
        [1310, 10],
      ]);
    });

    it('callLease holds one call and no units, and waits for a free call', async () => {
      // Prepare: 1 call a second, 10 units
      const clock = fakeClock();
      const start = clock.now();
      const { limiter: shared, grants } = onClock(clock, 10, { callsPerSecond: 1 });

      // Act: a status call in flight, a send that may wait 500 ms, then the call answers at 200 ms
      const status = await shared.callLease();
      const refused = await shared.lease(10, { deadline: clock.now() + 500 });
      await clock.sleep(200);
      await status?.release();
      const send = await shared.lease(10);
      const busy = await shared.callLease({ deadline: clock.now() + 500 });

      // Assess: the send had all 10 units once the status call's second was over; no call after it
      expect(status?.units).toBe(0);
      expect(refused.units).toBe(0);
      expect(send.units).toBe(10);
      expect(busy).toBeUndefined();
      expect(grants().map((grant) => [grant.at - start, grant.units])).toEqual([
        [0, 0],
        [1210, 10],
      ]);
    });

    it('resolves a call lease written ahead only at the moment it was measured at', async () => {
      // Prepare: table requests took 80 ms, so grants are written ahead; now they take 5 ms.
      // One call a second, held by a send that answered.
      const clock = fakeClock();
      let latencyMs = 80;
      const slow = {
        send: async (command: never) => {
          const answer = await client.send(command);
          await clock.sleep(latencyMs);
          return answer;
        },
      } as unknown as DynamoDBDocumentClient;
      const recorder = recordingClient(slow);
      const { limiter: shared } = limiter(10, {
        client: recorder.client,
        now: clock.now,
        sleep: clock.sleep,
        jitterMs: 0,
        callsPerSecond: 1,
      });
      const grants = recorder.grants;
      for (let i = 0; i < 4; i++) await (await shared.lease(1)).release();
      const [sent] = grants().slice(-1);
      latencyMs = 5;

      // Act
      const status = await shared.callLease();

      // Assess: measured at the send's end, and not handed out before it
      expect(status?.notBefore).toBe(sent?.until);
      expect(clock.now()).toBeGreaterThanOrEqual(status?.notBefore ?? Number.POSITIVE_INFINITY);
    });

    it('after a throttle takes one call less, and climbs back one call a minute', async () => {
      // Prepare: 3 calls a second, one call made and answered
      const clock = fakeClock();
      const { limiter: shared } = onClock(clock, 100, { callsPerSecond: 3 });
      await (await shared.lease(1)).release();
      await clock.sleep(2_000);

      // Act
      await shared.throttled();
      const lowered = [
        await shared.lease(1),
        await shared.lease(1),
        await shared.lease(1, { deadline: clock.now() + 100 }),
      ];
      await Promise.all(lowered.map((lease) => lease.release()));
      await clock.sleep(60_000);
      const raised = [await shared.lease(1), await shared.lease(1), await shared.lease(1)];

      // Assess: two calls fit in the lowered second; a minute on, three again
      expect(lowered.map((lease) => lease.units)).toEqual([1, 1, 0]);
      expect(raised.map((lease) => lease.units)).toEqual([1, 1, 1]);
      expect(await shared.callLimit()).toBe(3);
    });

    it('lowers once for throttles within 2 s of each other, and never below one call a second', async () => {
      // Prepare: 3 calls a second, one call made
      const clock = fakeClock();
      const { limiter: shared } = onClock(clock, 100, { callsPerSecond: 3 });
      await (await shared.lease(1)).release();

      // Act: two throttles together, then two more, each 2 s after the last
      const limits: number[] = [];
      await shared.throttled();
      await shared.throttled();
      limits.push(await shared.callLimit());
      for (const _ of [1, 2]) {
        await clock.sleep(2_000);
        await shared.throttled();
        limits.push(await shared.callLimit());
      }

      // Assess
      expect(limits).toEqual([2, 1, 1]);
    });

    it('counts a grant as one call per unitsPerCall of its units, and grants no more than its free calls carry', async () => {
      // Prepare: 3 calls a second of at most 200 units, 1,000 units a second
      const clock = fakeClock();
      const { limiter: shared } = onClock(clock, 1000, { callsPerSecond: 3, unitsPerCall: 200 });

      // Act: 250 units (2 calls), then as many as possible, then one more
      const two = await shared.lease(250);
      const capped = await shared.lease(1000);
      const none = await shared.lease(1, { deadline: clock.now() + 100 });

      // Assess: the one call left carried 200 of the 750 units free; then no call was left
      expect([two.units, capped.units, none.units]).toEqual([250, 200, 0]);
    });

    it('leaves one call free for priority leases while the reserve is kept', async () => {
      // Prepare: 3 calls a second, a fifth of 100 units reserved; a transactional SMS just went out
      const clock = fakeClock();
      const { limiter: shared } = onClock(clock, 100, { callsPerSecond: 3, reservedShare: 0.2 });
      const transactional = await shared.lease(1, { priority: true });
      await transactional.release();

      // Act: campaign leases, then another transactional one
      const campaign = await shared.lease(10);
      const refused = await shared.lease(10, { deadline: clock.now() + 100 });
      const priority = await shared.lease(1, { priority: true });

      // Assess: campaigns had one call beside the transactional one; the third call was kept for priority
      expect([campaign.units, refused.units, priority.units]).toEqual([10, 0, 1]);
    });
  });

  it('refuses a limit that is not a positive integer, and a negative guard', () => {
    // Act and assess
    expect(() => limiter(0)).toThrow(RangeError);
    expect(() => limiter(2.5)).toThrow(RangeError);
    expect(() => limiter(5, { guardMs: -1 })).toThrow(RangeError);
    expect(() => limiter(5, { skewMs: -1 })).toThrow(RangeError);
    expect(() => limiter(5, { maxHoldMs: 0 })).toThrow(RangeError);
    expect(() => limiter(5, { callsPerSecond: 0 })).toThrow(RangeError);
    expect(() => limiter(5, { callsPerSecond: 1.5 })).toThrow(RangeError);
    expect(() => limiter(5, { unitsPerCall: 0 })).toThrow(RangeError);
  });
});
