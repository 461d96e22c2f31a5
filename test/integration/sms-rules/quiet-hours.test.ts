import { type Message, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import type { Campaign } from '../../../shared/domain/campaign';
import type { ReceivedMessage, RecipientsMessage } from '../../../shared/domain/messages';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, DeliverDeps, MessageVisibility } from '../../../shared/ports';
import { sendingCampaign, sqsRecord } from '../../fixtures/campaigns';
import { campaignDeliveries } from '../../support/deliveries';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { resetSim, simMessages } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
const TEHRAN_OFFSET_MS = 210 * 60_000;
/** Short enough that a message left alone would come back within the receive that looks for it. */
const RECEIVE_VISIBILITY_SECONDS = 2;

/** `HH:MM` in Tehran, `hours` away from now. */
function tehranClock(hours: number): string {
  return new Date(Date.now() + TEHRAN_OFFSET_MS + hours * 3600_000).toISOString().slice(11, 16);
}

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let campaigns: CampaignStore;
let baseDeps: DeliverDeps;
let realHandler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let modules: {
  batch: typeof import('../../../shared/lambda/channel-batch-handler');
  quiet: typeof import('../../../shared/domain/quiet-hours');
  visibility: typeof import('../../../shared/adapters/sqs/message-visibility');
  channel: () => import('../../../shared/use-cases/send-sms').SmsChannel;
};
const contacts: Contact[] = [];
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;
const logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Parameters<
  typeof import('../../../shared/lambda/channel-batch-handler').channelBatchHandler
>[2];

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  // The real handler reads its window at cold start: one around the present Tehran time is quiet now.
  emulators = await useEmulators({
    env: {
      KAVENEGAR_BASE_URL: sim.url,
      KAVENEGAR_TIMEOUT_MS: '2000',
      CHAPAR_QUIET_HOURS: `${tehranClock(-3)}-${tehranClock(3)}`,
    },
  });
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  const contactStore = factory.contactStore(names.tables.contacts);
  baseDeps = {
    campaigns,
    contacts: contactStore,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms: { campaignPaused: () => {} },
    now: () => new Date(),
    leaseMs: 60_000,
  };
  for (const index of [0, 1]) {
    contacts.push(
      await contactStore.upsert(
        `q${index}`,
        { phone: `+98912333000${index}`, locale: 'fa', name: `نام${index}`, attributes: {} },
        new Date(),
      ),
    );
  }
  const { KavenegarClient } = await import('../../../shared/adapters/kavenegar/client');
  const { KavenegarSmsProvider } = await import('../../../shared/adapters/kavenegar/sms-provider');
  const { KavenegarSmsLookup } = await import('../../../shared/adapters/kavenegar/sms-lookup');
  const { SmsChannel } = await import('../../../shared/use-cases/send-sms');
  const { smsLayout } = await import('../../../shared/domain/sms-text');
  const client = new KavenegarClient({
    baseUrl: sim.url,
    apiKey: testSecretValues.kavenegarApiKey,
    timeoutMs: 2000,
  });
  modules = {
    batch: await import('../../../shared/lambda/channel-batch-handler'),
    quiet: await import('../../../shared/domain/quiet-hours'),
    visibility: await import('../../../shared/adapters/sqs/message-visibility'),
    channel: () =>
      new SmsChannel({
        sms: new KavenegarSmsProvider({ client, sender: SENDER }),
        lookup: new KavenegarSmsLookup(client),
        links: factory.linkStore(names.tables.links, async () => 'test-token-key'),
        layout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
      }),
  };
  ({ handler: realHandler } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof realHandler;
  });
});

afterAll(async () => {
  await sim?.end();
});

beforeEach(async () => {
  await resetSim(sim.url);
  await emulators.purge();
});

const recipients = (campaign: Campaign): RecipientsMessage => ({
  v: 1,
  campaignId: campaign.id,
  channel: 'sms',
  contactIds: contacts.map((contact) => contact.id),
});

/** Puts the message on the real SMS queue and takes it as Lambda would: an in-flight record. */
async function inFlightRecord(body: RecipientsMessage) {
  const { sqs, names } = emulators;
  await sqs.send(
    new SendMessageCommand({ QueueUrl: names.queues.sms.url, MessageBody: JSON.stringify(body) }),
  );
  const answer = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: names.queues.sms.url,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 1,
      VisibilityTimeout: RECEIVE_VISIBILITY_SECONDS,
    }),
  );
  const [received] = answer.Messages ?? [];
  if (!received?.ReceiptHandle) throw new Error('the SMS queue gave nothing back');
  return {
    ...sqsRecord(body),
    messageId: received.MessageId ?? '',
    receiptHandle: received.ReceiptHandle,
    eventSourceARN: names.queues.sms.arn,
  };
}

