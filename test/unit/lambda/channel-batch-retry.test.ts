import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient, SendResult } from '../../../shared/domain/delivery';
import type { ReceivedMessage } from '../../../shared/domain/messages';
import { PROVIDER_UNAVAILABLE } from '../../../shared/domain/retry-backoff';
import type { Contact } from '../../../shared/domain/types';
import { channelBatchHandler } from '../../../shared/lambda/channel-batch-handler';
import type { ChannelSender, DeliverDeps, MessageVisibility } from '../../../shared/ports';
import { sendingCampaign, sqsRecord } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { MemoryProviderHealth } from '../../support/fakes/provider-health';

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;
const logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Parameters<
  typeof channelBatchHandler
>[2];
const LEASE_MS = 120_000;

class RecordingVisibility implements MessageVisibility {
  readonly delays: { message: ReceivedMessage; seconds: number }[] = [];
  async delay(message: ReceivedMessage, seconds: number): Promise<boolean> {
    this.delays.push({ message, seconds });
    return true;
  }
}

const contact = (id: string): Contact => ({
  id,
  ref: `ref-${id}`,
  phone: `+98912000000${id.slice(-1)}`,
  locale: 'fa',
  name: id,
  attributes: {},
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});

async function world(answer: (recipient: Recipient) => SendResult) {
  const campaigns = new MemoryCampaignStore();
  const deliveries = new MemoryDeliveryStore(campaigns);
  const campaign = await sendingCampaign(campaigns, 2, { channels: ['sms'] });
  const deps: DeliverDeps = {
    campaigns,
    contacts: new MemoryContactStore([contact('c1'), contact('c2')]),
    consent: new MemoryConsentStore(),
    deliveries,
    alarms: new RecordingAlarms(),
    now: () => new Date(),
    leaseMs: LEASE_MS,
    health: new MemoryProviderHealth(),
  };
  const sender: ChannelSender = {
    channel: 'sms',
    send: async (_campaign: Campaign, recipients) => recipients.map(answer),
  };
  const visibility = new RecordingVisibility();
  const handler = channelBatchHandler(deps, async () => sender, logger, undefined, {
    visibility,
    maxReceiveCount: 5,
  });
  const body = { v: 1, campaignId: campaign.id, channel: 'sms', contactIds: ['c1', 'c2'] };
  return { campaigns, campaign, visibility, handler, body };
}

const badGateway = (): SendResult => ({ kind: 'retry', reason: 'kavenegar:502' });

describe('channelBatchHandler retries', () => {
  it('holds a failed record back longer on each receive and reports it failed', async () => {
    // Prepare
    const { visibility, handler, body } = await world(badGateway);
    const records = [1, 2, 3, 4].map((count) => sqsRecord(body, count));
    // Act
    const answers = [];
    for (const record of records) answers.push(await handler({ Records: [record] }, context));
    // Assess
    expect(answers.map((answer) => answer.batchItemFailures)).toEqual(
      records.map((record) => [{ itemIdentifier: record.messageId }]),
    );
    expect(visibility.delays.map((delay) => delay.seconds)).toEqual([10, 30, 120, 360]);
    expect(visibility.delays[0]?.message).toEqual({
      queueArn: records[0]?.eventSourceARN,
      receiptHandle: records[0]?.receiptHandle,
    });
  });

  it('waits out the claim lease when a recipient was left unknown, so its held claim is not skipped', async () => {
    // Prepare
    const { visibility, handler, body } = await world((recipient) =>
      recipient.contact.id === 'c1' ? { kind: 'unknown', reason: 'kavenegar:timeout' } : badGateway(),
    );
    // Act
    await handler({ Records: [sqsRecord(body, 1)] }, context);
    // Assess
    expect(visibility.delays.map((delay) => delay.seconds)).toEqual([LEASE_MS / 1000]);
  });

  it('on the last receive pauses the campaign and lets the message go, never to the DLQ', async () => {
    // Prepare
    const { campaigns, campaign, visibility, handler, body } = await world(badGateway);
    // Act
    const answer = await handler({ Records: [sqsRecord(body, 5)] }, context);
    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(visibility.delays).toEqual([]);
    expect(await campaigns.get(campaign.id)).toMatchObject({
      status: 'paused',
      pausedReason: PROVIDER_UNAVAILABLE,
    });
  });
});
