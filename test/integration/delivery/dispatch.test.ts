import { beforeAll, describe, expect, it } from 'vitest';
import { recipientsMessageSchema } from '../../../shared/domain/messages';
import { smsLayout } from '../../../shared/domain/sms-text';

const layout = smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' });

import type { CampaignStore, ContactStore, WorkQueue } from '../../../shared/ports';
import { contactsAudience } from '../../../shared/use-cases/audience-source';
import type { DispatchDeps } from '../../../shared/use-cases/dispatch-campaign';
import { campaignFixture } from '../../fixtures/campaigns';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let campaigns: CampaignStore;
let contacts: ContactStore;
let queue: WorkQueue;
let deps: DispatchDeps;
let dispatch: typeof import('../../../shared/use-cases/dispatch-campaign');
let sweep: typeof import('../../../shared/use-cases/campaigns');

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  queue = factory.workQueue({
    dispatch: names.queues.dispatch.url,
    sms: names.queues.sms.url,
    email: names.queues.email.url,
  });
  deps = {
    campaigns,
    audience: contactsAudience(contacts, 4),
    queue,
    now: () => new Date(),
    pageSize: 4,
    leaseMs: 60_000,
    smsLayout: layout,
  };
  dispatch = await import('../../../shared/use-cases/dispatch-campaign');
  sweep = await import('../../../shared/use-cases/campaigns');
  // 10 contacts: all have email, every other one a phone.
  for (let i = 0; i < 10; i++) {
    const phone = i % 2 === 0 ? { phone: `+98912000${String(i).padStart(4, '0')}` } : {};
    await contacts.upsert(
      `d${i}`,
      { email: `d${i}@example.com`, locale: 'fa', attributes: {}, ...phone },
      new Date(),
    );
  }
});

async function recipientsOn(channel: 'sms' | 'email'): Promise<string[]> {
  const messages = await emulators.receiveAll(channel, { waitSeconds: 1 });
  return messages.flatMap(
    (message) => recipientsMessageSchema.parse(JSON.parse(message.Body ?? '')).contactIds,
  );
}

/** Runs every dispatch message on the queue, all received at once concurrently, until none is left. */
async function drainDispatch(): Promise<string[]> {
  const results: string[] = [];
  for (;;) {
    const messages = await emulators.receiveAll('dispatch', { waitSeconds: 1 });
    if (messages.length === 0) return results;
    results.push(
      ...(await Promise.all(
        messages.map((message) => dispatch.dispatchCampaign(deps, JSON.parse(message.Body ?? ''))),
      )),
    );
  }
}

