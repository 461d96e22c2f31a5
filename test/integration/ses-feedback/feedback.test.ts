import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { isSuppressed } from '../../../shared/domain/consent';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, ConsentStore, ContactStore, DeliveryStore } from '../../../shared/ports';
import { recordSesFeedback } from '../../../shared/use-cases/ses-feedback';
import { sendingCampaign } from '../../fixtures/campaigns';
import { bounceEvent, complaintEvent, deliveryEvent } from '../../fixtures/ses-events';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let sns: SNSClient;
let campaigns: CampaignStore;
let contacts: ContactStore;
let consent: ConsentStore;
let deliveries: DeliveryStore;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'test' } as Context;
const run = randomUUID().slice(0, 8);

beforeAll(async () => {
  emulators = await useEmulators();
  const { names, endpoints } = emulators;
  sns = new SNSClient({
    endpoint: endpoints.sqs,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  consent = factory.consentStore(names.tables.consent);
  deliveries = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);
  ({ handler } = (await import('../../../functions/queue-ses-feedback/handler')) as unknown as {
    handler: typeof handler;
  });
});

afterAll(() => sns?.destroy());

/** A contact, a sending campaign and the email delivery to it, ended as sent. */
async function sentEmail(name: string): Promise<{ contact: Contact; campaign: Campaign }> {
  const contact = await contacts.upsert(
    `${name}-${run}`,
    { email: `${name}-${run}@example.com`, locale: 'en', attributes: {} },
    new Date(),
  );
  const campaign = await sendingCampaign(campaigns, 1, { channels: ['email'] });
  const key = { campaignId: campaign.id, contactId: contact.id, channel: 'email' as const };
  const claim = await deliveries.claim(key, new Date(), 60_000);
  if (claim.kind !== 'claimed') throw new Error('fixture delivery was not claimable');
  await deliveries.end(
    key,
    claim.claimId,
    {
      outcome: 'sent',
      recipient: contact.email,
      content: 'News',
      providerMessageId: 'ses-1',
      messageId: 'm',
    },
    new Date(),
  );
  // The sender counts its message's ends in one write after them.
  await deliveries.countEnds(
    campaign.id,
    [{ outcome: 'sent', endedBy: { messageId: 'm', runId: claim.claimId } }],
    new Date(),
    'email',
  );
  return { contact, campaign };
}

const tagsOf = (contact: Contact, campaign: Campaign) => ({
  campaign: campaign.id,
  topic: campaign.topic,
  channel: 'email',
  ref: contact.ref,
});

/** Publishes SES events to the sesEvents topic and takes what SNS delivered to the sesFeedback queue. */
async function throughTopic(...events: object[]): Promise<SQSRecord[]> {
  for (const event of events) {
    await sns.send(
      new PublishCommand({ TopicArn: emulators.names.topics.sesEvents.arn, Message: JSON.stringify(event) }),
    );
  }
  const received: Message[] = [];
  while (received.length < events.length) {
    const batch = await emulators.receiveAll('sesFeedback', { waitSeconds: 2 });
    if (batch.length === 0) throw new Error(`SNS delivered ${received.length} of ${events.length} events`);
    received.push(...batch);
  }
  return received.map((message) => sqsRecordOf(message));
}

function sqsRecordOf(message: Message): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: message.MessageId ?? randomUUID(),
    receiptHandle: message.ReceiptHandle ?? randomUUID(),
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: now,
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: emulators.names.queues.sesFeedback.arn,
    awsRegion: emulators.endpoints.region,
  };
}

async function statsOf(campaignId: string) {
  return (await campaigns.getWithStats(campaignId))?.stats;
}

