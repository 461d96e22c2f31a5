import { describe, expect, it } from 'vitest';
import type { CampaignStatus } from '../../../shared/domain/campaign';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { newId } from '../../../shared/domain/ids';
import {
  type CampaignDeps,
  cancelCampaign,
  completeIfDone,
  createCampaign,
  dispatchDueCampaigns,
  getCampaign,
  resumeCampaign,
} from '../../../shared/use-cases/campaigns';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const LEASE_MS = 120_000;
const BODY = {
  name: 'Autumn news',
  topic: 'newsletter',
  channels: ['sms'],
  audience: { all: true },
  sms: { text: '{{name}} عزیز، خبرنامه پاییز منتشر شد' },
};

function world() {
  const campaigns = new MemoryCampaignStore();
  const queue = new RecordingWorkQueue();
  const deps: CampaignDeps = { campaigns, queue, now: () => NOW };
  return { campaigns, queue, deps };
}

/** A stored campaign moved along `path` from scheduled. */
async function campaignIn(campaigns: MemoryCampaignStore, path: readonly CampaignStatus[]) {
  const campaign = campaignFixture({ sendAt: NOW.toISOString() });
  await campaigns.create(campaign);
  let from: CampaignStatus = 'scheduled';
  for (const to of path) {
    await campaigns.transition(
      campaign.id,
      to,
      [from],
      NOW,
      to === 'paused' ? { pausedReason: 'kavenegar:418' } : {},
    );
    from = to;
  }
  return campaign;
}

describe('createCampaign', () => {
  it('stores a campaign due now as scheduled and hands it to the dispatcher at once', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();

    // Act
    const campaign = await createCampaign(deps, BODY);

    // Assess
    expect(campaign).toMatchObject({ status: 'scheduled', sendAt: NOW.toISOString(), topic: 'newsletter' });
    expect(await campaigns.get(campaign.id)).toEqual(campaign);
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: campaign.id, cursor: null }]);
  });

  it('leaves a campaign scheduled for later to the sweep', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const sendAt = '2025-06-02T08:00:00.000Z';

    // Act
    const campaign = await createCampaign(deps, { ...BODY, sendAt });

    // Assess
    expect(campaign.sendAt).toBe(sendAt);
    expect(queue.dispatches).toEqual([]);
    expect(await campaigns.listDue(new Date(sendAt), 10)).toEqual([
      { campaignId: campaign.id, cursor: null, round: 1 },
    ]);
  });

  it.each([
    ['a sendAt in the past', { ...BODY, sendAt: '2025-05-01T00:00:00Z' }, 'sendAt', 'is in the past'],
    ['a missing SMS text', { ...BODY, sms: undefined }, 'sms', 'is required when channels include sms'],
    ['an unknown field', { ...BODY, colour: 'red' }, '(body)', ''],
  ])(
    'refuses %s with a ValidationError naming the field, and stores nothing',
    async (_what, body, field, message) => {
      // Prepare
      const { queue, deps } = world();

      // Act
      const creating = createCampaign(deps, body);

      // Assess
      await expect(creating).rejects.toBeInstanceOf(ValidationError);
      const error = (await creating.catch((caught: unknown) => caught)) as ValidationError;
      expect(error.issues).toContainEqual(
        expect.objectContaining({ field, message: expect.stringContaining(message) }),
      );
      expect(queue.dispatches).toEqual([]);
    },
  );
});

