import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient, SendResult } from '../../../shared/domain/delivery';
import { ProviderError } from '../../../shared/domain/errors';
import {
  PROVIDER_DOWN_FAILURES,
  PROVIDER_DOWN_MS,
  PROVIDER_UNAVAILABLE,
  SES_DAILY_QUOTA,
} from '../../../shared/domain/retry-backoff';
import type { Contact } from '../../../shared/domain/types';
import type { ChannelSender, DeliverDeps } from '../../../shared/ports';
import { dispatchDueCampaigns, resumeCampaign } from '../../../shared/use-cases/campaigns';
import {
  deliverRecipients,
  RetryLaterError,
  resultForError,
} from '../../../shared/use-cases/deliver-recipients';
import { sendingCampaign } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { MemoryProviderHealth } from '../../support/fakes/provider-health';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const START = new Date('2025-06-01T10:00:00.000Z');

const contact = (id: string): Contact => ({
  id,
  ref: `ref-${id}`,
  phone: `+98912000000${id.slice(-1)}`,
  email: `${id}@example.com`,
  locale: 'fa',
  name: id,
  attributes: {},
  createdAt: START.toISOString(),
  updatedAt: START.toISOString(),
});

const sent = (recipient: Recipient): SendResult => ({
  kind: 'sent',
  content: 'text',
  providerMessageId: `m-${recipient.contact.id}`,
});
const badGateway = (): SendResult => ({ kind: 'retry', reason: 'kavenegar:502' });

/** A channel whose answer the test changes between calls, counting what it sent. */
class SwitchableChannel implements ChannelSender {
  readonly channel = 'sms' as const;
  answer: (recipient: Recipient) => SendResult = badGateway;
  readonly sentTo: string[] = [];

  async send(_campaign: Campaign, recipients: readonly Recipient[]): Promise<SendResult[]> {
    return recipients.map((recipient) => {
      const result = this.answer(recipient);
      if (result.kind === 'sent') this.sentTo.push(recipient.contact.id);
      return result;
    });
  }
}

async function world(contactIds = ['c1', 'c2']) {
  const campaigns = new MemoryCampaignStore();
  const deliveries = new MemoryDeliveryStore(campaigns);
  const alarms = new RecordingAlarms();
  const health = new MemoryProviderHealth();
  const clock = { now: START };
  const campaign = await sendingCampaign(campaigns, contactIds.length, { channels: ['sms'] });
  const deps: DeliverDeps = {
    campaigns,
    contacts: new MemoryContactStore(contactIds.map(contact)),
    consent: new MemoryConsentStore(),
    deliveries,
    alarms,
    now: () => clock.now,
    leaseMs: 60_000,
    health,
  };
  const channel = new SwitchableChannel();
  const message = { v: 1 as const, campaignId: campaign.id, channel: 'sms' as const, contactIds };
  const deliver = (attempt = {}) => deliverRecipients(deps, channel, message, attempt);
  const current = async () => (await campaigns.getWithStats(campaign.id)) ?? expect.fail('no campaign');
  return { campaigns, alarms, health, clock, campaign, deps, channel, deliver, current };
}