describe('dispatching a campaign', () => {
  it('fans a list audience out page by page, counting each page once however often it arrives', async () => {
    // Prepare
    await emulators.purge();
    const campaign = campaignFixture({
      audience: { contactIds: ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'missing'] },
    });
    await campaigns.create(campaign);
    const first = { v: 1 as const, campaignId: campaign.id, cursor: null };
    // Act: the start twice (SQS at least once), each unit page twice, then the rest of the chain
    expect(await dispatch.dispatchCampaign(deps, first)).toBe('dispatched');
    expect(await dispatch.dispatchCampaign(deps, first)).toBe('dispatched');
    const results = await drainDispatch();
    // Assess
    expect(results.filter((result) => result !== 'skipped')).toEqual(['dispatched', 'finished']);
    const email = await recipientsOn('email');
    const sms = await recipientsOn('sms');
    expect(email.sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
    expect(sms.sort()).toEqual(['d0', 'd2', 'd4']);
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.campaign.status).toBe('sending');
    expect(found?.campaign.dispatchedAt).toBeDefined();
    expect(found?.stats.total).toBe(9);
  });

  it('fans the whole audience out over parallel scan segments, each recipient once when the first pages race', async () => {
    // Prepare: the API's message and the sweep's arrive together
    await emulators.purge();
    const campaign = campaignFixture({ audience: { all: true }, channels: ['email'] });
    await campaigns.create(campaign);
    const first = { v: 1 as const, campaignId: campaign.id, cursor: null };
    // Act
    await Promise.all([
      dispatch.dispatchCampaign(deps, first),
      dispatch.dispatchCampaign(deps, first),
      sweep.dispatchDueCampaigns({ campaigns, queue, now: () => new Date() }),
    ]);
    await drainDispatch();
    // Assess
    const email = await recipientsOn('email');
    expect(email).toHaveLength(10);
    expect(new Set(email).size).toBe(10);
    const units = await campaigns.dispatchUnits(campaign.id, 1);
    expect(units.map((unit) => unit.unit).sort()).toEqual([0, 1, 2, 3]);
    expect(units.every((unit) => unit.done)).toBe(true);
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.campaign.dispatchedAt).toBeDefined();
    expect(found?.stats.total).toBe(10);
  });

  it('takes a page for one run only: a second run while the first holds it enqueues nothing', async () => {
    // Prepare: a started single-segment unit
    await emulators.purge();
    const campaign = campaignFixture({ audience: { contactIds: ['d0', 'd1'] }, channels: ['email'] });
    await campaigns.create(campaign);
    await dispatch.dispatchCampaign(deps, { v: 1, campaignId: campaign.id, cursor: null });
    const now = new Date();
    const page = { round: 1, unit: 0, expected: null, leaseUntil: new Date(now.getTime() + 60_000) };
    // Act
    const taken = await Promise.all([
      campaigns.takeDispatchPage(campaign.id, { ...page, leaseId: 'a' }, now),
      campaigns.takeDispatchPage(campaign.id, { ...page, leaseId: 'b' }, now),
    ]);
    const laterRun = await campaigns.takeDispatchPage(
      campaign.id,
      { ...page, leaseId: 'c' },
      new Date(now.getTime() + 60_001),
    );
    const savedByLoser = await campaigns.saveDispatchPage(
      campaign.id,
      { ...page, leaseId: taken[0] ? 'b' : 'a', next: null, added: 2 },
      now,
    );
    // Assess
    expect(taken.filter(Boolean)).toHaveLength(1);
    expect(laterRun).toBe(true);
    expect(savedByLoser).toBe(false);
  });

  it('revives a unit whose chain broke between pages, from its saved cursor', async () => {
    // Prepare: a whole-audience campaign whose continuation messages were lost in a crash
    await emulators.purge();
    const campaign = campaignFixture({ audience: { all: true }, channels: ['email'] });
    await campaigns.create(campaign);
    await dispatch.dispatchCampaign(deps, { v: 1, campaignId: campaign.id, cursor: null });
    // Pages of 2: every unit (about 10 / 4 contacts) needs a second page.
    const small = { ...deps, pageSize: 2 };
    for (const message of await emulators.receiveAll('dispatch', { waitSeconds: 1 }))
      await dispatch.dispatchCampaign(small, JSON.parse(message.Body ?? ''));
    const lost = await emulators.receiveAll('dispatch', { waitSeconds: 1 });
    // Act: the sweep runs after the dispatch lease has expired
    const later = new Date(Date.now() + deps.leaseMs + 1_000);
    const revived = await sweep.dispatchDueCampaigns({ campaigns, queue, now: () => later });
    // Earlier tests' campaigns may be due too: only this campaign's messages are run.
    const ours = async () =>
      (await emulators.receiveAll('dispatch', { waitSeconds: 1 }))
        .map((message) => JSON.parse(message.Body ?? ''))
        .filter((message) => message.campaignId === campaign.id);
    for (const revival of await ours())
      await dispatch.dispatchCampaign({ ...small, now: () => later }, revival);
    const resent = await ours();
    for (const message of resent) await dispatch.dispatchCampaign(small, message);
    await drainDispatch();
    // Assess
    expect(revived).toBeGreaterThanOrEqual(1);
    expect(lost.length).toBeGreaterThan(0);
    expect(resent.sort((a, b) => a.unit - b.unit)).toEqual(
      lost.map((message) => JSON.parse(message.Body ?? '')).sort((a, b) => a.unit - b.unit),
    );
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.campaign.dispatchedAt).toBeDefined();
    expect(found?.stats.total).toBe(10);
    const email = await recipientsOn('email');
    expect(new Set(email).size).toBe(10);
    expect(email).toHaveLength(10);
  });

  it('stops every unit on a pause and counts the whole audience once after the resume', async () => {
    // Prepare: round 1 enqueues each unit's first page of 2, then the campaign pauses
    await emulators.purge();
    const campaign = campaignFixture({ audience: { all: true }, channels: ['email'] });
    await campaigns.create(campaign);
    const small = { ...deps, pageSize: 2 };
    await dispatch.dispatchCampaign(small, { v: 1, campaignId: campaign.id, cursor: null });
    for (const message of await emulators.receiveAll('dispatch', { waitSeconds: 1 }))
      await dispatch.dispatchCampaign(small, JSON.parse(message.Body ?? ''));
    const partial = (await campaigns.getWithStats(campaign.id))?.stats.total;
    await campaigns.transition(campaign.id, 'paused', ['sending'], new Date(), { pausedReason: 'credit' });
    // Act: round 1's next pages arrive during the pause, then the resume's round runs to the end
    const stopped = await Promise.all(
      (await emulators.receiveAll('dispatch', { waitSeconds: 1 })).map((message) =>
        dispatch.dispatchCampaign(small, JSON.parse(message.Body ?? '')),
      ),
    );
    await sweep.resumeCampaign({ campaigns, queue, now: () => new Date() }, campaign.id, deps.leaseMs);
    for (;;) {
      const messages = await emulators.receiveAll('dispatch', { waitSeconds: 1 });
      if (messages.length === 0) break;
      for (const message of messages) await dispatch.dispatchCampaign(small, JSON.parse(message.Body ?? ''));
    }
    // Assess
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(10);
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((result) => result === 'skipped')).toBe(true);
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.campaign).toMatchObject({ status: 'sending', round: 2 });
    expect(found?.campaign.dispatchedAt).toBeDefined();
    expect(found?.stats.total).toBe(10);
    expect(new Set(await recipientsOn('email')).size).toBe(10);
  });

  it('leaves a scheduled campaign alone until its time, then hands it to the dispatcher', async () => {
    // Prepare
    await emulators.purge();
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const campaign = campaignFixture({ sendAt });
    await campaigns.create(campaign);
    // Act
    const early = await sweep.dispatchDueCampaigns({ campaigns, queue, now: () => new Date() });
    const dueIds = async () =>
      (await emulators.receiveAll('dispatch', { waitSeconds: 1 })).map(
        (message) => JSON.parse(message.Body ?? '').campaignId,
      );
    const beforeTime = await dueIds();
    await sweep.dispatchDueCampaigns({ campaigns, queue, now: () => new Date(Date.parse(sendAt) + 1) });
    const atTime = await dueIds();
    // Assess
    expect(early).toBe(0);
    expect(beforeTime).not.toContain(campaign.id);
    expect(atTime).toContain(campaign.id);
  });
});
