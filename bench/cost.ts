/**
 * `npm run bench:cost`: what Chapar spends on AWS per message. An SMS and an email campaign
 * (BENCH_RECIPIENTS each, 2,000 by default; BENCH_CHANNELS=email for the email one alone) go through the local platform with a request
 * counter around the AWS SDK (bench/meter/sdk-counter.ts), DynamoDB capacity computed from item
 * sizes (bench/meter/dynamo-units.ts: DynamoDB Local under-reports it), Lambda invocations,
 * durations and log bytes (bench/meter/lambda-meter.ts), and prints the cost per 1 M messages
 * by line item at the list prices of bench/meter/prices.ts. Prints figures; asserts nothing.
 *
 * The SMS campaign is measured until every SMS has its delivery status (the simulator's
 * callbacks), the email campaign until it is sent; each until the functions fall quiet. The
 * bench's own API requests (creating a campaign, polling its status) are left out.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Platform, readLocalSettings, startPlatform } from '../local/platform';
import { newRef } from '../shared/domain/ids';
import { printCost } from './cost-report';
import {
  dynamoCapacity,
  dynamoWritesByTable,
  installDynamoCapacityModel,
  resetDynamoCapacity,
} from './meter/dynamo-units';
import {
  BENCH_REQUEST_HEADER,
  functionUsage,
  installLambdaMeter,
  resetFunctionUsage,
} from './meter/lambda-meter';
import { installSdkCounter, resetSdkRequests, sdkRequests } from './meter/sdk-counter';
import { documentClient, positiveInt, seconds } from './support';

const settings = {
  recipients: positiveInt('BENCH_RECIPIENTS', 2_000),
  rate: positiveInt('BENCH_SMS_RATE', 200),
  /** How long to wait for delivery reports after the last SMS went out. */
  statusSeconds: positiveInt('BENCH_STATUS_SECONDS', 120),
  /** `BENCH_CHANNELS=email` (or `sms`) measures only that campaign; both by default. */
  channels: benchChannels(process.env.BENCH_CHANNELS),
};

function benchChannels(value: string | undefined): ('sms' | 'email')[] {
  if (value === undefined || value.trim() === '') return ['sms', 'email'];
  const names = value.split(',').map((name) => name.trim());
  for (const name of names)
    if (name !== 'sms' && name !== 'email')
      throw new Error(`BENCH_CHANNELS: sms, email or both, got ${name}`);
  return names as ('sms' | 'email')[];
}
const POLL_MS = 1_000;
/** The functions are quiet once no SDK request was made for this long. */
const QUIET_MS = 4_000;

interface CampaignView {
  readonly status: string;
  readonly pausedReason?: string;
  readonly stats: Record<string, number>;
}

type Api = (method: string, path: string, json?: unknown) => Promise<{ status: number; body: unknown }>;

/** The marketer API, each request marked as the bench's own. */
function benchApi(base: string, key: string): Api {
  return async (method, path, json) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        [BENCH_REQUEST_HEADER]: '1',
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
}

