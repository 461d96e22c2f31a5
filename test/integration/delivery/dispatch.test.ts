import { beforeAll, describe, expect, it } from 'vitest';
import { recipientsMessageSchema } from '../../../shared/domain/messages';
import { smsLayout } from '../../../shared/domain/sms-text';

const layout = smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' });

import type { CampaignStore, ContactStore, WorkQueue } from '../../../shared/ports';
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
    contacts,
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

describe('dispatching a campaign', () => {
  it('fans the audience out page by page, counting each page once however often it arrives', async () => {
    // Prepare
    await emulators.purge();
    const campaign = campaignFixture({
      audience: { contactIds: ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'missing'] },
    });
    await campaigns.create(campaign);
    const first = { v: 1 as const, campaignId: campaign.id, cursor: null };
    // Act: the first page twice (SQS at least once), then the rest of the chain
    expect(await dispatch.dispatchCampaign(deps, first)).toBe('dispatched');
    expect(await dispatch.dispatchCampaign(deps, first)).toBe('skipped');
    const next = await emulators.receiveAll('dispatch', { waitSeconds: 1 });
    expect(next).toHaveLength(1);
    expect(await dispatch.dispatchCampaign(deps, JSON.parse(next[0]?.Body ?? ''))).toBe('finished');
    // Assess
    const email = await recipientsOn('email');
    const sms = await recipientsOn('sms');
    expect(email.sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
    expect(sms.sort()).toEqual(['d0', 'd2', 'd4']);
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.campaign.status).toBe('sending');
    expect(found?.campaign.dispatchedAt).toBeDefined();
    expect(found?.stats.total).toBe(9);
  });

  it('revives a page chain that broke between pages, from the saved cursor', async () => {
    // Prepare: a whole-audience campaign whose continuation message was lost in a crash
    await emulators.purge();
    const campaign = campaignFixture({ audience: { all: true }, channels: ['email'] });
    await campaigns.create(campaign);
    await dispatch.dispatchCampaign(deps, { v: 1, campaignId: campaign.id, cursor: null });
    await emulators.receiveAll('dispatch', { waitSeconds: 1 });
    // Act: the sweep runs after the dispatch lease has expired
    const revived = await sweep.dispatchDueCampaigns({
      campaigns,
      queue,
      now: () => new Date(Date.now() + deps.leaseMs + 1_000),
    });
    const resumed = await emulators.receiveAll('dispatch', { waitSeconds: 1 });
    for (let message = resumed[0]; message; ) {
      await dispatch.dispatchCampaign(deps, JSON.parse(message.Body ?? ''));
      message = (await emulators.receiveAll('dispatch', { waitSeconds: 1 }))[0];
    }
    // Assess
    expect(revived).toBeGreaterThanOrEqual(1);
    expect(resumed.map((message) => JSON.parse(message.Body ?? '').campaignId)).toContain(campaign.id);
    const found = await campaigns.getWithStats(campaign.id);
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
