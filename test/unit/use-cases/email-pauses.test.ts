import { describe, expect, it } from 'vitest';
import type { EmailFeedback } from '../../../shared/domain/email-feedback';
import type { Contact } from '../../../shared/domain/types';
import { pauseEmailCampaigns, tripReputationBreaker } from '../../../shared/use-cases/email-pauses';
import { recordSesFeedback } from '../../../shared/use-cases/ses-feedback';
import { campaignFixture } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { MemoryFeedbackStore } from '../../support/fakes/feedback-store';

const now = () => new Date('2025-06-01T10:00:00.000Z');

async function store(...campaigns: ReturnType<typeof campaignFixture>[]) {
  const campaigns_ = new MemoryCampaignStore();
  for (const campaign of campaigns) await campaigns_.create(campaign);
  return campaigns_;
}

describe('pauseEmailCampaigns', () => {
  it('pauses every sending campaign with email, with the reason and one alarm each, and nothing else', async () => {
    // Prepare
    const email = campaignFixture({ channels: ['email'], status: 'sending' });
    const both = campaignFixture({ channels: ['sms', 'email'], status: 'sending' });
    const smsOnly = campaignFixture({ channels: ['sms'], status: 'sending' });
    const scheduled = campaignFixture({ channels: ['email'], status: 'scheduled' });
    const campaigns = await store(email, both, smsOnly, scheduled);
    const alarms = new RecordingAlarms();
    const reason = 'ses_sending_paused: SES SendEmail failed: SendingPausedException';

    // Act
    const paused = await pauseEmailCampaigns({ campaigns, alarms, now }, reason);
    const again = await pauseEmailCampaigns({ campaigns, alarms, now }, reason);

    // Assess
    expect(paused.sort()).toEqual([email.id, both.id].sort());
    expect(again).toEqual([]);
    expect(await campaigns.get(email.id)).toMatchObject({ status: 'paused', pausedReason: reason });
    expect(await campaigns.get(both.id)).toMatchObject({ status: 'paused', pausedReason: reason });
    expect((await campaigns.get(smsOnly.id))?.status).toBe('sending');
    expect((await campaigns.get(scheduled.id))?.status).toBe('scheduled');
    expect(alarms.paused).toHaveLength(2);
  });
});

describe('tripReputationBreaker', () => {
  it('pauses a sending campaign past its limit once, with one alarm', async () => {
    // Prepare
    const campaign = campaignFixture({ channels: ['email'], status: 'sending' });
    const campaigns = await store(campaign);
    for (let i = 0; i < 600; i += 1) campaigns.addCount(campaign.id, 'sent');
    for (let i = 0; i < 20; i += 1) campaigns.addCount(campaign.id, 'bounced');
    const alarms = new RecordingAlarms();

    // Act
    const first = await tripReputationBreaker({ campaigns, alarms, now }, campaign.id);
    const second = await tripReputationBreaker({ campaigns, alarms, now }, campaign.id);

    // Assess
    expect(first).toBe('reputation: bounce 3.3 % (20/600)');
    expect(second).toBeUndefined();
    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'paused', pausedReason: first });
    expect(alarms.paused).toEqual([{ campaignId: campaign.id, reason: first }]);
  });
});

describe('recordSesFeedback with the breaker', () => {
  const contact: Contact = {
    id: 'c1',
    ref: 'ref-1',
    email: 'sara@example.com',
    locale: 'fa',
    attributes: {},
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };

  async function setUp(sent: number, complained: number) {
    const campaign = campaignFixture({ channels: ['email'], status: 'sending' });
    const campaigns = await store(campaign);
    for (let i = 0; i < sent; i += 1) campaigns.addCount(campaign.id, 'sent');
    for (let i = 0; i < complained; i += 1) campaigns.addCount(campaign.id, 'complained');
    const deliveries = new MemoryDeliveryStore();
    deliveries.put(
      { campaignId: campaign.id, contactId: 'c1', channel: 'email' },
      { status: 'sent', attempts: 1 },
    );
    const feedback = new MemoryFeedbackStore(deliveries);
    // The fake feedback store counts on its own; the campaign's counter moves with it here.
    const count = feedback.count.bind(feedback);
    feedback.count = async (key, counter, at) => {
      const result = await count(key, counter, at);
      if (result === 'counted') campaigns.addCount(key.campaignId, counter);
      return result;
    };
    const alarms = new RecordingAlarms();
    const deps = {
      contacts: new MemoryContactStore([contact]),
      consent: new MemoryConsentStore(),
      feedback,
      now,
      breaker: { campaigns, alarms },
    };
    const complaint: EmailFeedback = {
      kind: 'complaint',
      permanent: false,
      recipients: ['sara@example.com'],
      tags: { campaign: campaign.id, ref: 'ref-1', channel: 'email' },
    };
    return { campaign, campaigns, alarms, deps, complaint };
  }

  it('pauses the campaign when the complaint it counts takes it past 0.08 % after 500 sends', async () => {
    // Prepare
    const { campaign, campaigns, alarms, deps, complaint } = await setUp(1000, 0);

    // Act
    const result = await recordSesFeedback(deps, complaint);

    // Assess
    expect(result).toMatchObject({
      outcome: 'recorded',
      reputation: 'reputation: complaint 0.10 % (1/1000)',
    });
    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'paused' });
    expect(alarms.paused).toHaveLength(1);
  });

  it('leaves a campaign under 500 sends sending, whatever its rate', async () => {
    // Prepare
    const { campaign, campaigns, alarms, deps, complaint } = await setUp(499, 5);

    // Act
    const result = await recordSesFeedback(deps, complaint);

    // Assess
    expect(result).not.toHaveProperty('reputation');
    expect((await campaigns.get(campaign.id))?.status).toBe('sending');
    expect(alarms.paused).toEqual([]);
  });
});
