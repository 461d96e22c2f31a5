/**
 * `npm run bench:dispatch`: how fast the dispatcher enqueues an `{all: true}` audience, what a
 * page costs, and what that means for a million contacts on AWS. Prints figures; asserts nothing.
 *
 * The dispatcher runs against the emulators directly (DynamoDB Local, fauxqs): the real use
 * case and adapters, fed by a poller that plays Lambda's SQS event source mapping on the
 * dispatch queue (batch size 1, `queues.dispatch.maximumConcurrency` invocations at once). No
 * sender runs, so the machine's two cores go to the dispatch alone. One contacts table grows
 * through the audiences (BENCH_AUDIENCES, default 10000,50000,100000); contacts are written
 * with BatchWriteItem as set-up, not measured. Each audience gets an SMS + email campaign,
 * and the time is from its first dispatch message to the campaign marked dispatched.
 *
 * In the same run, as the machine's ceiling: DynamoDB Local's raw Scan rate (pages of
 * DISPATCH_PAGE_SIZE, one scanner, then DISPATCH_SCAN_SEGMENTS segments at once) and fauxqs's raw
 * SendMessageBatch rate (10 recipients messages of a page's shape a call, one sender, then 16).
 * The per-page cost comes from the request counter around the SDK (bench/meter/sdk-counter.ts)
 * and DynamoDB's write units from item sizes (bench/meter/dynamo-units.ts); the poller's own
 * ReceiveMessage and DeleteMessage (Lambda's, not billed to the account) are left out.
 */
import { loadavg } from 'node:os';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmulators } from '../local/emulators';
import { createResources, type LocalResources } from '../local/resources';
import { DynamoCampaignStore } from '../shared/adapters/dynamodb/campaign-store';
import { DynamoContactStore } from '../shared/adapters/dynamodb/contact-store';
import { SEND_CONCURRENCY, SqsWorkQueue } from '../shared/adapters/sqs/work-queue';
import { queues } from '../shared/definitions';
import type { Campaign } from '../shared/domain/campaign';
import { DISPATCH_LEASE_MS, DISPATCH_PAGE_SIZE, DISPATCH_SCAN_SEGMENTS } from '../shared/domain/dispatch';
import { newId } from '../shared/domain/ids';
import { dispatchMessageSchema } from '../shared/domain/messages';
import { smsLayout } from '../shared/domain/sms-text';
import { contactsAudience } from '../shared/use-cases/audience-source';
import { type DispatchDeps, dispatchCampaign } from '../shared/use-cases/dispatch-campaign';
import { dynamoCapacity, installDynamoCapacityModel, resetDynamoCapacity } from './meter/dynamo-units';
import { runInScope } from './meter/scope';
import { installSdkCounter, leaveUncounted, resetSdkRequests, sdkRequests } from './meter/sdk-counter';
import { writeContacts } from './support';