/** What the SMS queue hands out over a receive longer than the first visibility timeout. */
async function visibleSoon(): Promise<Message[]> {
  const answer = await emulators.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: emulators.names.queues.sms.url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: RECEIVE_VISIBILITY_SECONDS + 2,
    }),
  );
  return answer.Messages ?? [];
}

async function ledgerItems(campaign: Campaign): Promise<unknown[]> {
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  return campaignDeliveries(dynamoDocumentClient(), emulators.names.tables.deliveries, campaign.id);
}

/** The real adapter, recording what it was asked. */
function recordingVisibility(): MessageVisibility & {
  calls: { message: ReceivedMessage; seconds: number }[];
} {
  const real = new modules.visibility.SqsMessageVisibility(emulators.sqs);
  const calls: { message: ReceivedMessage; seconds: number }[] = [];
  return {
    calls,
    delay: async (message, seconds) => {
      calls.push({ message, seconds });
      return real.delay(message, seconds);
    },
  };
}

describe('marketing SMS in quiet hours (22:00-08:00 Tehran)', () => {
  it('defers a record due at 07:50 Tehran to 08:00: visibility moved, reported failed, no claim, no SMS', async () => {
    // Prepare: the clock says 07:50 in Tehran
    const campaign = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'] });
    const record = await inFlightRecord(recipients(campaign));
    const visibility = recordingVisibility();
    const hours = modules.quiet.parseQuietHours('22:00-08:00');
    const deps = { ...baseDeps, now: () => new Date('2026-01-11T07:50:00+03:30') };
    const handler = modules.batch.channelBatchHandler(deps, async () => modules.channel(), logger, {
      defer: (now) => modules.quiet.deferUntil(hours, now),
      visibility,
    });
    // Act
    const answer = await handler({ Records: [record] }, context);
    // Assess
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(visibility.calls).toEqual([
      {
        message: { queueArn: emulators.names.queues.sms.arn, receiptHandle: record.receiptHandle },
        seconds: 600,
      },
    ]);
    expect(await visibleSoon()).toEqual([]);
    expect(await ledgerItems(campaign)).toEqual([]);
    expect(await simMessages(sim.url)).toEqual([]);
  });

  it('sends the deferred message when it comes back after the window: never dropped', async () => {
    // Prepare: deferred at 23:00, handled again at 08:00 the next morning
    const campaign = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'] });
    const hours = modules.quiet.parseQuietHours('22:00-08:00');
    let clock = new Date('2026-01-10T23:00:00+03:30');
    const handler = modules.batch.channelBatchHandler(
      { ...baseDeps, now: () => clock },
      async () => modules.channel(),
      logger,
      { defer: (now) => modules.quiet.deferUntil(hours, now), visibility: recordingVisibility() },
    );
    const night = await handler({ Records: [await inFlightRecord(recipients(campaign))] }, context);
    // Act
    clock = new Date('2026-01-11T08:00:00+03:30');
    const morning = await handler({ Records: [sqsRecord(recipients(campaign))] }, context);
    // Assess
    expect(night.batchItemFailures).toHaveLength(1);
    expect(morning.batchItemFailures).toEqual([]);
    expect((await simMessages(sim.url)).map((sms) => sms.receptor).sort()).toEqual([
      '09123330000',
      '09123330001',
    ]);
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 2, queued: 0 });
  });

  it('caps a wait longer than SQS allows, so the message comes back and waits again', async () => {
    // Prepare: a 20-hour window, entered at its very start
    const campaign = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'] });
    const visibility = recordingVisibility();
    const hours = modules.quiet.parseQuietHours('08:00-04:00');
    const handler = modules.batch.channelBatchHandler(
      { ...baseDeps, now: () => new Date('2026-01-11T08:00:00+03:30') },
      async () => modules.channel(),
      logger,
      { defer: (now) => modules.quiet.deferUntil(hours, now), visibility },
    );
    // Act
    const answer = await handler({ Records: [await inFlightRecord(recipients(campaign))] }, context);
    // Assess
    expect(answer.batchItemFailures).toHaveLength(1);
    const [call] = visibility.calls;
    expect(call?.seconds).toBeLessThanOrEqual(12 * 3600);
    expect(call?.seconds).toBeGreaterThan(11 * 3600);
    expect(await simMessages(sim.url)).toEqual([]);
  });

  it('is wired into queue-send-sms: a record in the configured window waits on its queue', async () => {
    // Prepare: CHAPAR_QUIET_HOURS spans the present Tehran time
    const campaign = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'] });
    const record = await inFlightRecord(recipients(campaign));
    // Act
    const answer = await realHandler({ Records: [record] }, context);
    // Assess
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(await visibleSoon()).toEqual([]);
    expect(await ledgerItems(campaign)).toEqual([]);
    expect(await simMessages(sim.url)).toEqual([]);
  });
});
