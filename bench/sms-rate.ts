/**
 * `npx tsx bench/sms-rate.ts`: the SMS rate path alone, to see what the shared limiter itself
 * gives away: concurrent senders (as queue-send-sms instances) push a campaign's recipients
 * through RateLimitedSmsProvider → KavenegarSmsProvider → the Kavenegar simulator, with the
 * limiter on DynamoDB Local, and no ledger, links or SQS around them. The simulator's arrival
 * times say whether any sliding second at "Kavenegar" passed the rate. Prints figures; asserts
 * nothing. `npm run bench:sms` measures the whole platform the same way.
 *
 * Settings (environment): BENCH_RECIPIENTS (20000), BENCH_SMS_RATE (100), BENCH_SENDERS (2,
 * the queue's maximumConcurrency), BENCH_MESSAGE_SIZE (200 recipients per queue message),
 * BENCH_LIMITER (`lease`: held from grant to a second after the answer, what queue-send-sms
 * uses; `fixed`: the earlier fixed window of a second plus BENCH_GUARD_MS (100) after the
 * grant, with 25 ms of wake-up jitter), BENCH_LATENCY_MS (the simulator's answer delay, 0),
 * BENCH_RECHECK_MS (the consent re-check between grant and call, modelled as a wait, 10),
 * BENCH_OVERHEAD_MS (a sender's work between two queue messages: claims, ends, 0).
 */

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { start as startDynamoDb } from '../local/dynamodb';
import { startKavenegarSimulator } from '../local/kavenegar-simulator';
import { DynamoRateLimiter } from '../shared/adapters/dynamodb/rate-limiter';
import { KavenegarClient } from '../shared/adapters/kavenegar/client';
import { KavenegarSmsProvider } from '../shared/adapters/kavenegar/sms-provider';
import { RateLimitedSmsProvider } from '../shared/adapters/rate-limited-sms-provider';
import { queues } from '../shared/definitions';
import type { SmsMessage } from '../shared/domain/sms';
import type { PartialRateLimiter } from '../shared/ports';
import {
  busiestSlidingSecond,
  positiveInt,
  receptorsOf,
  type SimRequest,
  seconds,
  simControl,
} from './support';

const API_KEY = 'bench-key';
const SENDER = '50004001051233';
const TABLE = 'bench-rate-limits';

const settings = {
  recipients: positiveInt('BENCH_RECIPIENTS', 20_000),
  rate: positiveInt('BENCH_SMS_RATE', 100),
  senders: positiveInt('BENCH_SENDERS', queues.sms.maximumConcurrency),
  messageSize: positiveInt('BENCH_MESSAGE_SIZE', queues.sms.recipientsPerMessage),
  limiter: process.env.BENCH_LIMITER === 'fixed' ? ('fixed' as const) : ('lease' as const),
  guardMs: nonNegative('BENCH_GUARD_MS', 100),
  latencyMs: nonNegative('BENCH_LATENCY_MS', 0),
  recheckMs: nonNegative('BENCH_RECHECK_MS', 10),
  overheadMs: nonNegative('BENCH_OVERHEAD_MS', 0),
};

function nonNegative(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${text}"`);
  return value;
}

const pause = (ms: number) =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** The earlier limiter's behaviour: a fixed window per grant, nothing to release. */
function fixedWindow(limiter: DynamoRateLimiter): PartialRateLimiter {
  return {
    acquire: (units) => limiter.acquire(units),
    acquireUpTo: (max, options) => limiter.acquireUpTo(max, options),
    lease: async (max, options) => ({
      units: await limiter.acquireUpTo(max, options),
      notBefore: 0,
      release: async () => {},
    }),
  };
}

interface Tally {
  count: number;
  totalMs: number;
}

function add(tallies: Map<string, Tally>, name: string, ms: number): void {
  const tally = tallies.get(name) ?? { count: 0, totalMs: 0 };
  tally.count += 1;
  tally.totalMs += ms;
  tallies.set(name, tally);
}

/** Counts and times the limiter's DynamoDB requests, by command. */
function countingClient(client: DynamoDBDocumentClient, tallies: Map<string, Tally>): DynamoDBDocumentClient {
  return {
    send: async (command: { constructor: { name: string } }) => {
      const started = performance.now();
      try {
        return await client.send(command as never);
      } finally {
        add(tallies, command.constructor.name, performance.now() - started);
      }
    },
  } as unknown as DynamoDBDocumentClient;
}

/** Times each lease: the wait for it, and from its grant to its release (the call's share). */
function timedLimiter(limiter: PartialRateLimiter, tallies: Map<string, Tally>): PartialRateLimiter {
  return {
    acquire: (units) => limiter.acquire(units),
    acquireUpTo: (max, options) => limiter.acquireUpTo(max, options),
    lease: async (max, options) => {
      const asked = performance.now();
      const lease = await limiter.lease(max, options);
      const granted = performance.now();
      add(tallies, 'wait for a lease', granted - asked);
      return {
        units: lease.units,
        notBefore: lease.notBefore,
        release: async () => {
          add(tallies, 'grant to answer (re-check + call)', performance.now() - granted);
          await lease.release();
        },
      };
    },
  };
}

