import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { analyseSms } from '../../../shared/domain/sms-segments';
import { type SmsLayout, sampleSms } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import { type DispatchDeps, dispatchCampaign } from '../../../shared/use-cases/dispatch-campaign';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const LAYOUT: SmsLayout = { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' };

function contact(id: string, fields: Partial<Contact> = {}): Contact {
  return {
    id,
    ref: `ref-${id}`,
    phone: '+989120000001',
    email: `${id}@example.com`,
    locale: 'fa',
    attributes: {},
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...fields,
  };
}

async function world(contacts: Contact[], overrides: Partial<Campaign> = {}, pageSize = 2) {
  const campaigns = new MemoryCampaignStore();
  const queue = new RecordingWorkQueue();
  const campaign = campaignFixture({ sendAt: NOW.toISOString(), ...overrides });
  await campaigns.create(campaign);
  const deps: DispatchDeps = {
    campaigns,
    contacts: new MemoryContactStore(contacts),
    queue,
    now: () => NOW,
    pageSize,
    leaseMs: 60_000,
    smsLayout: LAYOUT,
  };
  const first = { v: 1 as const, campaignId: campaign.id, cursor: null };
  const stored = async () => campaigns.getWithStats(campaign.id);
  return { campaigns, queue, campaign, deps, first, stored };
}

describe('dispatchCampaign', () => {
  it('starts a scheduled campaign, fans the first page out per channel and chains the next page', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2', { phone: undefined }), contact('c3')]);

    // Act
    const result = await dispatchCampaign(w.deps, w.first);

    // Assess
    expect(result).toBe('dispatched');
    expect(w.queue.recipients).toEqual([
      { v: 1, campaignId: w.campaign.id, channel: 'sms', contactIds: ['c1'] },
      { v: 1, campaignId: w.campaign.id, channel: 'email', contactIds: ['c1', 'c2'] },
    ]);
    expect(w.queue.dispatches).toEqual([{ v: 1, campaignId: w.campaign.id, cursor: '2', round: 1 }]);
    const after = await w.stored();
    expect(after?.campaign).toMatchObject({ status: 'sending', dispatchCursor: '2' });
    expect(after?.stats.total).toBe(3);
  });

  it('finishes on the last page and counts each SMS recipient its own segments', async () => {
    // Prepare
    const w = await world([contact('c1', { name: 'سارا' })], { sms: { text: '{{name}} عزیز، سلام' } });

    // Act
    const result = await dispatchCampaign(w.deps, w.first);

    // Assess
    expect(result).toBe('finished');
    expect(w.queue.dispatches).toEqual([]);
    const after = await w.stored();
    expect(after?.campaign.dispatchedAt).toBe(NOW.toISOString());
    expect(after?.stats).toMatchObject({
      total: 2,
      expectedSegments: analyseSms(sampleSms(LAYOUT, 'سارا عزیز، سلام')).segments,
    });
    expect(after?.campaign.status).toBe('sending');
  });

  it('completes a campaign with nobody to reach', async () => {
    // Prepare
    const w = await world([contact('c1', { phone: undefined, email: undefined })]);

    // Act
    const result = await dispatchCampaign(w.deps, w.first);

    // Assess
    expect(result).toBe('finished');
    expect(w.queue.recipients).toEqual([]);
    expect((await w.stored())?.campaign.status).toBe('sent');
  });

  it('runs a page once however often its message arrives', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2'), contact('c3')]);
    await dispatchCampaign(w.deps, w.first);
    const sent = w.queue.recipients.length;
    const total = (await w.stored())?.stats.total;

    // Act
    const again = await dispatchCampaign(w.deps, w.first);

    // Assess
    expect(again).toBe('skipped');
    expect(w.queue.recipients).toHaveLength(sent);
    expect(total).toBe(4);
    expect((await w.stored())?.stats.total).toBe(total);
  });

  it('pages through a list audience by offset', async () => {
    // Prepare
    const ids = ['c1', 'c2', 'c3'];
    const w = await world(
      ids.map((id) => contact(id)),
      { channels: ['email'], audience: { contactIds: ids } },
    );

    // Act
    await dispatchCampaign(w.deps, w.first);
    const last = await dispatchCampaign(w.deps, { ...w.first, cursor: '2', round: 1 });

    // Assess
    expect(last).toBe('finished');
    expect(w.queue.recipients.map((message) => message.contactIds)).toEqual([['c1', 'c2'], ['c3']]);
    expect((await w.stored())?.stats.total).toBe(3);
  });

  it.each([
    [
      'cancelled',
      async (w: Awaited<ReturnType<typeof world>>) =>
        w.campaigns.transition(w.campaign.id, 'cancelled', ['scheduled'], NOW),
    ],
    ['missing', async () => undefined],
  ])('skips a %s campaign', async (what, prepare) => {
    // Prepare
    const w = await world([contact('c1')]);
    await prepare(w);
    const message = what === 'missing' ? { ...w.first, campaignId: 'nobody' } : w.first;

    // Act
    const result = await dispatchCampaign(w.deps, message);

    // Assess
    expect(result).toBe('skipped');
    expect(w.queue.recipients).toEqual([]);
  });

  it('dispatches a resumed round again without counting its audience twice, and ignores the older round', async () => {
    // Prepare: round 1 finished, then the campaign paused and resumed
    const w = await world([contact('c1')], { channels: ['sms'] });
    await dispatchCampaign(w.deps, w.first);
    await w.campaigns.transition(w.campaign.id, 'paused', ['sending'], NOW, { pausedReason: 'credit' });
    await w.campaigns.transition(w.campaign.id, 'sending', ['paused'], NOW, {
      leaseUntil: NOW,
      newRound: true,
    });

    // Act
    const old = await dispatchCampaign(w.deps, w.first);
    const resumed = await dispatchCampaign(w.deps, { ...w.first, round: 2 });

    // Assess
    expect(old).toBe('skipped');
    expect(resumed).toBe('finished');
    expect(w.queue.recipients).toHaveLength(2);
    expect((await w.stored())?.stats.total).toBe(1);
  });
});
