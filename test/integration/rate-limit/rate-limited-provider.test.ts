import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import type { DynamoRateLimiter } from '../../../shared/adapters/dynamodb/rate-limiter';
import type { RateLimitedSmsProvider } from '../../../shared/adapters/rate-limited-sms-provider';
import { ProviderError } from '../../../shared/domain/errors';
import type { SmsMessage, SmsSendOutcome } from '../../../shared/domain/sms';
import type { PartialRateLimiter, SmsBatchProvider } from '../../../shared/ports';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { fakeClock } from '../../support/fakes/clock';
import { mobile, setFaults, simRequests } from '../kavenegar/sim-control';
import { busiestWindow, mostHeldAtOnce, recordingClient } from './limiter-support';

const SENDER = '50004001051233';
let emulators: TestEmulators;
let sim: KavenegarSimulator;
let client: DynamoDBDocumentClient;
let modules: {
  limiter: typeof import('../../../shared/adapters/dynamodb/rate-limiter');
  decorator: typeof import('../../../shared/adapters/rate-limited-sms-provider');
  kavenegar: typeof import('../../../shared/adapters/kavenegar/client');
  provider: typeof import('../../../shared/adapters/kavenegar/sms-provider');
};

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  emulators = await useEmulators({ env: { KAVENEGAR_BASE_URL: sim.url } });
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  modules = {
    limiter: await import('../../../shared/adapters/dynamodb/rate-limiter'),
    decorator: await import('../../../shared/adapters/rate-limited-sms-provider'),
    kavenegar: await import('../../../shared/adapters/kavenegar/client'),
    provider: await import('../../../shared/adapters/kavenegar/sms-provider'),
  };
});

afterAll(async () => {
  await sim?.end();
});

function messages(count: number): SmsMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    receptor: mobile(i),
    text: 'حراج بهاره',
    localId: `c1#contact-${i}`,
  }));
}

function dynamoLimiter(
  limitPerSecond: number,
  clock?: ReturnType<typeof fakeClock>,
  name = `test-${randomUUID()}`,
): DynamoRateLimiter {
  return new modules.limiter.DynamoRateLimiter({
    client,
    tableName: emulators.names.tables.rateLimits,
    name,
    limitPerSecond,
    ...(clock === undefined ? {} : { now: clock.now, sleep: clock.sleep, jitterMs: 0 }),
  });
}

/** What happened, in order: units granted by the limiter and messages handed to the provider. */
type Event = readonly ['granted' | 'called' | 'released', number];

function recording(limiter: PartialRateLimiter, events: Event[]): PartialRateLimiter {
  return {
    acquire: (units) => limiter.acquire(units),
    acquireUpTo: (max, options) => limiter.acquireUpTo(max, options),
    lease: async (max, options) => {
      const lease = await limiter.lease(max, options);
      events.push(['granted', lease.units]);
      return {
        units: lease.units,
        notBefore: lease.notBefore,
        release: async () => {
          events.push(['released', lease.units]);
          await lease.release();
        },
      };
    },
  };
}

function fakeProvider(
  events: Event[],
  answer: (batch: readonly SmsMessage[], call: number) => SmsSendOutcome = (batch) => ({
    receipts: batch.map((message, i) => ({
      receptor: message.receptor,
      localId: message.localId,
      messageId: `m-${message.localId}-${i}`,
      status: 1,
      cost: 1,
    })),
    failures: [],
  }),
): SmsBatchProvider {
  let call = 0;
  return {
    sendDetailed: async (batch) => {
      events.push(['called', batch.length]);
      call += 1;
      return answer(batch, call);
    },
  };
}

function decorate(
  provider: SmsBatchProvider,
  limiter: PartialRateLimiter,
  options?: { maxWaitMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> },
): RateLimitedSmsProvider {
  return new modules.decorator.RateLimitedSmsProvider(provider, limiter, options);
}