async function main(): Promise<void> {
  console.log('SMS rate path benchmark (limiter, Kavenegar client, simulator; no ledger)');
  for (const [name, value] of Object.entries(settings)) console.log(`  ${name.padEnd(22)}${value}`);
  const dynamo = await startDynamoDb({ port: 0 });
  const sim = await startKavenegarSimulator({ port: 0, apiKey: API_KEY, lines: [SENDER] });
  const raw = new DynamoDBClient({
    endpoint: dynamo.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await raw.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    if (settings.latencyMs > 0)
      await simControl(sim.url, 'POST', '/_sim/faults', { latencyMs: settings.latencyMs });
    const counts = new Map<string, Tally>();
    const phases = new Map<string, Tally>();
    const dynamoLimiter = new DynamoRateLimiter({
      client: countingClient(DynamoDBDocumentClient.from(raw), counts),
      tableName: TABLE,
      name: 'kavenegar-sms',
      limitPerSecond: settings.rate,
      ...(settings.limiter === 'fixed' ? { guardMs: settings.guardMs, jitterMs: 25 } : {}),
    });
    const limiter = timedLimiter(
      settings.limiter === 'fixed' ? fixedWindow(dynamoLimiter) : dynamoLimiter,
      phases,
    );
    const provider = new KavenegarSmsProvider({
      client: new KavenegarClient({ baseUrl: sim.url, apiKey: API_KEY, timeoutMs: 10_000 }),
      sender: SENDER,
      maxPerCall: settings.rate,
    });
    const sms = new RateLimitedSmsProvider(provider, limiter, { maxWaitMs: 60_000 });
    const phones = Array.from(
      { length: settings.recipients },
      (_, i) => `+98912${String(i).padStart(7, '0')}`,
    );
    const pending: SmsMessage[][] = [];
    for (let i = 0; i < phones.length; i += settings.messageSize) {
      pending.push(
        phones.slice(i, i + settings.messageSize).map((receptor, j) => ({
          receptor,
          // Personalised, like the platform bench: sms/sendarray.
          text: `مشتری ${i + j} عزیز، حراج بهاره چاپار از امروز`,
          localId: `bench#${i + j}`,
        })),
      );
    }
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: settings.senders }, async () => {
        for (let batch = pending.shift(); batch !== undefined; batch = pending.shift()) {
          const outcome = await sms.sendDetailed(batch, {
            beforeCall: async (slice) => {
              await pause(settings.recheckMs);
              return slice;
            },
          });
          failures += outcome.failures.length;
          await pause(settings.overheadMs);
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const messages = (await simControl(sim.url, 'GET', '/_sim/messages')) as {
      receptor: string;
      date: number;
    }[];
    const requests = (await simControl(sim.url, 'GET', '/_sim/requests')) as SimRequest[];
    const sends = requests.filter((request) => /\/sms\/send(array)?\.json$/.test(request.path));
    const dates = messages.map((message) => message.date);
    const spanSeconds = Math.max(...dates) - Math.min(...dates) + 1;
    const accepted = sends.filter((send) => send.code === 200).sort((a, b) => a.at - b.at);
    const first = accepted[0];
    const last = accepted.at(-1);
    // Between the first and the last call's arrival, the last call's own units excluded.
    const exact =
      first && last && last.at > first.at
        ? (messages.length - receptorsOf(last)) / ((last.at - first.at) / 1000)
        : Number.NaN;
    const byReceptor = new Map<string, number>();
    for (const message of messages)
      byReceptor.set(message.receptor, (byReceptor.get(message.receptor) ?? 0) + 1);
    const national = phones.map((phone) => `0${phone.slice(3)}`);
    const busiest = busiestSlidingSecond(sends);
    const pct = (value: number) => `${((100 * value) / settings.rate).toFixed(1)}%`;
    console.log('\nresults');
    console.log(`  elapsed                 ${seconds(elapsedMs)}`);
    console.log(
      `  achieved rate           ${(messages.length / spanSeconds).toFixed(1)} SMS/s = ${pct(messages.length / spanSeconds)} (whole seconds, first to last SMS)`,
    );
    console.log(
      `  achieved, exact         ${exact.toFixed(1)} SMS/s = ${pct(exact)} (first to last call arrival)`,
    );
    console.log(
      `  busiest second at sim   ${busiest} SMS in any sliding 1,000 ms${busiest > settings.rate ? ' (OVER THE LIMIT)' : ''}`,
    );
    console.log(`  451s received           ${requests.filter((request) => request.code === 451).length}`);
    console.log(
      `  provider calls          ${sends.length} (${(messages.length / Math.max(1, sends.length)).toFixed(1)} SMS per call)`,
    );
    console.log(`  failures reported       ${failures}`);
    console.log(`  duplicates              ${[...byReceptor.values()].filter((count) => count > 1).length}`);
    console.log(`  losses                  ${national.filter((phone) => !byReceptor.has(phone)).length}`);
    const perCall = [...counts.entries()].map(
      ([name, { count, totalMs }]) =>
        `${name} ${(count / sends.length).toFixed(2)} (mean ${(totalMs / count).toFixed(1)} ms)`,
    );
    console.log(`  limiter DynamoDB calls  per provider call: ${perCall.join(', ')}`);
    for (const [name, { count, totalMs }] of phases)
      console.log(`  ${name.padEnd(34)}mean ${(totalMs / count).toFixed(1)} ms over ${count}`);
  } finally {
    raw.destroy();
    await sim.end();
    await dynamo.end();
  }
}

await main();
