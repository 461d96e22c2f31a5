import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient, SendResult } from '../../../shared/domain/delivery';
import type { DispatchMessage } from '../../../shared/domain/messages';
import { analyseSms } from '../../../shared/domain/sms-segments';
import { type SmsLayout, sampleSms } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import type { ChannelSender } from '../../../shared/ports';
import { contactsAudience } from '../../../shared/use-cases/audience-source';
import { cancelCampaign, dispatchDueCampaigns, resumeCampaign } from '../../../shared/use-cases/campaigns';
import { deliverRecipients } from '../../../shared/use-cases/deliver-recipients';
import { type DispatchDeps, dispatchCampaign } from '../../../shared/use-cases/dispatch-campaign';
import { campaignFixture } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const START = Date.parse('2025-06-01T10:00:00.000Z');
const LEASE_MS = 60_000;
const LAYOUT: SmsLayout = { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' };

function contact(id: string, fields: Partial<Contact> = {}): Contact {
  return {
    id,
    ref: `ref-${id}`,
    phone: '+989120000001',
    email: `${id}@example.com`,
    locale: 'fa',
    attributes: {},
    createdAt: new Date(START).toISOString(),
    updatedAt: new Date(START).toISOString(),
    ...fields,
  };
}

const many = (count: number) => Array.from({ length: count }, (_, i) => contact(`c${i}`));

async function world(
  contacts: Contact[],
  overrides: Partial<Campaign> = {},
  options: { pageSize?: number; segments?: number } = {},
) {
  let now = START;
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
  const campaigns = new MemoryCampaignStore();
  const contactStore = new MemoryContactStore(contacts);
  const queue = new RecordingWorkQueue();
  const campaign = campaignFixture({ sendAt: new Date(START).toISOString(), ...overrides });
  await campaigns.create(campaign);
  const deps: DispatchDeps = {
    campaigns,
    audience: contactsAudience(contactStore, options.segments ?? 3),
    queue,
    now: clock.now,
    pageSize: options.pageSize ?? 2,
    leaseMs: LEASE_MS,
    smsLayout: LAYOUT,
  };
  const first: DispatchMessage = { v: 1, campaignId: campaign.id, cursor: null };
  const stored = async () => campaigns.getWithStats(campaign.id);
  /** Runs every dispatch message not run yet, in order, until none is left. */
  let handled = 0;
  const drain = async () => {
    while (handled < queue.dispatches.length) {
      const message = queue.dispatches[handled++];
      if (message) await dispatchCampaign(deps, message);
    }
  };
  const queued = (channel: 'sms' | 'email') =>
    queue.recipients
      .filter((message) => message.channel === channel)
      .flatMap((message) => message.contactIds);
  return { campaigns, contactStore, queue, campaign, deps, first, stored, drain, queued, clock };
}

describe('dispatchCampaign', () => {
  it('starts a scheduled campaign by sending one first-page message per audience unit', async () => {
    // Prepare
    const w = await world(many(7));

    // Act
    const result = await dispatchCampaign(w.deps, w.first);

    // Assess
    expect(result).toBe('dispatched');
    expect(w.queue.recipients).toEqual([]);
    expect(w.queue.dispatches).toEqual(
      [0, 1, 2].map((unit) => ({ v: 1, campaignId: w.campaign.id, cursor: null, round: 1, unit })),
    );
    expect((await w.stored())?.campaign).toMatchObject({ status: 'sending', dispatchUnits: 3 });
  });

  it('fans every unit out page by page, each contact once per channel, and finishes with the last unit', async () => {
    // Prepare
    const contacts = [...many(6), contact('np', { phone: undefined })];
    const w = await world(contacts);
    await dispatchCampaign(w.deps, w.first);

    // Act
    await w.drain();

    // Assess
    expect(w.queued('email').sort()).toEqual(contacts.map((c) => c.id).sort());
    expect(w.queued('sms').sort()).toEqual(
      many(6)
        .map((c) => c.id)
        .sort(),
    );
    const after = await w.stored();
    expect(after?.campaign.dispatchedAt).toBe(new Date(START).toISOString());
    expect(after?.stats.total).toBe(13);
    expect(await w.campaigns.dispatchUnits(w.campaign.id, 1)).toHaveLength(3);
  });

  it('marks the campaign dispatched only once every unit has finished', async () => {
    // Prepare: unit 0 of 3 holds 1 page, the others are not run yet
    const w = await world(many(3), {}, { pageSize: 10 });
    await dispatchCampaign(w.deps, w.first);
    const [unit0, ...others] = w.queue.dispatches;

    // Act
    const firstUnit = unit0 && (await dispatchCampaign(w.deps, unit0));
    const before = await w.stored();
    for (const message of others) await dispatchCampaign(w.deps, message);

    // Assess
    expect(firstUnit).toBe('finished');
    expect(before?.campaign.dispatchedAt).toBeUndefined();
    expect((await w.stored())?.campaign.dispatchedAt).toBeDefined();
  });

  it('counts each SMS recipient its own segments', async () => {
    // Prepare
    const w = await world([contact('c1', { name: 'سارا' })], { sms: { text: '{{name}} عزیز، سلام' } });
    await dispatchCampaign(w.deps, w.first);

    // Act
    await w.drain();

    // Assess
    expect((await w.stored())?.stats).toMatchObject({
      total: 2,
      expectedSegments: analyseSms(sampleSms(LAYOUT, 'سارا عزیز، سلام')).segments,
    });
  });

  it('completes a campaign with nobody to reach', async () => {
    // Prepare
    const w = await world([contact('c1', { phone: undefined, email: undefined })]);
    await dispatchCampaign(w.deps, w.first);

    // Act
    await w.drain();

    // Assess
    expect(w.queue.recipients).toEqual([]);
    expect((await w.stored())?.campaign.status).toBe('sent');
  });

  it('queues each recipient once when the first page runs twice at the same time', async () => {
    // Prepare: the API's message and the sweep's both start the campaign, and their unit messages race
    const w = await world(many(9));
    await Promise.all([dispatchCampaign(w.deps, w.first), dispatchDueCampaigns(w.deps)]);
    await dispatchCampaign(w.deps, w.first);
    const firstPages = [...w.queue.dispatches].filter((message) => message.unit !== undefined);

    // Act: every copy of every first page at once, then the chains
    const results = await Promise.all(firstPages.map((message) => dispatchCampaign(w.deps, message)));
    w.queue.dispatches.splice(0, firstPages.length);
    await w.drain();

    // Assess
    expect(firstPages.length).toBeGreaterThanOrEqual(6);
    expect(results.filter((result) => result !== 'skipped')).toHaveLength(3);
    expect(w.queued('email').sort()).toEqual(
      many(9)
        .map((c) => c.id)
        .sort(),
    );
    expect(w.queued('sms')).toHaveLength(9);
    expect((await w.stored())?.stats.total).toBe(18);
  });

  it('runs a page once however often its message arrives, also after it was saved', async () => {
    // Prepare
    const w = await world(many(4), {}, { segments: 1 });
    await dispatchCampaign(w.deps, w.first);
    const [page] = w.queue.dispatches;
    if (!page) throw new Error('no first page');
    await dispatchCampaign(w.deps, page);
    const sent = w.queue.recipients.length;

    // Act
    const again = await dispatchCampaign(w.deps, page);

    // Assess
    expect(again).toBe('skipped');
    expect(w.queue.recipients).toHaveLength(sent);
    expect((await w.stored())?.stats.total).toBe(4);
  });

  it('after a crash between enqueue and save, takes the page again only once its lease ran out, and the ledger sends each recipient once', async () => {
    // Prepare: the first run of unit 0's first page enqueues, then dies before saving
    const w = await world(many(4), { channels: ['sms'] }, { segments: 1 });
    await dispatchCampaign(w.deps, w.first);
    const [page] = w.queue.dispatches.splice(0);
    if (!page) throw new Error('no first page');
    const save = w.campaigns.saveDispatchPage.bind(w.campaigns);
    w.campaigns.saveDispatchPage = async () => {
      throw new Error('crash');
    };
    await expect(dispatchCampaign(w.deps, page)).rejects.toThrow('crash');
    w.campaigns.saveDispatchPage = save;
    const enqueuedByCrash = w.queued('sms').length;

    // Act: the message comes back at once (refused: the lease holds), then the sweep after the lease
    const early = await dispatchCampaign(w.deps, page);
    w.clock.advance(LEASE_MS + 1);
    await dispatchDueCampaigns(w.deps);
    await w.drain();

    // Assess
    expect(early).toBe('skipped');
    expect(enqueuedByCrash).toBe(2);
    expect(w.queued('sms')).toHaveLength(4 + enqueuedByCrash);
    const sends = await deliverAll(w, w.queue.recipients);
    expect(sends.sort()).toEqual(
      many(4)
        .map((c) => c.id)
        .sort(),
    );
    expect((await w.stored())?.stats).toMatchObject({ total: 4, sent: 4, queued: 0 });
    expect((await w.stored())?.campaign.status).toBe('sent');
  });

  it('revives from its saved cursor a unit whose chain died between pages, and leaves live units alone', async () => {
    // Prepare: both units run their first page; unit 0's next message is lost
    const w = await world(many(12), {}, { segments: 2 });
    await dispatchCampaign(w.deps, w.first);
    for (const message of w.queue.dispatches.splice(0)) await dispatchCampaign(w.deps, message);
    const next = w.queue.dispatches.splice(0);
    const unit1 = next.find((message) => message.unit === 1);
    const lost = next.find((message) => message.unit === 0);
    w.clock.advance(LEASE_MS / 2);
    if (unit1) await dispatchCampaign(w.deps, unit1);
    const unit1Next = w.queue.dispatches.splice(0);

    // Act: the sweep after unit 0's lease ran out (unit 1 saved its page later: still alive)
    w.clock.advance(LEASE_MS / 2 + 1);
    await dispatchDueCampaigns(w.deps);
    const [revival] = w.queue.dispatches.splice(0);
    const revived = revival && (await dispatchCampaign(w.deps, revival));

    // Assess
    expect(revived).toBe('dispatched');
    expect(revival?.unit).toBeUndefined();
    expect(lost).toMatchObject({ unit: 0, cursor: '2' });
    expect(w.queue.dispatches).toEqual([lost]);
    expect(unit1Next).toHaveLength(1);
    expect(new Set(w.queued('email')).size).toBe(w.queued('email').length);
  });

  it('stops every unit when the campaign is cancelled', async () => {
    // Prepare
    const w = await world(many(6));
    await dispatchCampaign(w.deps, w.first);
    await cancelCampaign(w.deps, w.campaign.id);

    // Act
    const results = await Promise.all(w.queue.dispatches.map((message) => dispatchCampaign(w.deps, message)));

    // Assess
    expect(results).toEqual(['skipped', 'skipped', 'skipped']);
    expect(w.queue.recipients).toEqual([]);
  });

  it('resumes a campaign paused mid-dispatch in a new round over every unit, counting everyone once', async () => {
    // Prepare: round 1 enqueues the first page of each unit, then the campaign pauses
    const w = await world(many(12), { channels: ['email'] });
    await dispatchCampaign(w.deps, w.first);
    for (const message of w.queue.dispatches.splice(0)) await dispatchCampaign(w.deps, message);
    await w.campaigns.transition(w.campaign.id, 'paused', ['sending'], w.clock.now(), {
      pausedReason: 'credit',
    });
    const stale = w.queue.dispatches.splice(0);
    const beforeResume = (await w.stored())?.stats.total;

    // Act
    await resumeCampaign(w.deps, w.campaign.id, LEASE_MS);
    const staleResults = await Promise.all(stale.map((message) => dispatchCampaign(w.deps, message)));
    await w.drain();

    // Assess
    expect(beforeResume).toBe(6);
    expect(staleResults.every((result) => result === 'skipped')).toBe(true);
    expect(
      w.queue.dispatches.filter((message) => message.unit !== undefined && message.round === 2),
    ).not.toEqual([]);
    const round2 = w.queue.recipients.slice(3).flatMap((message) => message.contactIds);
    expect(round2.sort()).toEqual(
      many(12)
        .map((c) => c.id)
        .sort(),
    );
    const after = await w.stored();
    expect(after?.stats.total).toBe(12);
    expect(after?.campaign.dispatchedAt).toBeDefined();
  });

  it('pages through a list audience by offset as one unit', async () => {
    // Prepare
    const ids = ['c1', 'c2', 'c3'];
    const w = await world(
      ids.map((id) => contact(id)),
      { channels: ['email'], audience: { contactIds: ids } },
    );

    // Act
    await dispatchCampaign(w.deps, w.first);
    await w.drain();

    // Assess
    expect(w.queue.dispatches.map((message) => [message.unit, message.cursor])).toEqual([
      [0, null],
      [0, '2'],
    ]);
    expect(w.queue.recipients.map((message) => message.contactIds)).toEqual([['c1', 'c2'], ['c3']]);
    expect((await w.stored())?.stats.total).toBe(3);
  });

  it.each([
    [
      'cancelled',
      async (w: Awaited<ReturnType<typeof world>>) =>
        w.campaigns.transition(w.campaign.id, 'cancelled', ['scheduled'], w.clock.now()),
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
    expect(w.queue.dispatches).toEqual([]);
  });
});

/** Delivers recipients messages through the ledger with a channel that counts its sends. */
async function deliverAll(
  w: Awaited<ReturnType<typeof world>>,
  messages: readonly { campaignId: string; channel: 'sms' | 'email'; contactIds: string[]; v: 1 }[],
): Promise<string[]> {
  const sent: string[] = [];
  const channel: ChannelSender = {
    channel: 'sms',
    async send(_campaign, recipients: readonly Recipient[]): Promise<SendResult[]> {
      sent.push(...recipients.map((recipient) => recipient.contact.id));
      return recipients.map((recipient) => ({
        kind: 'sent',
        content: 'text',
        providerMessageId: `m-${recipient.contact.id}`,
        providerStatus: 1,
      }));
    },
  };
  const deps = {
    campaigns: w.campaigns,
    contacts: w.contactStore,
    consent: new MemoryConsentStore(),
    deliveries: new MemoryDeliveryStore(w.campaigns),
    alarms: new RecordingAlarms(),
    now: w.clock.now,
    leaseMs: LEASE_MS,
  };
  for (const message of messages) await deliverRecipients(deps, channel, message);
  return sent;
}
