/**
 * `npm run bench:priority`: does an order-status SMS overtake a running campaign? A campaign of
 * BENCH_RECIPIENTS (5,000) SMS runs on the local platform; once it is sending, BENCH_TRANSACTIONAL
 * (10) transactional SMS are posted to /v1/messages, one every BENCH_GAP_MS (1,500 ms). Printed:
 * each one's latency (POST /v1/messages answered → its call's arrival at the Kavenegar
 * simulator), the campaign's achieved rate, the busiest sliding second at the simulator (both
 * kinds together, against CHAPAR_SMS_RATE), and the simulator's own raw rate measured in the
 * same run (calls straight at it, no Chapar), so the platform's figures can be read against
 * what the machine allows. Prints figures; asserts nothing about speed.
 *
 * Settings (environment): BENCH_RECIPIENTS (5000), BENCH_SMS_RATE (100), BENCH_TRANSACTIONAL
 * (10), BENCH_GAP_MS (1500), BENCH_VISIBILITY_SECONDS (10).
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Platform, readLocalSettings, startPlatform } from '../local/platform';
import {
  apiClient,
  busiestSlidingSecond,
  documentClient,
  positiveInt,
  type SimRequest,
  seconds,
  simControl,
  waitUntilSent,
  writeContacts,
} from './support';

const settings = {
  recipients: positiveInt('BENCH_RECIPIENTS', 5_000),
  rate: positiveInt('BENCH_SMS_RATE', 100),
  transactional: positiveInt('BENCH_TRANSACTIONAL', 10),
  gapMs: positiveInt('BENCH_GAP_MS', 1_500),
  visibilitySeconds: positiveInt('BENCH_VISIBILITY_SECONDS', 10),
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isSend = (request: SimRequest) => /\/sms\/send(array)?\.json$/.test(request.path);

/** The phone of the i-th transactional SMS: outside the campaign's audience (0912…). */
const orderPhone = (i: number) => `0935${String(i).padStart(7, '0')}`;

interface Sent {
  readonly phone: string;
  readonly id: string;
  /** Epoch ms when POST /v1/messages answered 202. */
  readonly acceptedAt: number;
}