describe('RateLimitedSmsProvider', () => {
  it('acquires before each provider call and hands over exactly the units granted', async () => {
    // Prepare
    const clock = fakeClock();
    const events: Event[] = [];
    const sms = decorate(fakeProvider(events), recording(dynamoLimiter(7, clock), events), clock);

    // Act
    const outcome = await sms.sendDetailed(messages(20));

    // Assess
    expect(events).toEqual([
      ['granted', 7],
      ['called', 7],
      ['released', 7],
      ['granted', 7],
      ['called', 7],
      ['released', 7],
      ['granted', 6],
      ['called', 6],
      ['released', 6],
    ]);
    expect(outcome.receipts.map((receipt) => receipt.localId)).toEqual(
      messages(20).map((message) => message.localId),
    );
  });

  it('spends what is left of a second another sender began', async () => {
    // Prepare: another sender's call holds 4 of the 7, and has just answered
    const clock = fakeClock();
    const limiter = dynamoLimiter(7, clock);
    await (await limiter.lease(4)).release();
    const events: Event[] = [];
    const sms = decorate(fakeProvider(events), recording(limiter, events), clock);

    // Act
    await sms.sendDetailed(messages(10));

    // Assess
    expect(events).toEqual([
      ['granted', 3],
      ['called', 3],
      ['released', 3],
      ['granted', 7],
      ['called', 7],
      ['released', 7],
    ]);
  });

  it('stops after a slice that failed as retryable: the rest fail unattempted, never sent', async () => {
    // Prepare: the provider is throttled on the first call
    const clock = fakeClock();
    const events: Event[] = [];
    const throttled = new ProviderError('kavenegar', '451', 'retryable', 'throttled');
    const provider = fakeProvider(events, (batch) => ({
      receipts: [],
      failures: batch.map((message) => ({ localId: message.localId, error: throttled })),
    }));
    const sms = decorate(provider, recording(dynamoLimiter(5, clock), events), clock);

    // Act
    const outcome = await sms.sendDetailed(messages(12));

    // Assess
    expect(events).toEqual([
      ['granted', 5],
      ['called', 5],
      ['released', 5],
    ]);
    expect(outcome.failures).toHaveLength(12);
    expect(outcome.failures.slice(5).every(({ error }) => error.message.startsWith('Not attempted'))).toBe(
      true,
    );
    expect(outcome.failures.every(({ error }) => error.failureClass === 'retryable')).toBe(true);
  });

  it("lowers every sender's call limit after Kavenegar's 451, and not after other retryable answers", async () => {
    // Prepare: 3 calls a second shared by two senders' limiters; Kavenegar answers 451, later 402
    const clock = fakeClock();
    const name = `test-${randomUUID()}`;
    const shared = () =>
      new modules.limiter.DynamoRateLimiter({
        client,
        tableName: emulators.names.tables.rateLimits,
        name,
        limitPerSecond: 100,
        callsPerSecond: 3,
        now: clock.now,
        sleep: clock.sleep,
        jitterMs: 0,
      });
    const [mine, theirs] = [shared(), shared()];
    let code = '451';
    const provider = fakeProvider([], (batch) => ({
      receipts: [],
      failures: batch.map((message) => ({
        localId: message.localId,
        error: new ProviderError('kavenegar', code, 'retryable', `answered ${code}`),
      })),
    }));
    const sms = decorate(provider, mine, clock);

    // Act
    await sms.sendDetailed(messages(2));
    const afterThrottle = await theirs.callLimit();
    await clock.sleep(5_000);
    code = '402';
    await sms.sendDetailed(messages(2));
    const afterBusy = await theirs.callLimit();

    // Assess
    expect(afterThrottle).toBe(2);
    expect(afterBusy).toBe(2);
  });

  it('fails what it found no budget for within maxWaitMs as retryable, without calling the provider', async () => {
    // Prepare: another sender's call holds the whole budget and has not answered
    const clock = fakeClock();
    const limiter = dynamoLimiter(5, clock);
    await limiter.lease(5);
    const events: Event[] = [];
    const sms = decorate(fakeProvider(events), recording(limiter, events), {
      maxWaitMs: 100,
      now: clock.now,
    });

    // Act
    const outcome = await sms.sendDetailed(messages(3));

    // Assess
    expect(events).toEqual([['granted', 0]]);
    expect(outcome.receipts).toEqual([]);
    expect(outcome.failures.map(({ error }) => [error.code, error.failureClass])).toEqual([
      ['rate_limited', 'retryable'],
      ['rate_limited', 'retryable'],
      ['rate_limited', 'retryable'],
    ]);
  });

  it('re-checks a lease written ahead while it waits for its moment, and calls only at that moment', async () => {
    // Prepare: a lease granted 40 ms ahead of the moment it was measured at
    const clock = fakeClock();
    const start = clock.now();
    const order: string[] = [];
    const ahead: PartialRateLimiter = {
      acquire: async () => {},
      acquireUpTo: async () => 0,
      lease: async (max) => ({ units: max, notBefore: clock.now() + 40, release: async () => {} }),
    };
    const provider: SmsBatchProvider = {
      sendDetailed: async (batch) => {
        order.push(`called at ${clock.now() - start}`);
        return {
          receipts: [],
          failures: batch.map((message) => ({
            localId: message.localId,
            error: new ProviderError('kavenegar', '411', 'recipient', 'bad'),
          })),
        };
      },
    };
    const sms = decorate(provider, ahead, { now: clock.now, sleep: clock.sleep });

    // Act
    await sms.sendDetailed(messages(2), {
      beforeCall: async (slice) => {
        order.push(`re-checked at ${clock.now() - start}`);
        await clock.sleep(15);
        return slice;
      },
    });

    // Assess
    expect(order).toEqual(['re-checked at 0', 'called at 40']);
  });

  it('asks each lease for the time its re-check takes, and for the fuller grant it was built with', async () => {
    // Prepare: one unit a lease; the re-check takes 50 ms, then 100 ms
    const clock = fakeClock();
    const asked: unknown[] = [];
    const oneByOne: PartialRateLimiter = {
      acquire: async () => {},
      acquireUpTo: async () => 0,
      lease: async (_max, options) => {
        asked.push({ prepareMs: options?.prepareMs, fill: options?.fill });
        return { units: 1, notBefore: clock.now(), release: async () => {} };
      },
    };
    const fill = { units: 5, withinMs: 100 };
    const sms = new modules.decorator.RateLimitedSmsProvider(fakeProvider([]), oneByOne, {
      now: clock.now,
      sleep: clock.sleep,
      fill,
    });
    const checks = [50, 100, 100];

    // Act
    const outcome = await sms.sendDetailed(messages(3), {
      beforeCall: async (slice) => {
        await clock.sleep(checks.shift() ?? 0);
        return slice;
      },
    });

    // Assess: nothing known before the first check, then its moving average
    expect(outcome.receipts).toHaveLength(3);
    expect(asked).toEqual([
      { prepareMs: undefined, fill },
      { prepareMs: 50, fill },
      { prepareMs: 60, fill },
    ]);
  });

  it('releases the lease when the provider throws, so its units are not held until the lease expires', async () => {
    // Prepare: a provider with a bug
    const clock = fakeClock();
    const events: Event[] = [];
    const limiter = dynamoLimiter(5, clock);
    const broken: SmsBatchProvider = {
      sendDetailed: async () => {
        throw new TypeError('bug');
      },
    };
    const sms = decorate(broken, recording(limiter, events), clock);

    // Act
    await expect(sms.sendDetailed(messages(3))).rejects.toThrow('bug');

    // Assess: released a second (plus the skew) from the failure, not open any more
    expect(events).toEqual([
      ['granted', 3],
      ['released', 3],
    ]);
    expect(
      (await limiter.grants()).map((grant) => [grant.units, grant.open, grant.until - clock.now()]),
    ).toEqual([[3, undefined, 1010]]);
  });

  it('over Kavenegar with slow answers and concurrent senders, no sliding second at the simulator passes the rate', async () => {
    // Prepare: the wiring of queue-send-sms, at a rate below Kavenegar's 200 per call, and
    // answers that take far longer than the lease's 10 ms skew (a fixed window with a small
    // guard lets a late call of one window meet the early calls of the next here)
    const rate = 40;
    await setFaults(sim.url, { latencyMs: 300 });
    const recorder = recordingClient(client);
    const limiter = new modules.limiter.DynamoRateLimiter({
      client: recorder.client,
      tableName: emulators.names.tables.rateLimits,
      name: `test-${randomUUID()}`,
      limitPerSecond: rate,
    });
    const kavenegar = new modules.kavenegar.KavenegarClient({
      baseUrl: sim.url,
      apiKey: testSecretValues.kavenegarApiKey,
      timeoutMs: 5_000,
    });
    const provider = new modules.provider.KavenegarSmsProvider({
      client: kavenegar,
      sender: SENDER,
      maxPerCall: rate,
    });
    const sms = decorate(provider, limiter);

    // Act: three senders at once, 50 recipients each (uneven slices: 40 + 10)
    const outcomes = await Promise.all(
      [1, 2, 3].map((sender) =>
        sms.sendDetailed(
          messages(50).map((message) => ({ ...message, localId: `c${sender}#${message.localId}` })),
        ),
      ),
    );
    await setFaults(sim.url, { latencyMs: 0 });

    // Assess
    for (const outcome of outcomes) expect(outcome.receipts).toHaveLength(50);
    // As Kavenegar sees it: receptors per call, and per sliding second by arrival time
    const arrivals = (await simRequests(sim.url)).map((request) => ({
      at: request.at,
      units: (request.params.receptor ?? '').split(',').length,
    }));
    expect(arrivals.reduce((sum, call) => sum + call.units, 0)).toBe(150);
    expect(Math.max(...arrivals.map((call) => call.units))).toBeLessThanOrEqual(rate);
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(rate);
    // As the limiter held them: every lease closed, each at least a second past its grant plus
    // the call, and never more than the rate held at once
    const grants = recorder.grants();
    expect(grants.reduce((sum, grant) => sum + grant.units, 0)).toBe(150);
    expect(grants.every((grant) => grant.open === undefined && grant.until - grant.at >= 1300)).toBe(true);
    expect(mostHeldAtOnce(grants)).toBeLessThanOrEqual(rate);
  });
});
