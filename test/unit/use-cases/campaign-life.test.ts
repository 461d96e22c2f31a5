import { describe, expect, it } from 'vitest';
import type { CampaignStatus } from '../../../shared/domain/campaign';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { parseQuietHours } from '../../../shared/domain/quiet-hours';
import { smsLayout } from '../../../shared/domain/sms-text';
import {
  duplicateCampaign,
  listCampaigns,
  PAUSED_BY_MARKETER,
  pauseCampaign,
  updateCampaign,
} from '../../../shared/use-cases/campaign-life';
import {
  type CampaignDeps,
  createCampaign,
  dispatchDueCampaigns,
  previewCampaign,
  resumeCampaign,
} from '../../../shared/use-cases/campaigns';
import { createTemplate, updateTemplate } from '../../../shared/use-cases/templates';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryTemplateStore } from '../../support/fakes/template-store';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const LATER = '2025-06-02T08:00:00.000Z';
const BODY = {
  name: 'Autumn news',
  topic: 'newsletter',
  channels: ['sms'],
  audience: { contactIds: ['c1', 'c2'] },
  sms: { text: '{{name}} عزیز، خبرنامه پاییز منتشر شد' },
};

function world() {
  const campaigns = new MemoryCampaignStore();
  const queue = new RecordingWorkQueue();
  let now = NOW;
  const deps: CampaignDeps = { campaigns, queue, now: () => now };
  return { campaigns, queue, deps, setNow: (at: Date) => (now = at) };
}