const SCOPE = 'queue-dispatch-campaign';
const audiences = (process.env.BENCH_AUDIENCES ?? '10000,50000,100000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0)
  .sort((a, b) => a - b);
const MILLION = 1_000_000;

/**
 * AWS latencies the projection assumes (us-east-1, same-region Lambda, p50-ish figures from
 * AWS's documentation and common measurements; written down so they can be challenged):
 */
const AWS = {
  /** A Scan page of 1,000 contacts (~250 KB, a quarter of the 1 MB page limit). */
  scanPageMs: 60,
  /** One SendMessageBatch of 10 entries. */
  sendBatchMs: 20,
  /** One GetItem / UpdateItem / Query on small items. */
  dynamoRequestMs: 8,
  /** From a page's next-page message being sent to the next invocation running it (ESM polling). */
  handoffMs: 100,
  /** Lambda scaling: the event source mapping reaches the queue's maximumConcurrency in seconds. */
  rampSeconds: 5,
};

interface Bench {
  readonly resources: LocalResources;
  readonly document: DynamoDBDocumentClient;
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly poller: SQSClient;
}

function clients(endpoints: { dynamodb: string; sqs: string; region: string }) {
  const base = { region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamo = new DynamoDBClient({ ...base, endpoint: endpoints.dynamodb });
  return {
    dynamo,
    document: DynamoDBDocumentClient.from(dynamo),
    sqs: new SQSClient({ ...base, endpoint: endpoints.sqs }),
    poller: new SQSClient({ ...base, endpoint: endpoints.sqs }),
  };
}

function campaign(now: Date): Campaign {
  return {
    id: newId(now.getTime()),
    name: 'bench:dispatch',
    topic: 'newsletter',
    channels: ['sms', 'email'],
    audience: { all: true },
    sms: { text: '{{name}} عزیز، خبرنامه پاییز منتشر شد' },
    email: { subject: 'خبرنامه پاییز', html: '<p>سلام {{name}}</p>' },
    sendAt: now.toISOString(),
    status: 'scheduled',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** Runs the dispatch queue like Lambda's event source mapping until the campaign is dispatched. */
async function runDispatch(bench: Bench, deps: DispatchDeps, campaignId: string): Promise<number> {
  const url = bench.resources.queues.dispatch.url;
  let pages = 0;
  let dispatched = false;
  const worker = async (): Promise<void> => {
    while (!dispatched) {
      const answer = await bench.poller.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
      );
      for (const message of answer.Messages ?? []) {
        const body = dispatchMessageSchema.parse(JSON.parse(message.Body ?? ''));
        const result = await runInScope(SCOPE, () => dispatchCampaign(deps, body));
        if (body.unit !== undefined && result !== 'skipped') pages += 1;
        await bench.poller.send(
          new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }),
        );
        if (result === 'finished' && (await deps.campaigns.get(campaignId))?.dispatchedAt) dispatched = true;
      }
    }
  };
  await Promise.all(Array.from({ length: queues.dispatch.maximumConcurrency }, worker));
  return pages;
}

async function purge(bench: Bench): Promise<void> {
  for (const name of ['dispatch', 'sms', 'email'] as const) {
    await bench.poller.send(new PurgeQueueCommand({ QueueUrl: bench.resources.queues[name].url }));
  }
}

/** Items per second one scanner (then every segment at once) reads from the contacts table. */
async function rawScanRate(bench: Bench, segments: number): Promise<number> {
  const table = bench.resources.tables.contacts;
  const started = performance.now();
  let items = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, never> | undefined;
      do {
        const page = await bench.dynamo.send(
          new ScanCommand({
            TableName: table,
            Limit: DISPATCH_PAGE_SIZE,
            ExclusiveStartKey: start,
            ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          }),
        );
        items += page.Items?.length ?? 0;
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
    }),
  );
  return items / ((performance.now() - started) / 1000);
}

/** Messages per second fauxqs takes through SendMessageBatch (10 per call) from `senders` at once. */
async function rawSendRate(bench: Bench, senders: number, calls: number): Promise<number> {
  const url = bench.resources.queues.email.url;
  const body = JSON.stringify({
    v: 1,
    campaignId: newId(),
    channel: 'email',
    contactIds: Array.from({ length: queues.email.recipientsPerMessage }, (_, i) => `bench-${i}`),
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next++ < calls) {
        await bench.poller.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: body })),
          }),
        );
      }
    }),
  );
  const rate = (calls * 10) / ((performance.now() - started) / 1000);
  await bench.poller.send(new PurgeQueueCommand({ QueueUrl: url }));
  return rate;
}

interface Run {
  readonly audience: number;
  readonly seconds: number;
  readonly pages: number;
  readonly requests: Map<string, number>;
  readonly writeUnits: number;
  readonly readUnits: number;
}