describe('a provider that keeps failing', () => {
  it(`is retried until ${PROVIDER_DOWN_FAILURES} consecutive failed calls, then pauses the campaign as provider_unavailable with the alarm`, async () => {
    // Prepare
    const { alarms, campaign, deliver, current } = await world();
    // Act: nine failed calls each ask for a retry; the tenth pauses
    for (let call = 1; call < PROVIDER_DOWN_FAILURES; call += 1) {
      await expect(deliver()).rejects.toBeInstanceOf(RetryLaterError);
    }
    await deliver();
    // Assess
    const { campaign: paused } = await current();
    expect(paused).toMatchObject({ status: 'paused', pausedReason: PROVIDER_UNAVAILABLE });
    expect(alarms.paused).toEqual([
      { campaignId: campaign.id, reason: expect.stringContaining(PROVIDER_UNAVAILABLE) },
    ]);
  });

  it('pauses after 5 minutes of failures, however few calls were made', async () => {
    // Prepare
    const { clock, deliver, current } = await world();
    await expect(deliver()).rejects.toBeInstanceOf(RetryLaterError);
    // Act
    clock.now = new Date(START.getTime() + PROVIDER_DOWN_MS);
    await deliver();
    // Assess
    expect((await current()).campaign).toMatchObject({
      status: 'paused',
      pausedReason: PROVIDER_UNAVAILABLE,
    });
  });

  it('starts counting again after a call that succeeds', async () => {
    // Prepare: nine failures, then one recipient answered
    const { health, channel, deliver, current } = await world(['c1', 'c2']);
    for (let call = 1; call < PROVIDER_DOWN_FAILURES; call += 1) {
      await expect(deliver()).rejects.toBeInstanceOf(RetryLaterError);
    }
    channel.answer = (recipient) => (recipient.contact.id === 'c1' ? sent(recipient) : badGateway());
    // Act
    await expect(deliver()).rejects.toBeInstanceOf(RetryLaterError);
    channel.answer = badGateway;
    await expect(deliver()).rejects.toBeInstanceOf(RetryLaterError);
    // Assess
    expect(health.streaks.get('sms')?.failures).toBe(1);
    expect((await current()).campaign.status).toBe('sending');
  });

  it('pauses on the last receive instead of failing into the DLQ, and resume sends everyone once', async () => {
    // Prepare
    const { campaigns, channel, campaign, deps, deliver, current } = await world(['c1', 'c2']);
    // Act: the first failure on the queue's last receive
    await deliver({ lastReceive: true });
    const afterPause = await current();
    channel.answer = sent;
    const queue = new RecordingWorkQueue();
    await resumeCampaign({ campaigns, queue, now: deps.now }, campaign.id, 60_000);
    await deliver();
    await deliver();
    // Assess
    expect(afterPause.campaign).toMatchObject({ status: 'paused', pausedReason: PROVIDER_UNAVAILABLE });
    expect(queue.dispatches).toHaveLength(1);
    expect(channel.sentTo.sort()).toEqual(['c1', 'c2']);
    // The round-2 dispatch has yet to run: the campaign completes when it has.
    expect((await current()).stats).toMatchObject({ sent: 2, queued: 0 });
  });

  it('asks for a retry that knows a recipient was left unknown (its claim is kept)', async () => {
    // Prepare
    const { channel, deliver } = await world(['c1', 'c2']);
    channel.answer = (recipient) =>
      recipient.contact.id === 'c1' ? { kind: 'unknown', reason: 'kavenegar:timeout' } : badGateway();
    // Act
    const error = await deliver().catch((thrown: unknown) => thrown);
    // Assess
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).unknown).toBe(true);
  });
});

describe("SES's daily quota", () => {
  const quotaError = new ProviderError(
    'ses',
    'LimitExceededException',
    'campaign',
    'SES SendEmail failed: LimitExceededException: Maximum sending quota exceeded.',
    { context: { pause: 'quota' } },
  );

  it('is kept apart from other campaign-class failures', () => {
    expect(resultForError(quotaError)).toMatchObject({ kind: 'stop', pause: 'quota' });
    expect(
      resultForError(new ProviderError('ses', 'SendingPausedException', 'campaign', 'paused')),
    ).not.toHaveProperty('pause');
  });

  it('pauses the campaign as ses_daily_quota with the alarm, and the sweep resumes it an hour later, once', async () => {
    // Prepare
    const { campaigns, alarms, clock, channel, campaign, deliver, current } = await world(['c1', 'c2']);
    channel.answer = () => resultForError(quotaError);
    const queue = new RecordingWorkQueue();
    const sweep = () => dispatchDueCampaigns({ campaigns, queue, now: () => clock.now });
    // Act
    await deliver();
    const paused = (await current()).campaign;
    clock.now = new Date(START.getTime() + 59 * 60_000);
    const early = await sweep();
    clock.now = new Date(START.getTime() + 60 * 60_000);
    await sweep();
    const resumed = (await current()).campaign;
    await sweep();
    channel.answer = sent;
    await deliver();
    // Assess
    expect(paused).toMatchObject({
      status: 'paused',
      pausedReason: SES_DAILY_QUOTA,
      resumeAfter: '2025-06-01T11:00:00.000Z',
    });
    expect(alarms.paused).toEqual([
      { campaignId: campaign.id, reason: expect.stringContaining(SES_DAILY_QUOTA) },
    ]);
    expect(early).toBe(0);
    expect(resumed.status).toBe('sending');
    expect(resumed).not.toHaveProperty('resumeAfter');
    // One resume: a single round-2 dispatch, and nobody sent twice.
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: campaign.id, cursor: null, round: 2 }]);
    expect(channel.sentTo.sort()).toEqual(['c1', 'c2']);
  });

  it('leaves every other pause to an operator', async () => {
    // Prepare: one campaign paused for its provider, one for a campaign-class failure
    const { campaigns, clock, channel, deliver, current } = await world(['c1']);
    channel.answer = () =>
      resultForError(new ProviderError('ses', 'SendingPausedException', 'campaign', 'x'));
    await deliver();
    const queue = new RecordingWorkQueue();
    // Act
    clock.now = new Date(START.getTime() + 24 * 3600_000);
    const count = await dispatchDueCampaigns({ campaigns, queue, now: () => clock.now });
    // Assess
    expect(count).toBe(0);
    expect(queue.dispatches).toEqual([]);
    expect((await current()).campaign.status).toBe('paused');
  });
});