/** `count` contacts with a phone and an email each, as DynamoContactStore stores them. */
async function writeAudience(client: DynamoDBDocumentClient, table: string, count: number): Promise<void> {
  const now = new Date().toISOString();
  const items = Array.from({ length: count }, (_, i) => ({
    pk: `bench-${i}`,
    ref: newRef(),
    phone: `+98912${String(i).padStart(7, '0')}`,
    email: `bench-${i}@example.com`,
    name: `مشتری ${i}`,
    locale: 'fa',
    attributes: {},
    createdAt: now,
    updatedAt: now,
  }));
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } }));
    while (requests.length > 0) {
      const answer = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (answer.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

const campaigns = {
  sms: {
    name: 'Bench cost SMS',
    topic: 'promotions',
    channels: ['sms'],
    audience: { all: true },
    sms: { text: '{{name}} عزیز، حراج بهاره چاپار از امروز' },
  },
  email: {
    name: 'Bench cost email',
    topic: 'newsletter',
    channels: ['email'],
    audience: { all: true },
    email: { subject: 'خبرنامه چاپار', html: '<p>سلام {{name}}، خبرنامه این ماه آماده است.</p>' },
  },
} as const;

/** Runs one campaign and measures it from its creation until the functions fall quiet. */
async function measure(api: Api, channel: 'sms' | 'email'): Promise<void> {
  resetSdkRequests();
  resetDynamoCapacity();
  resetFunctionUsage();
  const started = performance.now();
  const created = await api('POST', '/v1/campaigns', campaigns[channel]);
  if (created.status !== 201)
    throw new Error(`campaign not created: ${created.status} ${JSON.stringify(created.body)}`);
  const id = (created.body as { id: string }).id;
  let view = await waitFor(api, id, (v) => v.status === 'sent', 300_000);
  console.log(`  ${channel}: sent in ${seconds(performance.now() - started)} ${JSON.stringify(view.stats)}`);
  if (channel === 'sms') {
    const settled = (v: CampaignView) =>
      (v.stats.delivered ?? 0) + (v.stats.undelivered ?? 0) >= (v.stats.sent ?? 0);
    view = await waitFor(api, id, settled, settings.statusSeconds * 1000).catch(async (error: unknown) => {
      console.log(`  ${channel}: ${error instanceof Error ? error.message : error}; measuring what arrived`);
      return (await api('GET', `/v1/campaigns/${id}`)).body as CampaignView;
    });
  }
  await untilQuiet();
  console.log(
    `  ${channel}: measured over ${seconds(performance.now() - started)} ${JSON.stringify(view.stats)}`,
  );
  printCost({
    channel,
    messages: view.stats.sent ?? 0,
    requests: [...sdkRequests()],
    capacity: new Map(dynamoCapacity()),
    usage: new Map(functionUsage()),
    tableWrites: new Map(dynamoWritesByTable()),
  });
}

async function waitFor(
  api: Api,
  id: string,
  done: (view: CampaignView) => boolean,
  timeoutMs: number,
): Promise<CampaignView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = (await api('GET', `/v1/campaigns/${id}`)).body as CampaignView;
    if (process.env.BENCH_DEBUG) process.stderr.write(`${JSON.stringify(view)}\n`);
    if (done(view)) return view;
    if (view.status === 'paused' || view.status === 'cancelled')
      throw new Error(`campaign ${view.status}: ${view.pausedReason ?? ''} ${JSON.stringify(view.stats)}`);
    if (Date.now() > deadline)
      throw new Error(`campaign still ${view.status}: ${JSON.stringify(view.stats)}`);
    await sleep(POLL_MS);
  }
}

/**
 * Waits until no queue or HTTP function has made an SDK request for QUIET_MS (in-flight
 * batches finish); the schedules tick on regardless.
 */
async function untilQuiet(): Promise<void> {
  const functionRequests = () =>
    sdkRequests().filter((r) => r.scope.startsWith('queue-') || r.scope.startsWith('http-')).length;
  let last = functionRequests();
  let quietSince = Date.now();
  while (Date.now() - quietSince < QUIET_MS) {
    await sleep(500);
    const now = functionRequests();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  // Before the platform starts: every client it and the functions build is counted.
  installSdkCounter();
  installLambdaMeter();
  let platform: Platform | undefined;
  let stopping: Promise<void> | undefined;
  const cleanups: (() => void)[] = [];
  const stop = (): Promise<void> => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    stopping ??= platform ? platform.end() : Promise.resolve();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping the platform...`);
    void stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  console.log('Cost benchmark');
  console.log(
    `  recipients              ${settings.recipients} per campaign (${settings.channels.join(', ')})`,
  );
  console.log(`  CHAPAR_SMS_RATE         ${settings.rate} SMS/s`);
  console.log('  log level               INFO (Powertools default, as deployed)');
  try {
    platform = await startPlatform({
      apiPort: 0,
      sesPort: 0,
      kavenegarPort: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      secretsPort: 0,
      cognitoPort: 0,
      visibilityTimeoutSeconds: 30,
      // No quiet hours: the bench runs at any time of day. INFO as deployed: its bytes are billed.
      env: { CHAPAR_SMS_RATE: String(settings.rate), CHAPAR_QUIET_HOURS: '', POWERTOOLS_LOG_LEVEL: 'INFO' },
    });
    const reader = installDynamoCapacityModel(platform.endpoints.dynamodb, platform.endpoints.region);
    cleanups.push(() => reader.destroy());
    const dynamo = documentClient(platform);
    cleanups.push(() => dynamo.destroy());
    await writeAudience(dynamo, platform.env.CONTACTS_TABLE ?? '', settings.recipients);
    console.log(`  ${settings.recipients} contacts written\n`);
    const api = benchApi(platform.apiUrl, readLocalSettings().CHAPAR_API_KEY);
    for (const channel of settings.channels) await measure(api, channel);
  } catch (error) {
    process.exitCode = 1;
    console.error('\nbench failed:', error instanceof Error ? error.message : error);
  } finally {
    if (platform !== undefined) {
      await stop();
      console.log('\nplatform stopped (DynamoDB Local included)');
    }
  }
}

await main();
