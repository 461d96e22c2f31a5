/**
 * `npm run bench:email`: one email campaign to a large audience on the local platform, with the
 * SES front set to an account rate (GetAccount's MaxSendRate) and throttling past it in any
 * sliding second, as SES does. Prints whether the senders held SES's own rate: achieved rate
 * against the configured one, the busiest sliding second SES saw, throttling answers,
 * duplicates, losses and messages in any DLQ. Prints figures; asserts nothing about speed.
 *
 * Contacts are written straight into the contacts table with BatchWriteItem (set-up, not what
 * is measured), in the shape DynamoContactStore writes; one is read back through the API first.
 *
 * Settings (environment): BENCH_RECIPIENTS (20000), BENCH_EMAIL_RATE (the SES account's
 * MaxSendRate, 50/s: 400 s of sending for 20,000), BENCH_VISIBILITY_SECONDS (120: over the sender's 60 s timeout, or another sender takes its batch meanwhile).
 */

import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Platform, readLocalSettings, startPlatform } from '../local/platform';
import { DEFAULT_SKEW_MS, WINDOW_MS } from '../shared/adapters/dynamodb/rate-limiter';
import { QUEUE_NAMES, queues } from '../shared/definitions';
import { newRef } from '../shared/domain/ids';
import { apiClient, type CampaignView, documentClient, positiveInt, seconds, waitUntilSent } from './support';

const settings = {
  recipients: positiveInt('BENCH_RECIPIENTS', 20_000),
  rate: positiveInt('BENCH_EMAIL_RATE', 50),
  visibilitySeconds: positiveInt('BENCH_VISIBILITY_SECONDS', 120),
};

/** What the SES front measured at each SendEmail's arrival (GET /_ses/stats). */
interface SesStats {
  readonly acceptedCalls: number;
  readonly acceptedRecipients: number;
  readonly refused: Record<string, number>;
  readonly throttled: number;
  readonly busiestSlidingSecond: number;
  readonly duplicateAddresses: number;
  /** Arrival to answer of the accepted calls at the front, ms (null: none accepted). */
  readonly answerMs: { readonly median: number | null; readonly p90: number | null };
  readonly firstAcceptedAt: number | null;
  readonly lastAcceptedAt: number | null;
}