async function issueOf(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('listCampaigns', () => {
  it('pages newest first, and filters by status', async () => {
    // Prepare
    const { campaigns, deps } = world();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const campaign = campaignFixture({ id: `01JDV00000000000000000000${i}`, sendAt: LATER });
      await campaigns.create(campaign);
      ids.push(campaign.id);
    }
    await campaigns.transition(ids[1] ?? '', 'cancelled', ['scheduled'], NOW);

    // Act
    const first = await listCampaigns(deps, { limit: 3 });
    const second = await listCampaigns(deps, { limit: 3, ...(first.cursor ? { cursor: first.cursor } : {}) });
    const cancelled = await listCampaigns(deps, { status: 'cancelled', limit: 10 });

    // Assess
    expect(first.items.map((item) => item.campaign.id)).toEqual([ids[4], ids[3], ids[2]]);
    expect(second.items.map((item) => item.campaign.id)).toEqual([ids[1], ids[0]]);
    expect(second.cursor).toBeUndefined();
    expect(cancelled.items.map((item) => item.campaign.id)).toEqual([ids[1]]);
    expect(first.items[0]?.stats).toMatchObject({ total: 0, queued: 0 });
  });

  it('leaves out a campaign the status index still lists under the status it left', async () => {
    // Prepare: an index that lags a transition, as a GSI may
    const { campaigns } = world();
    const campaign = campaignFixture({ sendAt: LATER });
    await campaigns.create(campaign);
    await campaigns.transition(campaign.id, 'cancelled', ['scheduled'], NOW);
    const lagging = Object.assign(Object.create(campaigns), { list: async () => ({ ids: [campaign.id] }) });

    // Act
    const scheduled = await listCampaigns({ campaigns: lagging }, { status: 'scheduled', limit: 10 });

    // Assess
    expect(scheduled.items).toEqual([]);
  });

  it('refuses a cursor given for another status with a ValidationError', async () => {
    // Prepare
    const { campaigns, deps } = world();
    for (let i = 0; i < 3; i += 1) await campaigns.create(campaignFixture({ sendAt: LATER }));
    const page = await listCampaigns(deps, { limit: 1 });

    // Act
    const listing = listCampaigns(deps, { status: 'sent', limit: 1, cursor: page.cursor ?? '' });

    // Assess
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('updateCampaign', () => {
  it('replaces the fields given, keeps the others, and moves the due entry with sendAt', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const created = await createCampaign(deps, { ...BODY, sendAt: LATER });
    const moved = '2025-06-03T09:30:00.000+03:30';

    // Act
    const updated = await updateCampaign(deps, created.id, {
      name: 'Winter news',
      sms: { text: 'خبرنامه زمستان' },
      sendAt: moved,
    });

    // Assess
    expect(updated).toMatchObject({
      id: created.id,
      status: 'scheduled',
      name: 'Winter news',
      topic: 'newsletter',
      audience: BODY.audience,
      sms: { text: 'خبرنامه زمستان' },
      sendAt: '2025-06-03T06:00:00.000Z',
    });
    expect(await campaigns.get(created.id)).toEqual(updated);
    expect(await campaigns.listDue(new Date(LATER), 10)).toEqual([]);
    expect(await campaigns.listDue(new Date('2025-06-03T06:00:00.000Z'), 10)).toEqual([
      { campaignId: created.id, cursor: null, round: 1 },
    ]);
    expect(queue.dispatches).toEqual([]);
  });

  it('holds a campaign with sendAt null and dispatches at once one moved to now', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const created = await createCampaign(deps, { ...BODY, sendAt: LATER });

    // Act
    const held = await updateCampaign(deps, created.id, { sendAt: null });
    const heldDue = await campaigns.listDue(new Date('2026-06-01T00:00:00Z'), 10);
    const now = await updateCampaign(deps, created.id, { sendAt: NOW.toISOString() });

    // Assess
    expect(held.sendAt).toBeUndefined();
    expect(heldDue).toEqual([]);
    expect(now.sendAt).toBe(NOW.toISOString());
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: created.id, cursor: null }]);
  });

  it('switches channels with null removing the content left behind', async () => {
    // Prepare
    const { deps } = world();
    const created = await createCampaign(deps, { ...BODY, sendAt: LATER });

    // Act
    const updated = await updateCampaign(deps, created.id, {
      channels: ['email'],
      sms: null,
      email: { subject: 'خبرنامه', html: '<p>سلام {{name}}</p>' },
    });

    // Assess
    expect(updated.channels).toEqual(['email']);
    expect(updated.sms).toBeUndefined();
    expect(updated.email?.subject).toBe('خبرنامه');
  });

  it.each([
    ['a sendAt in the past', { sendAt: '2025-05-01T00:00:00Z' }, 'sendAt', 'is in the past'],
    ['an empty SMS text', { sms: { text: '' } }, 'sms.text', 'must not be empty'],
    ['channels without their content', { channels: ['sms', 'email'] }, 'email', 'is required'],
    ['an unknown field', { colour: 'red' }, '(body)', 'colour'],
    ['nothing to change', {}, '(body)', 'must change at least one of'],
    ['a removed required field', { name: null }, 'name', 'is required'],
  ])('refuses %s as creation would, and changes nothing', async (_what, patch, field, message) => {
    // Prepare
    const { campaigns, deps } = world();
    const created = await createCampaign(deps, { ...BODY, sendAt: LATER });

    // Act
    const error = await issueOf(updateCampaign(deps, created.id, patch));

    // Assess
    expect(error.issues).toContainEqual(
      expect.objectContaining({ field, message: expect.stringContaining(message) }),
    );
    expect(await campaigns.get(created.id)).toEqual(created);
  });

  it.each([
    [['sending'], 'already sending'],
    [['sending', 'paused'], 'paused'],
    [['cancelled'], 'cancelled'],
    [['sending', 'sent'], 'sent'],
  ] as [CampaignStatus[], string][])(
    'refuses to edit a campaign moved along %j with a 409 saying why',
    async (path, reason) => {
      // Prepare
      const { campaigns, deps } = world();
      const campaign = campaignFixture({ sendAt: NOW.toISOString() });
      await campaigns.create(campaign);
      let from: CampaignStatus = 'scheduled';
      for (const to of path) {
        await campaigns.transition(campaign.id, to, [from], NOW);
        from = to;
      }

      // Act
      const editing = updateCampaign(deps, campaign.id, { name: 'x' });

      // Assess
      await expect(editing).rejects.toBeInstanceOf(ConflictError);
      await expect(editing).rejects.toThrow(reason);
    },
  );

  it('refuses an edit that lost a race with another one (409), keeping the winner', async () => {
    // Prepare
    const { campaigns, deps } = world();
    const created = await createCampaign(deps, { ...BODY, sendAt: LATER });
    const stale = { ...created };
    await updateCampaign(deps, created.id, { name: 'first' });
    const racing = {
      ...deps,
      campaigns: Object.assign(Object.create(campaigns), { get: async () => stale }),
    };

    // Act
    const editing = updateCampaign(racing, created.id, { name: 'second' });

    // Assess
    await expect(editing).rejects.toThrow('changed meanwhile');
    expect((await campaigns.get(created.id))?.name).toBe('first');
  });

  it('keeps a moved campaign from being started by a dispatch message sent for its old time', async () => {
    // Prepare: the sweep hands the campaign to the dispatcher, then an edit moves it a day later
    const { campaigns, deps, setNow } = world();
    const created = await createCampaign(deps, { ...BODY, sendAt: '2025-06-01T10:05:00.000Z' });
    setNow(new Date('2025-06-01T10:05:00.000Z'));
    await dispatchDueCampaigns(deps);
    await updateCampaign(deps, created.id, { sendAt: '2025-06-02T10:05:00.000Z' });

    // Act: the dispatcher's start, as dispatchCampaign makes it
    const started = await campaigns.transition(created.id, 'sending', ['scheduled'], deps.now(), {
      leaseUntil: new Date('2025-06-01T10:07:00.000Z'),
      dueBy: deps.now(),
    });

    // Assess
    expect(started).toBeUndefined();
    expect((await campaigns.get(created.id))?.status).toBe('scheduled');
  });

  it('answers 404 for an unknown campaign', async () => {
    const { deps } = world();
    await expect(updateCampaign(deps, '01JDV0000000000000000000ZZ', { name: 'x' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(updateCampaign(deps, 'nope', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('pauseCampaign', () => {
  it('pauses a sending campaign by the marketer, and resume continues it', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const campaign = campaignFixture({ sendAt: NOW.toISOString() });
    await campaigns.create(campaign);
    await campaigns.transition(campaign.id, 'sending', ['scheduled'], NOW);

    // Act
    const paused = await pauseCampaign(deps, campaign.id);
    const again = await pauseCampaign(deps, campaign.id).catch((error: unknown) => error);
    const resumed = await resumeCampaign(deps, campaign.id, 120_000);

    // Assess
    expect(paused).toMatchObject({ status: 'paused', pausedReason: PAUSED_BY_MARKETER });
    expect(again).toBeInstanceOf(ConflictError);
    expect(String(again)).toContain('already paused (by_marketer)');
    expect(resumed).toMatchObject({ status: 'sending', round: 2 });
    expect(resumed.pausedReason).toBeUndefined();
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: campaign.id, cursor: null, round: 2 }]);
  });

  it.each([
    ['scheduled', [], 'PATCH its sendAt to null'],
    ['sent', ['sending', 'sent'], 'it is sent'],
    ['cancelled', ['cancelled'], 'it is cancelled'],
  ] as [string, CampaignStatus[], string][])(
    'refuses to pause a %s campaign with a 409 saying why',
    async (_s, path, reason) => {
      // Prepare
      const { campaigns, deps } = world();
      const campaign = campaignFixture({ sendAt: LATER });
      await campaigns.create(campaign);
      let from: CampaignStatus = 'scheduled';
      for (const to of path) {
        await campaigns.transition(campaign.id, to, [from], NOW);
        from = to;
      }

      // Act
      const pausing = pauseCampaign(deps, campaign.id);

      // Assess
      await expect(pausing).rejects.toBeInstanceOf(ConflictError);
      await expect(pausing).rejects.toThrow(reason);
    },
  );
});

describe('duplicateCampaign', () => {
  it('copies content and audience into a held campaign that the sweep never dispatches', async () => {
    // Prepare
    const { campaigns, queue, deps } = world();
    const source = await createCampaign(deps, BODY);
    await campaigns.transition(source.id, 'sending', ['scheduled'], NOW);

    // Act
    const copy = await duplicateCampaign(deps, source.id, {});

    // Assess
    expect(copy).toMatchObject({
      status: 'scheduled',
      name: 'Autumn news (copy)',
      topic: BODY.topic,
      channels: BODY.channels,
      audience: BODY.audience,
      sms: BODY.sms,
    });
    expect(copy.id).not.toBe(source.id);
    expect(copy.sendAt).toBeUndefined();
    expect(await campaigns.get(copy.id)).toEqual(copy);
    expect(await campaigns.listDue(new Date('2026-06-01T00:00:00Z'), 10)).toEqual([]);
    expect(queue.dispatches).toEqual([{ v: 1, campaignId: source.id, cursor: null }]);
  });

  it('schedules the copy when given a sendAt and a name, and a PATCH schedules a held one', async () => {
    // Prepare
    const { campaigns, deps } = world();
    const source = await createCampaign(deps, { ...BODY, sendAt: LATER });

    // Act
    const scheduled = await duplicateCampaign(deps, source.id, { name: 'Again', sendAt: LATER });
    const held = await duplicateCampaign(deps, source.id, {});
    await updateCampaign(deps, held.id, { sendAt: LATER });

    // Assess
    expect(scheduled).toMatchObject({ name: 'Again', sendAt: LATER });
    expect((await campaigns.listDue(new Date(LATER), 10)).map((due) => due.campaignId).sort()).toEqual(
      [source.id, scheduled.id, held.id].sort(),
    );
  });

  it('refuses a bad body with a ValidationError and 404s an unknown source', async () => {
    const { deps } = world();
    const source = await createCampaign(deps, { ...BODY, sendAt: LATER });
    const error = await issueOf(duplicateCampaign(deps, source.id, { sendAt: 'tomorrow' }));
    expect(error.issues.map((issue) => issue.field)).toEqual(['sendAt']);
    await expect(duplicateCampaign(deps, '01JDV0000000000000000000ZZ', {})).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('previewCampaign and quiet hours', () => {
  const layout = smsLayout({ publicBaseUrl: 'https://chapar.example', optOutSuffix: 'لغو۱۱' });
  const quietHours = parseQuietHours('22:00-08:00');

  it('warns when sendAt falls in quiet hours and says when the SMS will go', async () => {
    // Prepare: 23:00 Tehran is 19:30 UTC; the window ends at 08:00 Tehran, 04:30 UTC
    const deps = { now: () => NOW, smsLayout: layout, quietHours };

    // Act
    const preview = await previewCampaign(deps, { ...BODY, sendAt: '2025-06-01T23:00:00+03:30' });

    // Assess
    expect(preview.smsStartsAt).toBe('2025-06-02T04:30:00.000Z');
    expect(preview.warnings).toEqual([
      {
        code: 'quiet_hours',
        message: expect.stringContaining('the SMS wait until 2025-06-02T04:30:00.000Z'),
      },
    ]);
  });

  it('gives no warning outside quiet hours, and the SMS start at sendAt', async () => {
    // Prepare
    const deps = { now: () => NOW, smsLayout: layout, quietHours };

    // Act
    const preview = await previewCampaign(deps, { ...BODY, sendAt: '2025-06-02T12:00:00+03:30' });

    // Assess
    expect(preview.smsStartsAt).toBe('2025-06-02T08:30:00.000Z');
    expect(preview.warnings).toBeUndefined();
  });
});

describe('a campaign made from a template', () => {
  const SMS_TEMPLATE = { name: 'Welcome', channel: 'sms', variants: { fa: { text: 'سلام {{name}}' } } };

  async function templated() {
    const templates = new MemoryTemplateStore();
    const { campaigns, queue } = world();
    const deps: CampaignDeps = { campaigns, queue, now: () => NOW, templates };
    const template = await createTemplate({ templates, now: () => NOW }, SMS_TEMPLATE);
    const campaign = await createCampaign(deps, { ...BODY, sms: { templateId: template.id }, sendAt: LATER });
    await updateTemplate({ templates, now: () => NOW }, template.id, {
      name: 'Welcome 2',
      variants: { fa: { text: 'درود {{name}}' } },
    });
    return { deps, templates, template, campaign };
  }

  it('keeps the version it was made with through an edit of other fields and a duplicate', async () => {
    // Prepare
    const { deps, templates, campaign } = await templated();

    // Act
    const edited = await updateCampaign(deps, campaign.id, { name: 'Renamed' });
    const copy = await duplicateCampaign(deps, campaign.id, {});

    // Assess
    expect(edited.sms).toEqual(campaign.sms);
    expect(edited.sms?.template?.version).toBe(1);
    expect(copy.sms).toEqual(campaign.sms);
    expect(await templates.uses(campaign.sms?.template?.id ?? '')).toEqual([campaign.id, copy.id]);
  });

  it('takes the latest version when a PATCH names the template again, or inline text instead', async () => {
    // Prepare
    const { deps, template, campaign } = await templated();

    // Act
    const renamed = await updateCampaign(deps, campaign.id, { sms: { templateId: template.id } });
    const inline = await updateCampaign(deps, campaign.id, { sms: { text: 'متن تازه' } });

    // Assess
    expect(renamed.sms?.template?.version).toBe(2);
    expect(renamed.sms?.text).toBe('درود {{name}}');
    expect(inline.sms).toEqual({ text: 'متن تازه' });
  });
});