async function measure(bench: Bench, audience: number): Promise<Run> {
  const deps: DispatchDeps = {
    campaigns: new DynamoCampaignStore(bench.document, bench.resources.tables.campaigns),
    audience: contactsAudience(
      new DynamoContactStore(bench.document, bench.resources.tables.contacts),
      DISPATCH_SCAN_SEGMENTS,
    ),
    queue: new SqsWorkQueue(bench.sqs, {
      dispatch: bench.resources.queues.dispatch.url,
      sms: bench.resources.queues.sms.url,
      email: bench.resources.queues.email.url,
    }),
    now: () => new Date(),
    pageSize: DISPATCH_PAGE_SIZE,
    leaseMs: DISPATCH_LEASE_MS,
    smsLayout: smsLayout({ publicBaseUrl: 'https://chapar.example', optOutSuffix: 'لغو۱۱' }),
  };
  const created = campaign(new Date());
  await deps.campaigns.create(created);
  resetSdkRequests();
  resetDynamoCapacity();
  const started = Date.now();
  await runInScope(SCOPE, () => deps.queue.sendDispatch([{ v: 1, campaignId: created.id, cursor: null }]));
  const pages = await runDispatch(bench, deps, created.id);
  const done = await deps.campaigns.getWithStats(created.id);
  const finishedAt = Date.parse(done?.campaign.dispatchedAt ?? new Date().toISOString());
  const requests = new Map<string, number>();
  for (const request of sdkRequests()) {
    if (request.scope !== SCOPE) continue;
    const name = `${request.service} ${request.command}`;
    requests.set(name, (requests.get(name) ?? 0) + 1);
  }
  const capacity = dynamoCapacity().get(SCOPE) ?? { writeUnits: 0, readUnits: 0 };
  if (done?.stats.total !== audience * 2)
    throw new Error(`campaign counted ${done?.stats.total} recipients, expected ${audience * 2}`);
  await purge(bench);
  return {
    audience,
    seconds: (finishedAt - started) / 1000,
    pages,
    requests,
    writeUnits: capacity.writeUnits,
    readUnits: capacity.readUnits,
  };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** SendMessageBatch calls of a full page of DISPATCH_PAGE_SIZE contacts, per channel (10 messages a call). */
const batchesOf = (channel: 'sms' | 'email') =>
  Math.ceil(DISPATCH_PAGE_SIZE / queues[channel].recipientsPerMessage / 10);
const FULL_PAGE_BATCHES = batchesOf('sms') + batchesOf('email');
/** The channels are sent one after the other, each SEND_CONCURRENCY calls at a time. */
const FULL_PAGE_SEND_ROUNDS =
  Math.ceil(batchesOf('sms') / SEND_CONCURRENCY) + Math.ceil(batchesOf('email') / SEND_CONCURRENCY);

/**
 * A full page's time on AWS: its Scan, its SendMessageBatch calls (SEND_CONCURRENCY at once, as
 * SqsWorkQueue sends them), the measured small DynamoDB requests per page, and the hand-off of
 * the next page's message; 1 M contacts are DISPATCH_SCAN_SEGMENTS such chains side by side.
 */
function projection(run: Run): { perPageMs: number; seconds: number; smallRequests: number } {
  const per = (name: string) => (run.requests.get(name) ?? 0) / run.pages;
  const smallRequests = per('DynamoDB GetItem') + per('DynamoDB UpdateItem') + per('DynamoDB Query');
  const perPageMs =
    AWS.scanPageMs +
    FULL_PAGE_SEND_ROUNDS * AWS.sendBatchMs +
    smallRequests * AWS.dynamoRequestMs +
    AWS.handoffMs;
  const pagesPerUnit = Math.ceil(MILLION / DISPATCH_SCAN_SEGMENTS / DISPATCH_PAGE_SIZE);
  return { perPageMs, seconds: AWS.rampSeconds + (pagesPerUnit * perPageMs) / 1000, smallRequests };
}

async function main(): Promise<void> {
  const emulators = await startEmulators({
    dynamodbPort: 0,
    sqsPort: 0,
    sesPort: 0,
    secretsPort: 0,
    cognitoPort: 0,
  });
  try {
    const { endpoints } = emulators;
    const made = clients(endpoints);
    leaveUncounted(made.poller as never);
    // Set-up (writing contacts) goes through a client of its own that is neither counted nor weighed.
    const setup = clients(endpoints);
    leaveUncounted(setup.dynamo as never);
    const resources = await createResources({
      endpoints,
      // No prefix: the capacity model finds each table's keys by its definition's id.
      prefix: '',
      // The dispatcher reads no secret; every one is created all the same.
      secretValues: {
        apiKey: 'bench',
        webhookSecret: 'bench',
        tokenKeys: JSON.stringify({ current: 'k1', keys: { k1: 'bench' } }),
        kavenegarApiKey: 'bench',
        deliveryCallbackSecret: 'bench',
        erasureKey: 'bench',
      },
    });
    const bench: Bench = { resources, ...made };
    installSdkCounter();
    const reader = installDynamoCapacityModel(endpoints.dynamodb, endpoints.region);
    const runs: Run[] = [];
    let written = 0;
    for (const audience of audiences) {
      await writeContacts(setup.document, resources.tables.contacts, audience, {
        from: written,
        email: true,
      });
      written = audience;
      const run = await measure(bench, audience);
      runs.push(run);
      console.log(
        `${fmt(audience)} contacts: enqueued in ${fmt(run.seconds, 1)} s (${fmt(audience / run.seconds)} contacts/s, ${run.pages} pages)`,
      );
    }
    const scan1 = await rawScanRate(bench, 1);
    const scanN = await rawScanRate(bench, DISPATCH_SCAN_SEGMENTS);
    const send1 = await rawSendRate(bench, 1, 200);
    const send16 = await rawSendRate(bench, 16, 400);
    reader.destroy();
    report(runs, { scan1, scanN, send1, send16 });
  } finally {
    await emulators.end();
  }
}

function report(
  runs: readonly Run[],
  raw: { scan1: number; scanN: number; send1: number; send16: number },
): void {
  const largest = runs.at(-1);
  if (!largest) return;
  console.log(
    `\nPer page of a unit (largest audience, SMS + email; pages of up to ${fmt(DISPATCH_PAGE_SIZE)}, ${fmt(largest.audience / largest.pages)} contacts on average):`,
  );
  for (const [name, count] of [...largest.requests].sort()) {
    console.log(`  ${name.padEnd(28)} ${fmt(count / largest.pages, 2)}`);
  }
  console.log(`  DynamoDB write units         ${fmt(largest.writeUnits / largest.pages, 2)}`);
  console.log(`  DynamoDB read units          ${fmt(largest.readUnits / largest.pages, 2)}`);
  const messagesPerPage =
    DISPATCH_PAGE_SIZE / queues.sms.recipientsPerMessage +
    DISPATCH_PAGE_SIZE / queues.email.recipientsPerMessage;
  console.log(
    `\nThis machine, same run (load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(', ')}):`,
  );
  console.log(`  raw Scan, 1 scanner          ${fmt(raw.scan1)} items/s`);
  console.log(`  raw Scan, ${DISPATCH_SCAN_SEGMENTS} segments         ${fmt(raw.scanN)} items/s`);
  console.log(`  raw SendMessageBatch, 1      ${fmt(raw.send1)} messages/s`);
  console.log(`  raw SendMessageBatch, 16     ${fmt(raw.send16)} messages/s`);
  // What the emulators alone allow for one page's work: its scan and its messages.
  const ceiling = 1 / (1 / raw.scanN + messagesPerPage / DISPATCH_PAGE_SIZE / raw.send16);
  const achieved = largest.audience / largest.seconds;
  console.log(
    `  emulators' ceiling for a page's scan + ${fmt(messagesPerPage)} messages: ${fmt(ceiling)} contacts/s`,
  );
  console.log(
    `  dispatch achieved ${fmt(achieved)} contacts/s = ${fmt((100 * achieved) / ceiling, 0)} % of it`,
  );
  const aws = projection(largest);
  console.log('\nProjection to 1,000,000 contacts on AWS:');
  console.log(
    `  ${DISPATCH_SCAN_SEGMENTS} units × ${Math.ceil(MILLION / DISPATCH_SCAN_SEGMENTS / DISPATCH_PAGE_SIZE)} full pages; a page ≈ 1 Scan × ${AWS.scanPageMs} ms + ${FULL_PAGE_BATCHES} SendMessageBatch in ${FULL_PAGE_SEND_ROUNDS} rounds of ${SEND_CONCURRENCY} × ${AWS.sendBatchMs} ms + ${fmt(aws.smallRequests, 1)} small DynamoDB requests × ${AWS.dynamoRequestMs} ms + ${AWS.handoffMs} ms SQS → Lambda = ${fmt(aws.perPageMs)} ms`,
  );
  console.log(
    `  ≈ ${fmt(aws.seconds)} s with ${AWS.rampSeconds} s of Lambda ramp-up (goal: 300 s); locally measured pace would give ${fmt((MILLION / achieved) | 0)} s`,
  );
  const wcu = (largest.writeUnits / largest.pages) * (MILLION / DISPATCH_PAGE_SIZE);
  console.log(
    `  DynamoDB write units for the dispatch of 1 M: ${fmt(wcu)} (≈ $${fmt((wcu * 1.25) / 1e6, 4)} on demand)`,
  );
}

await main();
