import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import type { Campaign } from '../../../shared/domain/campaign';
import type { RecipientsMessage } from '../../../shared/domain/messages';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, DeliverDeps } from '../../../shared/ports';
import { sendingCampaign } from '../../fixtures/campaigns';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';
import { clearFaults, resetSim, setFaults, simMessages } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;
const logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Parameters<
  typeof import('../../../shared/lambda/channel-batch-handler').channelBatchHandler
>[2];

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let campaigns: CampaignStore;
let deps: DeliverDeps;
let alarms: RecordingAlarms;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let resumeCampaign: typeof import('../../../shared/use-cases/campaigns').resumeCampaign;
const contacts: Contact[] = [];

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  // Short visibility: a record whose backoff change failed would still come back in seconds.
  emulators = await useEmulators({ visibilityTimeoutSeconds: 2, env: { KAVENEGAR_BASE_URL: sim.url } });
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  const { DynamoProviderHealth } = await import('../../../shared/adapters/dynamodb/provider-health');
  const { SqsMessageVisibility } = await import('../../../shared/adapters/sqs/message-visibility');
  const { KavenegarClient } = await import('../../../shared/adapters/kavenegar/client');
  const { KavenegarSmsProvider } = await import('../../../shared/adapters/kavenegar/sms-provider');
  const { KavenegarSmsLookup } = await import('../../../shared/adapters/kavenegar/sms-lookup');
  const { SmsChannel } = await import('../../../shared/use-cases/send-sms');
  const { channelBatchHandler } = await import('../../../shared/lambda/channel-batch-handler');
  const { queues } = await import('../../../shared/definitions/queues');
  ({ resumeCampaign } = await import('../../../shared/use-cases/campaigns'));
  campaigns = factory.campaignStore(names.tables.campaigns);
  const contactStore = factory.contactStore(names.tables.contacts);
  alarms = new RecordingAlarms();
  deps = {
    campaigns,
    contacts: contactStore,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms,
    now: () => new Date(),
    leaseMs: 60_000,
    health: new DynamoProviderHealth(dynamoDocumentClient(), names.tables.rateLimits),
  };
  for (const [index, phone] of ['+989121120001', '+989121120002', '+989121120003'].entries()) {
    contacts.push(
      await contactStore.upsert(`pf${index}`, { phone, locale: 'fa', attributes: {} }, new Date()),
    );
  }
  const client = new KavenegarClient({
    baseUrl: sim.url,
    apiKey: testSecretValues.kavenegarApiKey,
    timeoutMs: 2000,
  });
  const channel = new SmsChannel({
    sms: new KavenegarSmsProvider({ client, sender: SENDER }),
    lookup: new KavenegarSmsLookup(client),
    links: factory.linkStore(names.tables.links, async () => 'test-token-key'),
    layout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
  });
  // The backoff at 1/100: 1 s, 1 s, 2 s, 4 s instead of 10 s, 30 s, 2 min, 6 min.
  handler = channelBatchHandler(deps, async () => channel, logger, undefined, {
    visibility: new SqsMessageVisibility(),
    maxReceiveCount: queues.sms.maxReceiveCount,
    scale: 0.01,
  });
});

afterAll(async () => {
  await sim?.end();
});

beforeEach(async () => {
  await resetSim(sim.url);
  await emulators.purge();
  alarms.paused.length = 0;
});

const message = (campaign: Campaign): RecipientsMessage => ({
  v: 1,
  campaignId: campaign.id,
  channel: 'sms',
  contactIds: contacts.map((contact) => contact.id),
});

async function enqueue(body: RecipientsMessage): Promise<void> {
  await emulators.sqs.send(
    new SendMessageCommand({ QueueUrl: emulators.names.queues.sms.url, MessageBody: JSON.stringify(body) }),
  );
}

/**
 * What Lambda's event source does, one record at a time: receive, invoke the handler, delete the
 * records it did not report failed (a failed one waits out its visibility). Ends once the queue
 * stays empty for a few seconds, longer than any scaled backoff.
 */
async function pump(): Promise<number> {
  const { url, arn } = emulators.names.queues.sms;
  let invocations = 0;
  for (let round = 0; round < 30; round += 1) {
    const answer = await emulators.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 5,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const received = answer.Messages?.[0];
    if (!received) return invocations;
    const record = {
      messageId: received.MessageId,
      receiptHandle: received.ReceiptHandle,
      body: received.Body,
      attributes: received.Attributes,
      messageAttributes: {},
      md5OfBody: received.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: 'us-east-1',
    } as unknown as SQSRecord;
    invocations += 1;
    const result = await handler({ Records: [record] }, context);
    if (result.batchItemFailures.length === 0) {
      await emulators.sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: received.ReceiptHandle }),
      );
    }
  }
  throw new Error('the queue never emptied');
}

async function dlqSize(): Promise<number> {
  return (await emulators.receiveAll('sms', { dlq: true })).length;
}

describe('an SMS provider answering 502 to every call', () => {
  it('backs off, pauses the campaign as provider_unavailable with the alarm, and resume sends everyone once', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'] });
    await setFaults(sim.url, { failNext: { code: 502, count: 1000 } });
    await enqueue(message(campaign));
    // Act: the queue's receives run out against the fault
    const invocations = await pump();
    const paused = await campaigns.getWithStats(campaign.id);
    const deadLetters = await dlqSize();
    // then the provider heals and an operator resumes; the dispatcher's round sends the recipients again
    await clearFaults(sim.url);
    await resumeCampaign(
      { campaigns, queue: new RecordingWorkQueue(), now: () => new Date() },
      campaign.id,
      60_000,
    );
    await enqueue(message(campaign));
    await enqueue(message(campaign));
    await pump();
    // Assess
    expect(invocations).toBe(5);
    expect(paused?.campaign).toMatchObject({ status: 'paused', pausedReason: 'provider_unavailable' });
    expect(paused?.stats).toMatchObject({ sent: 0, failed: 0 });
    expect(deadLetters).toBe(0);
    expect(alarms.paused).toEqual([
      { campaignId: campaign.id, reason: expect.stringContaining('provider_unavailable') },
    ]);
    const sent = await simMessages(sim.url);
    expect(sent.map((sms) => sms.receptor).sort()).toEqual(['09121120001', '09121120002', '09121120003']);
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 3, failed: 0 });
    expect(await dlqSize()).toBe(0);
  });
});