async function ses<T>(base: string, method: string, path: string, json?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (!response.ok)
    throw new Error(`SES front ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Writes `count` email contacts as DynamoContactStore stores them; answers their addresses. */
async function writeEmailContacts(
  client: DynamoDBDocumentClient,
  table: string,
  count: number,
): Promise<string[]> {
  const now = new Date().toISOString();
  const items = Array.from({ length: count }, (_, i) => ({
    pk: `bench-${i}`,
    ref: newRef(),
    email: `reader-${i}@bench.example.com`,
    name: `Reader ${i}`,
    locale: 'en',
    attributes: {},
    createdAt: now,
    updatedAt: now,
  }));
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
      while (requests.length > 0) {
        const answer = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (answer.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return items.map((item) => item.email);
}

/** Messages waiting in each queue's DLQ. */
async function deadLetters(platform: Platform): Promise<Record<string, number>> {
  const sqs = new SQSClient({
    endpoint: platform.endpoints.sqs,
    region: platform.endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const counts: Record<string, number> = {};
    for (const name of QUEUE_NAMES) {
      const url = platform.env[queues[name].envVar] ?? '';
      const dlqName = `${url.slice(url.lastIndexOf('/') + 1)}-dlq`;
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      counts[name] =
        Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    }
    return counts;
  } finally {
    sqs.destroy();
  }
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

  console.log('Email benchmark');
  console.log(`  recipients              ${settings.recipients}`);
  console.log(
    `  SES MaxSendRate         ${settings.rate}/s (GetAccount; the front throttles past it in any sliding second)`,
  );
  console.log(
    `  email senders           ${queues.email.maximumConcurrency} concurrent, ${queues.email.recipientsPerMessage} recipients a message`,
  );
  console.log(`  visibility timeout      ${settings.visibilitySeconds} s`);
  console.log(`  expected at the rate    ${(settings.recipients / settings.rate).toFixed(0)} s of sending`);

  try {
    const startedAt = performance.now();
    platform = await startPlatform({
      apiPort: 0,
      sesPort: 0,
      kavenegarPort: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      secretsPort: 0,
      cognitoPort: 0,
      quiet: true,
      visibilityTimeoutSeconds: settings.visibilitySeconds,
      env: { CHAPAR_QUIET_HOURS: '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    console.log(`\nplatform up in ${seconds(performance.now() - startedAt)}`);
    const api = apiClient(platform.apiUrl, readLocalSettings().CHAPAR_API_KEY);
    await ses(platform.sesUrl, 'POST', '/_ses/faults', { maxSendRate: settings.rate });
    await ses(platform.sesUrl, 'DELETE', '/_ses/stats');

    dynamo = documentClient(platform);
    const writeStarted = performance.now();
    const addresses = await writeEmailContacts(
      dynamo,
      platform.env.CONTACTS_TABLE ?? '',
      settings.recipients,
    );
    const sample = await api('GET', '/v1/contacts/bench-0');
    if (sample.status !== 200)
      throw new Error(`contact bench-0 unreadable through the API: ${sample.status}`);
    console.log(`${settings.recipients} contacts written in ${seconds(performance.now() - writeStarted)}`);

    const campaignStarted = performance.now();
    const cpuStarted = process.cpuUsage();
    const created = await api('POST', '/v1/campaigns', {
      name: 'Bench',
      topic: 'newsletter',
      channels: ['email'],
      audience: { all: true },
      email: {
        subject: 'News for {{name}}',
        html: '<h1>Autumn news</h1><p>Hello {{name}}, here is our news.</p>',
      },
    });
    if (created.status !== 201) throw new Error(`campaign not created: ${created.status} ${created.text}`);
    const id = (created.body as { id: string }).id;
    const final = await waitUntilSent(
      api,
      id,
      campaignStarted,
      Math.max(600_000, (4_000 * settings.recipients) / settings.rate),
    );
    const elapsedMs = performance.now() - campaignStarted;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuMs = (cpu.user + cpu.system) / 1000;

    const stats = await ses<SesStats>(platform.sesUrl, 'GET', '/_ses/stats');
    const sent = await ses<Record<string, number>>(platform.sesUrl, 'GET', '/_ses/sent');
    report({ final, elapsedMs, cpuMs, stats, sent, addresses, dlq: await deadLetters(platform) });
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

function report(run: {
  final: CampaignView;
  elapsedMs: number;
  /** CPU time of this process from the campaign's creation until it was sent. */
  cpuMs: number;
  stats: SesStats;
  sent: Record<string, number>;
  addresses: readonly string[];
  dlq: Record<string, number>;
}): void {
  const { stats, sent, addresses } = run;
  const spanMs = (stats.lastAcceptedAt ?? 0) - (stats.firstAcceptedAt ?? 0);
  // n mails accepted over a span from the first to the last: n - 1 intervals.
  const achieved = spanMs > 0 ? ((stats.acceptedRecipients - 1) * 1000) / spanMs : 0;
  const duplicates = Object.values(sent).filter((count) => count > 1).length;
  const losses = addresses.filter((address) => !sent[address.toLowerCase()]).length;
  console.log('\nresults');
  console.log(`  recipients              ${addresses.length}`);
  console.log(`  elapsed                 ${seconds(run.elapsedMs)} (campaign created -> status sent)`);
  console.log(`  sending span            ${seconds(spanMs)} (first to last mail accepted by SES)`);
  console.log(
    `  achieved rate           ${achieved.toFixed(1)} emails/s = ${((100 * achieved) / settings.rate).toFixed(1)}% of MaxSendRate ${settings.rate}/s`,
  );
  console.log(
    `  busiest second at SES   ${stats.busiestSlidingSecond} accepted in any sliding 1,000 ms${stats.busiestSlidingSecond > settings.rate ? ' (OVER THE RATE)' : ''}`,
  );
  console.log(
    `  throttling answers      ${stats.throttled} (refused by name: ${JSON.stringify(stats.refused)})`,
  );
  console.log(`  SendEmail calls         ${stats.acceptedCalls} accepted`);
  // A lease holds its units from its calls' start to a second (and the 10 ms skew) after their
  // answers, so the rate cannot pass 1 s / (1 s + skew + a call's time). The front sees only
  // arrival to answer; the sender's own round trip is longer, so the ceiling is at most this.
  const median = stats.answerMs.median;
  if (median !== null) {
    const ceiling = (100 * WINDOW_MS) / (WINDOW_MS + DEFAULT_SKEW_MS + median);
    console.log(
      `  SES answer time         median ${median} ms, p90 ${stats.answerMs.p90} ms at the front: the leases' ceiling is at most ${ceiling.toFixed(1)}% of the rate`,
    );
  }
  console.log(`  duplicates              ${duplicates} addresses with more than one mail`);
  console.log(`  losses                  ${losses} contacts without a mail`);
  console.log(`  dead letters            ${JSON.stringify(run.dlq)}`);
  console.log(`  campaign                ${run.final.status} ${JSON.stringify(run.final.stats)}`);
  // Everything in this process: the senders and the dispatcher, but also the API, the SQS and
  // SES emulators and the bench itself (DynamoDB Local runs apart). So the senders' own CPU per
  // email is at most this, and the ceilings below are at least what a sender keeps up with.
  const perEmailMs = run.cpuMs / Math.max(1, stats.acceptedRecipients);
  console.log(
    `  CPU per email           ${perEmailMs.toFixed(2)} ms at most (this whole process: senders, API, SQS and SES emulators, bench; DynamoDB Local apart)`,
  );
  const senders = queues.email.maximumConcurrency;
  const ceilings = [128, 256, 512].map(
    (mb) => `${mb} MB ${((senders * (mb / LAMBDA_MB_PER_VCPU) * 1000) / perEmailMs).toFixed(0)}/s`,
  );
  console.log(
    `  senders keep up with    at least ${ceilings.join(', ')} (${senders} senders, Lambda's CPU share: 1 vCPU per ${LAMBDA_MB_PER_VCPU} MB)`,
  );
}

/** Lambda's CPU grows with memory: one full vCPU at 1,769 MB. */
const LAMBDA_MB_PER_VCPU = 1_769;

await main();