async function main(): Promise<void> {
  let platform: Platform | undefined;
  let dynamo: DynamoDBDocumentClient | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= platform ? platform.end() : Promise.resolve();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping the platform...`);
    void stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  console.log('Priority benchmark: transactional SMS during a running campaign');
  console.log(`  campaign recipients     ${settings.recipients}`);
  console.log(
    `  CHAPAR_SMS_RATE         ${settings.rate} SMS/s (one budget; 20% kept for transactional while they flow)`,
  );
  console.log(`  transactional SMS       ${settings.transactional}, one every ${settings.gapMs} ms`);

  try {
    platform = await startPlatform({
      apiPort: 0,
      sesPort: 0,
      kavenegarPort: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      secretsPort: 0,
      quiet: true,
      visibilityTimeoutSeconds: settings.visibilitySeconds,
      env: { CHAPAR_SMS_RATE: String(settings.rate), CHAPAR_QUIET_HOURS: '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    const local = readLocalSettings();
    const api = apiClient(platform.apiUrl, local.CHAPAR_API_KEY);
    dynamo = documentClient(platform);
    await writeContacts(dynamo, platform.env.CONTACTS_TABLE ?? '', settings.recipients);

    const campaignStarted = performance.now();
    const created = await api('POST', '/v1/campaigns', {
      name: 'Bench priority',
      topic: 'promotions',
      channels: ['sms'],
      audience: { all: true },
      sms: { text: '{{name}} عزیز، حراج بهاره چاپار از امروز' },
    });
    if (created.status !== 201) throw new Error(`campaign not created: ${created.status} ${created.text}`);
    const campaignId = (created.body as { id: string }).id;

    // Wait until the campaign is well under way: a tenth of it at the simulator.
    for (;;) {
      const requests = (await simControl(platform.kavenegarUrl, 'GET', '/_sim/requests')) as SimRequest[];
      const accepted = requests.filter((request) => isSend(request) && request.code === 200).length;
      if (accepted > 0 && (await simMessageCount(platform.kavenegarUrl)) >= settings.recipients / 10) break;
      if (performance.now() - campaignStarted > 120_000)
        throw new Error('the campaign did not start sending');
      await pause(250);
    }

    const sent: Sent[] = [];
    for (let i = 0; i < settings.transactional; i++) {
      const phone = orderPhone(i);
      const response = await fetch(`${platform.apiUrl}/v1/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${local.CHAPAR_API_KEY}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-order-${i}`,
        },
        body: JSON.stringify({
          channel: 'sms',
          to: { phone },
          content: { text: `سفارش ${1000 + i} شما ارسال شد` },
          category: 'transactional',
        }),
      });
      const acceptedAt = Date.now();
      const body = (await response.json()) as { id: string };
      if (response.status !== 202) throw new Error(`message ${i} not accepted: ${response.status}`);
      sent.push({ phone, id: body.id, acceptedAt });
      await pause(settings.gapMs);
    }

    const final = await waitUntilSent(api, campaignId, campaignStarted, 600_000);
    const campaignMs = performance.now() - campaignStarted;
    const requests = (await simControl(platform.kavenegarUrl, 'GET', '/_sim/requests')) as SimRequest[];
    const raw = await simulatorRawRate(
      platform.kavenegarUrl,
      local.CHAPAR_KAVENEGAR_API_KEY,
      local.CHAPAR_SMS_SENDER,
    );
    report({ sent, requests, campaignMs, stats: final.stats, raw });
  } catch (error) {
    process.exitCode = 1;
    console.error('\nbench failed:', error instanceof Error ? error.message : error);
  } finally {
    dynamo?.destroy();
    if (platform !== undefined) {
      await stop();
      console.log('platform stopped (DynamoDB Local included)');
    }
  }
}

async function simMessageCount(kavenegarUrl: string): Promise<number> {
  return ((await simControl(kavenegarUrl, 'GET', '/_sim/messages')) as unknown[]).length;
}

/**
 * The simulator's own pace on this machine, in the same run: single-receptor sms/send calls
 * from 4 concurrent callers for 3 s, and 200-receptor calls likewise (no Chapar in between).
 */
async function simulatorRawRate(
  kavenegarUrl: string,
  apiKey: string,
  sender: string,
): Promise<{ callsPerSecond: number; smsPerSecond: number }> {
  const measure = async (receptors: number): Promise<{ calls: number; sms: number }> => {
    const until = Date.now() + 3_000;
    let calls = 0;
    let next = 0;
    const caller = async () => {
      while (Date.now() < until) {
        const batch = Array.from({ length: receptors }, () => `0936${String(next++).padStart(7, '0')}`);
        const form = new URLSearchParams({ receptor: batch.join(','), sender, message: 'raw rate probe' });
        const response = await fetch(`${kavenegarUrl}/v1/${apiKey}/sms/send.json`, {
          method: 'POST',
          body: form,
        });
        await response.text();
        if (response.ok) calls += 1;
      }
    };
    await Promise.all(Array.from({ length: 4 }, caller));
    return { calls: calls / 3, sms: (calls * receptors) / 3 };
  };
  const single = await measure(1);
  const bulk = await measure(200);
  return { callsPerSecond: single.calls, smsPerSecond: bulk.sms };
}

function report(run: {
  sent: readonly Sent[];
  requests: readonly SimRequest[];
  campaignMs: number;
  stats: Record<string, number>;
  raw: { callsPerSecond: number; smsPerSecond: number };
}): void {
  const sends = run.requests.filter((request) => isSend(request) && request.code === 200);
  console.log('\ntransactional SMS (accepted by the API → arrival at the simulator)');
  const latencies: number[] = [];
  for (const message of run.sent) {
    const arrival = sends.find((request) => (request.params.receptor ?? '').includes(message.phone));
    const latency = arrival ? arrival.at - message.acceptedAt : undefined;
    if (latency !== undefined) latencies.push(latency);
    console.log(
      `  ${message.phone}  ${latency === undefined ? 'NOT AT THE SIMULATOR' : `${latency} ms`}  (${message.id})`,
    );
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  console.log(`  median ${pick(0.5)} ms, max ${pick(1)} ms, ${latencies.length}/${run.sent.length} arrived`);

  const orderPhones = new Set(run.sent.map((message) => message.phone));
  const campaignSends = sends.filter(
    (request) => ![...orderPhones].some((phone) => (request.params.receptor ?? '').includes(phone)),
  );
  const campaignSms = campaignSends.reduce(
    (total, request) =>
      total +
      ((request.params.receptor ?? '').startsWith('[')
        ? (JSON.parse(request.params.receptor ?? '[]') as unknown[]).length
        : (request.params.receptor ?? '').split(',').length),
    0,
  );
  const times = campaignSends.map((request) => request.at);
  const spanS = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 + 1 : 1;
  console.log('\ncampaign');
  console.log(`  elapsed                 ${seconds(run.campaignMs)} (created → sent)`);
  console.log(
    `  SMS at the simulator    ${campaignSms} in ${spanS.toFixed(1)} s = ${(campaignSms / spanS).toFixed(1)} SMS/s`,
  );
  console.log(`  stats                   ${JSON.stringify(run.stats)}`);
  const busiest = busiestSlidingSecond(sends);
  console.log(
    `  busiest sliding second  ${busiest} SMS (both kinds) against the ${settings.rate}/s limit${busiest > settings.rate ? ' (OVER THE LIMIT)' : ''}`,
  );
  console.log('\nsimulator raw rate (same run, no Chapar)');
  console.log(
    `  single-receptor calls   ${run.raw.callsPerSecond.toFixed(0)} calls/s (4 concurrent callers)`,
  );
  console.log(`  200-receptor calls      ${run.raw.smsPerSecond.toFixed(0)} SMS/s`);
}

await main();