describe('queue-ses-feedback handler', () => {
  it('receives SNS envelopes, raw delivery off, as in the cloud', async () => {
    // Prepare
    const event = deliveryEvent({ to: `x-${run}@example.com` });

    // Act
    const [record] = await throughTopic(event);

    // Assess
    const envelope = JSON.parse(record?.body ?? '{}');
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn: emulators.names.topics.sesEvents.arn,
      Message: JSON.stringify(event),
    });
  });

  it('suppresses a permanently bounced address on every topic and counts it once, however often it arrives', async () => {
    // Prepare
    const { contact, campaign } = await sentEmail('hard');
    const event = bounceEvent({ to: contact.email ?? '', tags: tagsOf(contact, campaign) });
    // SNS may publish one event twice (two envelopes); SQS may hand one message over twice.
    const records = await throughTopic(event, event);

    // Act
    const first = await handler({ Records: records }, context);
    const again = await handler({ Records: [records[0] as SQSRecord] }, context);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const states = await consent.states(contact.id, 'email');
    expect(states).toEqual([
      expect.objectContaining({
        topic: '*',
        status: 'opted_out',
        source: 'ses_bounce',
        campaignId: campaign.id,
      }),
    ]);
    for (const topic of ['newsletter', 'promotions', 'events', 'surveys']) {
      expect(isSuppressed(states, topic)).toBe(true);
    }
    expect(await consent.states(contact.id, 'sms')).toEqual([]);
    const ledger = (await consent.history(contact.id)).filter((entry) => entry.source === 'ses_bounce');
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      action: 'opt_out',
      channel: 'email',
      topic: '*',
      campaignId: campaign.id,
    });
    expect(await statsOf(campaign.id)).toMatchObject({ sent: 1, bounced: 1, complained: 0 });
  });

  it('writes one ledger line when a crash fell between the opt-out and the counter', async () => {
    // Prepare: the first attempt records the opt-out, then dies before counting.
    const { contact, campaign } = await sentEmail('crash');
    const factory = await import('../../../shared/adapters/factory');
    const { names } = emulators;
    const realFeedback = factory.feedbackStore(names.tables.deliveries, names.tables.campaigns);
    let crashes = 1;
    const deps = {
      contacts,
      consent,
      now: () => new Date(),
      feedback: {
        isCounted: realFeedback.isCounted.bind(realFeedback),
        count: async (...args: Parameters<typeof realFeedback.count>) => {
          if (crashes-- > 0) throw new Error('function crashed');
          return realFeedback.count(...args);
        },
      },
    };
    const feedback = {
      kind: 'complaint' as const,
      permanent: false,
      recipients: [],
      tags: tagsOf(contact, campaign),
    };
    await expect(recordSesFeedback(deps, feedback)).rejects.toThrow('function crashed');

    // Act: SQS hands the message over again.
    const retry = await recordSesFeedback(deps, feedback);

    // Assess
    expect(retry).toMatchObject({ outcome: 'recorded', suppressed: true, counted: true });
    const ledger = (await consent.history(contact.id)).filter((entry) => entry.source === 'ses_complaint');
    expect(ledger).toHaveLength(1);
    expect(await consent.states(contact.id, 'email')).toEqual([
      expect.objectContaining({ topic: '*', status: 'opted_out', source: 'ses_complaint' }),
    ]);
    expect(await statsOf(campaign.id)).toMatchObject({ complained: 1 });
  });

  it('opts a complaining contact out of email marketing and counts the complaint', async () => {
    // Prepare
    const { contact, campaign } = await sentEmail('spam');
    const records = await throughTopic(
      complaintEvent({ to: contact.email ?? '', tags: tagsOf(contact, campaign) }),
    );

    // Act
    const result = await handler({ Records: records }, context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const states = await consent.states(contact.id, 'email');
    expect(states).toEqual([
      expect.objectContaining({
        topic: '*',
        status: 'opted_out',
        source: 'ses_complaint',
        campaignId: campaign.id,
      }),
    ]);
    expect(isSuppressed(states, 'promotions')).toBe(true);
    expect(await consent.states(contact.id, 'sms')).toEqual([]);
    expect(await statsOf(campaign.id)).toMatchObject({ bounced: 0, complained: 1 });
  });

  it('only counts a transient bounce', async () => {
    // Prepare
    const { contact, campaign } = await sentEmail('soft');
    const records = await throughTopic(
      bounceEvent({ to: contact.email ?? '', tags: tagsOf(contact, campaign) }, 'Transient'),
    );

    // Act
    const result = await handler({ Records: records }, context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await consent.states(contact.id, 'email')).toEqual([]);
    expect(await consent.history(contact.id)).toEqual([]);
    expect(await statsOf(campaign.id)).toMatchObject({ bounced: 1, complained: 0 });
  });

  it('only counts a hard bounce of an address the contact no longer has', async () => {
    // Prepare
    const { contact, campaign } = await sentEmail('moved');
    await contacts.upsert(
      contact.id,
      { email: `moved-new-${run}@example.com`, locale: 'en', attributes: {} },
      new Date(),
    );
    const records = await throughTopic(
      bounceEvent({ to: contact.email ?? '', tags: tagsOf(contact, campaign) }),
    );

    // Act
    const result = await handler({ Records: records }, context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await consent.states(contact.id, 'email')).toEqual([]);
    expect(await statsOf(campaign.id)).toMatchObject({ bounced: 1 });
  });

  it('acknowledges events without our tags, for unknown contacts, and deliveries, changing nothing', async () => {
    // Prepare
    const { contact, campaign } = await sentEmail('other');
    const records = await throughTopic(
      bounceEvent({ to: contact.email ?? '' }),
      complaintEvent({ to: contact.email ?? '', tags: { campaign: campaign.id } }),
      bounceEvent({ to: contact.email ?? '', tags: { ...tagsOf(contact, campaign), ref: 'no-such-ref' } }),
      deliveryEvent({ to: contact.email ?? '', tags: tagsOf(contact, campaign) }),
    );

    // Act
    const result = await handler({ Records: records }, context);

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await consent.history(contact.id)).toEqual([]);
    expect(await statsOf(campaign.id)).toMatchObject({ sent: 1, bounced: 0, complained: 0 });
  });

  it('fails only the records that are not SES events, for a retry and then the DLQ', async () => {
    // Prepare
    const { contact, campaign } = await sentEmail('mixed');
    const [good] = await throughTopic(
      bounceEvent({ to: contact.email ?? '', tags: tagsOf(contact, campaign) }),
    );
    const notJson = { ...sqsRecordOf({ Body: 'not json' }), messageId: 'not-json' };
    const notSes = {
      ...sqsRecordOf({
        Body: JSON.stringify({ ...JSON.parse(good?.body ?? '{}'), Message: '{"eventType":"Bounce"}' }),
      }),
      messageId: 'not-ses',
    };

    // Act
    const result = await handler({ Records: [notJson, good as SQSRecord, notSes] }, context);

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'not-json' }, { itemIdentifier: 'not-ses' }]);
    expect(await statsOf(campaign.id)).toMatchObject({ bounced: 1 });
  });
});
