import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  DynamoRateLimiter,
  DynamoRateLimiterOptions,
} from '../../../shared/adapters/dynamodb/rate-limiter';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let Limiter: typeof DynamoRateLimiter;

beforeAll(async () => {
  emulators = await useEmulators();
  // Imported once process.env points at this file's tables.
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  Limiter = (await import('../../../shared/adapters/dynamodb/rate-limiter')).DynamoRateLimiter;
});

/** A clock that stands still until someone sleeps: sleeping moves it forward by exactly that long. */
function fakeClock(startMs = Date.UTC(2030, 0, 1, 12, 0, 0, 500)) {
  let now = startMs;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    second: () => Math.floor(now / 1000),
  };
}

function limiter(limitPerSecond: number, options: Partial<DynamoRateLimiterOptions> = {}) {
  const name = `test-${randomUUID()}`;
  const built = new Limiter({
    client,
    tableName: emulators.names.tables.rateLimits,
    name,
    limitPerSecond,
    ...options,
  });
  return { limiter: built, name };
}

/** The window items of one limiter as the table holds them: epoch second → units granted. */
async function windowsOf(name: string): Promise<Map<number, number>> {
  const windows = new Map<number, number>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: emulators.names.tables.rateLimits,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const [prefix, second] = String(item.pk).split('#');
      if (prefix === name) windows.set(Number(second), Number(item.units));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return windows;
}

describe('DynamoRateLimiter', () => {
  it('never grants more than the limit in any one second to concurrent acquirers', async () => {
    // Prepare: 5 senders with uneven requests, whole and partial, well over a second's budget
    const limit = 20;
    const { limiter: shared, name } = limiter(limit);
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

    // Assess: read back from the table, not from the clock
    const windows = await windowsOf(name);
    const total = requests.flat().reduce((sum, size) => sum + size, 0);
    expect(Math.max(...windows.values())).toBeLessThanOrEqual(limit);
    expect([...windows.values()].reduce((sum, units) => sum + units, 0)).toBe(total);
    expect(granted.reduce((sum, units) => sum + units, 0)).toBe(total);
    expect(windows.size).toBeGreaterThanOrEqual(Math.ceil(total / limit));
  });

  it('splits a request larger than the limit over successive seconds', async () => {
    // Prepare
    const clock = fakeClock();
    const first = clock.second();
    const { limiter: small, name } = limiter(10, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });

    // Act
    await small.acquire(25);

    // Assess
    expect(await windowsOf(name)).toEqual(
      new Map([
        [first, 10],
        [first + 1, 10],
        [first + 2, 5],
      ]),
    );
  });

  it('acquire waits for a window with room for all its units; acquireUpTo spends what is left', async () => {
    // Prepare: 15 of 20 already spent in this second
    const clock = fakeClock();
    const first = clock.second();
    const { limiter: shared, name } = limiter(20, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    await shared.acquire(15);

    // Act
    const partial = await shared.acquireUpTo(10);
    await shared.acquire(8);

    // Assess
    expect(partial).toBe(5);
    expect(await windowsOf(name)).toEqual(
      new Map([
        [first, 20],
        [first + 1, 8],
      ]),
    );
  });

  it('grants nothing and spends nothing when the deadline comes before a window with room', async () => {
    // Prepare
    const clock = fakeClock();
    const { limiter: shared, name } = limiter(5, { now: clock.now, sleep: clock.sleep, jitterMs: 0 });
    await shared.acquire(5);

    // Act
    const granted = await shared.acquireUpTo(3, { deadline: clock.now() + 100 });

    // Assess
    expect(granted).toBe(0);
    expect(await windowsOf(name)).toEqual(new Map([[clock.second(), 5]]));
  });

  it('gives each window an expiry for the table TTL', async () => {
    // Prepare
    const clock = fakeClock();
    const { limiter: shared, name } = limiter(5, { now: clock.now, sleep: clock.sleep });

    // Act
    await shared.acquire(1);

    // Assess
    const page = await client.send(
      new ScanCommand({ TableName: emulators.names.tables.rateLimits, ConsistentRead: true }),
    );
    const item = page.Items?.find((candidate) => String(candidate.pk).startsWith(`${name}#`));
    expect(item?.expiresAt).toBeGreaterThan(clock.second());
  });
});