describe('getCampaign', () => {
  it('answers a stored campaign with its stats', async () => {
    // Prepare
    const { campaigns, deps } = world();
    const campaign = await campaignIn(campaigns, []);

    // Act
    const found = await getCampaign(deps, campaign.id);

    // Assess
    expect(found.campaign.id).toBe(campaign.id);
    expect(found.stats).toMatchObject({ total: 0, queued: 0, sent: 0 });
  });

  it.each([
    ['an id that is no ULID', 'not-a-campaign'],
    ['an unknown ULID', newId(NOW.getTime())],
  ])('refuses %s with NotFoundError', async (_what, id) => {
    // Prepare
    const { deps } = world();

    // Act
    const getting = getCampaign(deps, id);

    // Assess
    await expect(getting).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('cancelCampaign', () => {
  it.each([
    ['scheduled', []],
    ['sending', ['sending']],
    ['paused', ['sending', 'paused']],
  ] as const)('cancels a %s campaign', async (_status, path) => {
    // Prepare
    const { campaigns, deps } = world();
    const campaign = await campaignIn(campaigns, path);

    // Act
    const cancelled = await cancelCampaign(deps, campaign.id);

    // Assess
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.pausedReason).toBeUndefined();
    expect((await campaigns.get(campaign.id))?.status).toBe('cancelled');
    expect(await campaigns.listDue(NOW, 10)).toEqual([]);
  });

  it.each([
    ['sent', ['sending', 'sent']],
    ['cancelled', ['cancelled']],
  ] as const)('refuses to cancel a %s campaign with ConflictError', async (status, path) => {
    // Prepare
    const { campaigns, deps } = world();
    const campaign = await campaignIn(campaigns, path);

    // Act
    const cancelling = cancelCampaign(deps, campaign.id);

    // Assess
    await expect(cancelling).rejects.toThrow(ConflictError);
    await expect(cancelling).rejects.toThrow(`is ${status}`);
    expect((await campaigns.get(campaign.id))?.status).toBe(status);
  });

  it('refuses an unknown campaign with NotFoundError', async () => {
    // Prepare
    const { deps } = world();

    // Act
    const cancelling = cancelCampaign(deps, newId(NOW.getTime()));

    // Assess
    await expect(cancelling).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('resumeCampaign', () => {
  it('moves a paused campaign back to sending as a new round and dispatches its audience again', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const campaign = await campaignIn(campaigns, ['sending', 'paused']);

    // Act
    const resumed = await resumeCampaign(deps, campaign.id, LEASE_MS);

    // Assess
    expect(resumed).toMatchObject({ status: 'sending', round: 2 });
    expect(resumed.pausedReason).toBeUndefined();
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: campaign.id, cursor: null, round: 2 }]);
    // The dispatch lease: the sweep revives the round if its page chain goes quiet.
    expect(await campaigns.listDue(NOW, 10)).toEqual([]);
    expect(await campaigns.listDue(new Date(NOW.getTime() + LEASE_MS), 10)).toEqual([
      { campaignId: campaign.id, cursor: null, round: 2 },
    ]);
  });

  it.each([
    ['scheduled', []],
    ['sending', ['sending']],
    ['sent', ['sending', 'sent']],
  ] as const)(
    'refuses to resume a %s campaign with ConflictError and dispatches nothing',
    async (_status, path) => {
      // Prepare
      const { campaigns, queue, deps } = world();
      const campaign = await campaignIn(campaigns, path);

      // Act
      const resuming = resumeCampaign(deps, campaign.id, LEASE_MS);

      // Assess
      await expect(resuming).rejects.toThrow(ConflictError);
      await expect(resuming).rejects.toThrow('only a paused campaign can be resumed');
      expect(queue.dispatches).toEqual([]);
    },
  );

  it('refuses an unknown campaign with NotFoundError', async () => {
    // Prepare
    const { deps } = world();

    // Act
    const resuming = resumeCampaign(deps, newId(NOW.getTime()), LEASE_MS);

    // Assess
    await expect(resuming).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('completeIfDone', () => {
  async function dispatched(total: number, ended: number) {
    const { campaigns, deps } = world();
    const campaign = await campaignIn(campaigns, ['sending']);
    await campaigns.saveDispatchPage(
      campaign.id,
      { expected: null, next: null, added: total, leaseUntil: NOW },
      NOW,
    );
    for (let i = 0; i < ended; i++) campaigns.addCount(campaign.id, 'sent');
    return { campaigns, deps, campaign };
  }

  it('marks a dispatched campaign sent once every delivery has ended', async () => {
    // Prepare
    const { campaigns, deps, campaign } = await dispatched(2, 2);

    // Act
    const done = await completeIfDone(deps, campaign.id);

    // Assess
    expect(done).toBe(true);
    expect((await campaigns.get(campaign.id))?.status).toBe('sent');
  });

  it('leaves a campaign sending while deliveries are queued', async () => {
    // Prepare
    const { campaigns, deps, campaign } = await dispatched(2, 1);

    // Act
    const done = await completeIfDone(deps, campaign.id);

    // Assess
    expect(done).toBe(false);
    expect((await campaigns.get(campaign.id))?.status).toBe('sending');
  });

  it('leaves a campaign sending while its audience is still being dispatched', async () => {
    // Prepare
    const { campaigns, deps } = world();
    const campaign = await campaignIn(campaigns, ['sending']);

    // Act
    const done = await completeIfDone(deps, campaign.id);

    // Assess
    expect(done).toBe(false);
    expect((await campaigns.get(campaign.id))?.status).toBe('sending');
  });
});

describe('dispatchDueCampaigns', () => {
  it('hands every due campaign to the dispatcher and leaves later ones', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const due = campaignFixture({ sendAt: '2025-06-01T09:59:00.000Z' });
    const later = campaignFixture({ sendAt: '2025-06-01T10:01:00.000Z' });
    await campaigns.create(due);
    await campaigns.create(later);

    // Act
    const count = await dispatchDueCampaigns(deps);

    // Assess
    expect(count).toBe(1);
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: due.id, cursor: null, round: 1 }]);
  });
});
