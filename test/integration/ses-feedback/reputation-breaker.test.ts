import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, start as startSes } from '../../../local/ses';
import { LOCAL_CONFIGURATION_SET, type SesEvents, start as startSesEvents } from '../../../local/ses-events';
import type { Campaign } from '../../../shared/domain/campaign';
import type { RecipientsMessage } from '../../../shared/domain/messages';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, ChannelSender, ContactStore, DeliverDeps } from '../../../shared/ports';
import { sendingCampaign, sqsRecord } from '../../fixtures/campaigns';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { RecordingAlarms } from '../../support/fakes/alarms';

// The breaker on SES's mailbox simulator: mail to bounce@ and complaint@ goes through our SES
// event publishing (local/ses-events.ts) to this file's sesEvents topic and sesFeedback queue,
// and the real queue-ses-feedback handler counts it and trips the breaker.
let emulators: TestEmulators;
let ses: SesEmulator;
let sesEvents: SesEvents;
let client: SESv2Client;
let campaigns: CampaignStore;
let contacts: ContactStore;
let deps: DeliverDeps;
let channel: ChannelSender;
let deliver: typeof import('../../../shared/use-cases/deliver-recipients').deliverRecipients;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'test' } as Context;
const run = randomUUID().slice(0, 8);
const SIMULATOR = 'simulator.amazonses.com';

beforeAll(async () => {
  emulators = await useEmulators();
  const { names, endpoints } = emulators;
  ses = await startSes({ port: 0 });
  sesEvents = await startSesEvents({
    sesUrl: ses.url,
    snsEndpoint: endpoints.sqs,
    region: endpoints.region,
    topicArn: names.topics.sesEvents.arn,
  });
  client = new SESv2Client({
    endpoint: sesEvents.url,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const factory = await import('../../../shared/adapters/factory');
  const { SesEmailProvider } = await import('../../../shared/adapters/ses/email-provider');
  const { EmailChannel } = await import('../../../shared/use-cases/send-email');
  const { templateFile } = await import('../../../shared/adapters/templates/template-files');
  ({ deliverRecipients: deliver } = await import('../../../shared/use-cases/deliver-recipients'));
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  deps = {
    campaigns,
    contacts,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms: new RecordingAlarms(),
    now: () => new Date(),
    leaseMs: 60_000,
  };
  channel = new EmailChannel({
    email: new SesEmailProvider(client, {
      from: 'news@chapar.test',
      configurationSet: LOCAL_CONFIGURATION_SET,
    }),
    keyring: factory.tokenKeyring(factory.secretSource(), names.secrets.tokenKeys),
    publicBaseUrl: 'https://chapar.test',
    templates: templateFile,
    concurrency: 10,
  });
  ({ handler } = (await import('../../../functions/queue-ses-feedback/handler')) as unknown as {
    handler: typeof handler;
  });
});

afterAll(async () => {
  client?.destroy();
  await sesEvents?.end();
  await ses?.end();
});

/**
 * Contacts at the simulator (`mailbox+<run>-<label>-<n>@simulator.amazonses.com`), or for
 * mailbox `reader` at example.com: accepted mail with no event, so only bounces and
 * complaints reach the feedback queue.
 */
async function simulatorContacts(label: string, mailbox: string, count: number): Promise<Contact[]> {
  const made: Contact[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) => {
      const n = start + i;
      return contacts.upsert(
        `${label}-${mailbox}-${n}-${run}`,
        {
          email:
            mailbox === 'reader'
              ? `reader-${run}-${label}-${n}@example.com`
              : `${mailbox}+${run}-${label}-${n}@${SIMULATOR}`,
          locale: 'en',
          attributes: {},
        },
        new Date(),
      );
    });
    made.push(...(await Promise.all(batch)));
  }
  return made;
}

/** Sends every one of `audience` through deliverRecipients, ten a message, four messages at once. */
async function sendAll(campaign: Campaign, audience: readonly Contact[]): Promise<void> {
  const messages: RecipientsMessage[] = [];
  for (let i = 0; i < audience.length; i += 10) {
    messages.push({
      v: 1 as const,
      campaignId: campaign.id,
      channel: 'email' as const,
      contactIds: audience.slice(i, i + 10).map((contact) => contact.id),
    });
  }
  let next = 0;
  const worker = async () => {
    for (let message = messages[next++]; message; message = messages[next++])
      await deliver(deps, channel, message);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/**
 * Hands every published SES event to the real feedback handler, as the queue's poller would,
 * until the campaign has paused (or two minutes have passed: a slow shared machine).
 */
async function processFeedbackUntilPaused(campaignId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await campaigns.get(campaignId))?.status === 'paused') return;
    const messages: Message[] = await emulators.receiveAll('sesFeedback', { waitSeconds: 1 });
    for (let i = 0; i < messages.length; i += 10) {
      const records = messages
        .slice(i, i + 10)
        .map((message) => ({ ...sqsRecord({}), body: message.Body ?? '' }));
      const answer = await handler({ Records: records }, context);
      expect(answer.batchItemFailures).toEqual([]);
    }
  }
}

// 500 sends each: a slow shared machine takes minutes over them, hence the long test timeouts.
describe('the reputation breaker on the mailbox simulator', () => {
  it('pauses a campaign past 2.5 % bounces after 500 sends, with the rate in pausedReason', async () => {
    // Prepare: 500 accepted and 16 bounces (3.1 %), spread through the audience; more to come
    const readers = await simulatorContacts('b', 'reader', 500);
    const bouncers = await simulatorContacts('b', 'bounce', 16);
    const audience = readers.flatMap((reader, i) =>
      i % 31 === 0 && bouncers[i / 31] ? [bouncers[i / 31] as Contact, reader] : [reader],
    );
    const campaign = await sendingCampaign(campaigns, audience.length + 100, {
      channels: ['email'],
      email: { subject: `Bounces ${run}`, html: '<p>Hello</p>' },
    });
    await sendAll(campaign, audience);

    // Act
    await processFeedbackUntilPaused(campaign.id);

    // Assess: it tripped on the bounce that took the rate past 2.5 %, the 13th
    const paused = await campaigns.getWithStats(campaign.id);
    expect(paused?.stats.sent).toBe(516);
    expect(paused?.stats.bounced).toBeGreaterThanOrEqual(13);
    expect(paused?.campaign).toMatchObject({
      status: 'paused',
      pausedReason: 'reputation: bounce 2.52 % (13/516)',
    });
  }, 300_000);

  it('pauses a campaign past 0.08 % complaints after 500 sends, with the rate in pausedReason', async () => {
    // Prepare: one complaint in 501 sends (0.20 %)
    const readers = await simulatorContacts('c', 'reader', 500);
    const [complainer] = await simulatorContacts('c', 'complaint', 1);
    const audience = [...readers.slice(0, 250), complainer as Contact, ...readers.slice(250)];
    const campaign = await sendingCampaign(campaigns, audience.length + 100, {
      channels: ['email'],
      email: { subject: `Complaints ${run}`, html: '<p>Hello</p>' },
    });
    await sendAll(campaign, audience);

    // Act
    await processFeedbackUntilPaused(campaign.id);

    // Assess
    const paused = await campaigns.getWithStats(campaign.id);
    expect(paused?.stats).toMatchObject({ sent: 501, complained: 1 });
    expect(paused?.campaign).toMatchObject({
      status: 'paused',
      pausedReason: 'reputation: complaint 0.20 % (1/501)',
    });
  }, 300_000);
});
