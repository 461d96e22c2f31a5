import { beforeAll, describe, expect, it } from 'vitest';
import { clockOf, TEHRAN_OFFSET_MINUTES } from '../../../shared/domain/quiet-hours';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { CampaignStore } from '../../../shared/ports';
import type { DispatchDeps } from '../../../shared/use-cases/dispatch-campaign';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { type ApiHandler, call } from '../audiences/api';

let emulators: TestEmulators;
let api: ApiHandler;
let campaigns: CampaignStore;
let dispatchDeps: DispatchDeps;
let dispatchCampaign: typeof import('../../../shared/use-cases/dispatch-campaign').dispatchCampaign;

/** A quiet-hours window in force for the next hour whatever the time (this file's config). */
function windowAroundNow(): string {
  const minute = (Math.floor(Date.now() / 60_000) + TEHRAN_OFFSET_MINUTES) % (24 * 60);
  const start = (minute - 60 + 24 * 60) % (24 * 60);
  const end = (minute + 60) % (24 * 60);
  return `${clockOf(start)}-${clockOf(end)}`;
}

interface View {
  id: string;
  name: string;
  status: string;
  sendAt: string | null;
  channels: string[];
  audience: Record<string, unknown>;
  pausedReason?: string;
  waiting?: { reason: string; until: string };
  stats?: { total: number; queued: number };
}
interface Refusal {
  message: string;
  issues?: { field: string; message: string }[];
}

const LATER = () => new Date(Date.now() + 24 * 3600_000).toISOString();
const body = (overrides: Record<string, unknown> = {}) => ({
  name: 'Yalda',
  topic: 'promotions',
  channels: ['sms'],
  audience: { contactIds: ['life-1', 'life-2'] },
  sms: { text: 'یلدا مبارک {{name}}' },
  sendAt: LATER(),
  ...overrides,
});

async function create(overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await call<{ id: string }>(api, 'POST /v1/campaigns', { json: body(overrides) });
  expect(created.status).toBe(201);
  return created.body.id;
}

beforeAll(async () => {
  emulators = await useEmulators({ env: { CHAPAR_QUIET_HOURS: windowAroundNow() } });
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  const factory = await import('../../../shared/adapters/factory');
  const { names } = emulators;
  campaigns = factory.campaignStore(names.tables.campaigns);
  ({ dispatchCampaign } = await import('../../../shared/use-cases/dispatch-campaign'));
  const { campaignAudience } = await import('../../../shared/use-cases/audience-source');
  dispatchDeps = {
    campaigns,
    audience: campaignAudience(
      {
        contacts: factory.contactStore(names.tables.contacts),
        lists: factory.listStore(names.tables.audiences),
        segments: factory.segmentStore(names.tables.audiences),
        consent: factory.consentStore(names.tables.consent),
      },
      2,
    ),
    queue: factory.workQueue({
      dispatch: names.queues.dispatch.url,
      sms: names.queues.sms.url,
      email: names.queues.email.url,
    }),
    now: () => new Date(),
    pageSize: 10,
    leaseMs: 60_000,
    smsLayout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
  };
  for (const id of ['life-1', 'life-2']) {
    const put = await call(api, 'PUT /v1/contacts/{contactId}', {
      path: { contactId: id },
      json: { phone: id === 'life-1' ? '09121110001' : '09121110002', name: 'مینا' },
    });
    expect(put.status).toBe(200);
  }
});

describe('GET /v1/campaigns over DynamoDB', () => {
  it('lists newest first through an opaque cursor, and by status from its index', async () => {
    // Prepare
    const ids = [
      await create({ name: 'one' }),
      await create({ name: 'two' }),
      await create({ name: 'three' }),
    ];
    const cancelled = await call(api, 'POST /v1/campaigns/{campaignId}/cancel', {
      path: { campaignId: ids[1] ?? '' },
    });
    expect(cancelled.status).toBe(200);

    // Act
    const first = await call<{ items: View[]; cursor?: string }>(api, 'GET /v1/campaigns', {
      query: { limit: '2' },
    });
    const rest = await call<{ items: View[]; cursor?: string }>(api, 'GET /v1/campaigns', {
      query: { limit: '100', cursor: first.body.cursor ?? '' },
    });
    const onlyCancelled = await call<{ items: View[] }>(api, 'GET /v1/campaigns', {
      query: { status: 'cancelled' },
    });

    // Assess
    const all = [...first.body.items, ...rest.body.items].map((item) => item.id);
    expect(first.body.items).toHaveLength(2);
    expect(all.indexOf(ids[2] ?? '')).toBeLessThan(all.indexOf(ids[1] ?? ''));
    expect(all.indexOf(ids[1] ?? '')).toBeLessThan(all.indexOf(ids[0] ?? ''));
    expect(onlyCancelled.body.items.map((item) => item.id)).toContain(ids[1]);
    expect(onlyCancelled.body.items.every((item) => item.status === 'cancelled')).toBe(true);
    const listed = first.body.items[0];
    expect(listed).toMatchObject({
      status: 'scheduled',
      channels: ['sms'],
      audience: { kind: 'contacts', contacts: 2 },
      stats: { total: 0 },
    });
    expect(JSON.stringify(first.body)).not.toContain('life-1');
  });

  it.each([
    [{ status: 'draft' }, 'status'],
    [{ limit: '500' }, 'limit'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [
      { cursor: Buffer.from(JSON.stringify({ status: null, key: { pk: 1 } })).toString('base64url') },
      'cursor',
    ],
  ])('refuses %j with a 400 naming the parameter', async (query, field) => {
    const reply = await call<Refusal>(api, 'GET /v1/campaigns', { query });
    expect(reply.status).toBe(400);
    expect(reply.body.issues?.map((issue) => issue.field)).toContain(field);
  });

  it('refuses a cursor of another status with a 400, never a 500', async () => {
    for (let i = 0; i < 2; i += 1) await create();
    const page = await call<{ cursor?: string }>(api, 'GET /v1/campaigns', { query: { limit: '1' } });
    const reply = await call<Refusal>(api, 'GET /v1/campaigns', {
      query: { status: 'sent', cursor: page.body.cursor ?? '' },
    });
    expect(reply.status).toBe(400);
  });
});

describe('PATCH /v1/campaigns/{id} over DynamoDB', () => {
  it('moves sendAt: the due index follows, and a dispatch message for the old time starts nothing', async () => {
    // Prepare: a campaign due now (its dispatch message sent by the create), then moved to tomorrow
    const id = await create({ sendAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await campaigns.listDue(new Date(), 100)).map((due) => due.campaignId)).toContain(id);
    const tomorrow = LATER();

    // Act
    const patched = await call<View>(api, 'PATCH /v1/campaigns/{campaignId}', {
      path: { campaignId: id },
      json: { sendAt: tomorrow, name: 'Yalda, moved' },
    });
    const result = await dispatchCampaign(dispatchDeps, { v: 1, campaignId: id, cursor: null });

    // Assess
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'scheduled', sendAt: tomorrow, name: 'Yalda, moved' });
    expect(result).toBe('skipped');
    expect((await campaigns.get(id))?.status).toBe('scheduled');
    expect((await campaigns.listDue(new Date(), 100)).map((due) => due.campaignId)).not.toContain(id);
    expect((await campaigns.listDue(new Date(tomorrow), 100)).map((due) => due.campaignId)).toContain(id);
  });

  it('refuses bad input with a 400 naming the field, and a started campaign with a 409 saying why', async () => {
    // Prepare
    const id = await create();

    // Act
    const bad = await call<Refusal>(api, 'PATCH /v1/campaigns/{campaignId}', {
      path: { campaignId: id },
      json: { sms: { text: '{{unclosed' }, audience: { contactIds: [] } },
    });
    await call(api, 'POST /v1/campaigns/{campaignId}/cancel', { path: { campaignId: id } });
    const late = await call<Refusal>(api, 'PATCH /v1/campaigns/{campaignId}', {
      path: { campaignId: id },
      json: { name: 'x' },
    });
    const unknown = await call(api, 'PATCH /v1/campaigns/{campaignId}', {
      path: { campaignId: '01JDV00000000000000000000Z' },
      json: { name: 'x' },
    });

    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((issue) => issue.field)).toEqual(
      expect.arrayContaining(['sms.text', 'audience.contactIds']),
    );
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('it was cancelled; duplicate it to send it again');
    expect(unknown.status).toBe(404);
  });
});

describe('pause, duplicate and waiting over DynamoDB', () => {
  it('pauses a sending campaign by the marketer, says its SMS wait for quiet hours, and duplicates it held', async () => {
    // Prepare: a campaign due now, dispatched into the SMS queue (no sender runs here)
    const id = await create({ sendAt: new Date().toISOString() });
    expect(await dispatchCampaign(dispatchDeps, { v: 1, campaignId: id, cursor: null })).not.toBe('skipped');
    for (const message of await emulators.receiveAll('dispatch', { waitSeconds: 0 })) {
      await dispatchCampaign(dispatchDeps, JSON.parse(message.Body ?? ''));
    }

    // Act
    const sending = await call<View>(api, 'GET /v1/campaigns/{campaignId}', { path: { campaignId: id } });
    const paused = await call<View>(api, 'POST /v1/campaigns/{campaignId}/pause', {
      path: { campaignId: id },
    });
    const pausedAgain = await call<Refusal>(api, 'POST /v1/campaigns/{campaignId}/pause', {
      path: { campaignId: id },
    });
    const copy = await call<View>(api, 'POST /v1/campaigns/{campaignId}/duplicate', {
      path: { campaignId: id },
    });

    // Assess
    expect(sending.body.status).toBe('sending');
    expect(sending.body.stats?.queued).toBe(2);
    expect(sending.body.waiting?.reason).toBe('quiet_hours');
    expect(Date.parse(sending.body.waiting?.until ?? '')).toBeGreaterThan(Date.now());
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'by_marketer' });
    expect(pausedAgain.status).toBe(409);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ status: 'scheduled', sendAt: null, name: 'Yalda (copy)' });
    expect(copy.body.id).not.toBe(id);
    expect(
      (await campaigns.listDue(new Date(Date.now() + 400 * 24 * 3600_000), 100)).map((d) => d.campaignId),
    ).not.toContain(copy.body.id);
  });

  it('warns in the preview that sendAt falls in quiet hours, and says when the SMS go', async () => {
    const preview = await call<{ smsStartsAt: string; warnings: { code: string }[] }>(
      api,
      'POST /v1/campaigns/preview',
      { json: body({ sendAt: new Date().toISOString() }) },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.warnings.map((warning) => warning.code)).toEqual(['quiet_hours']);
    expect(Date.parse(preview.body.smsStartsAt)).toBeGreaterThan(Date.now());
  });

  it.each([
    ['a bad sendAt', { sendAt: 'soon' }, 400],
    ['an unknown field', { colour: 'red' }, 400],
  ])('refuses a duplicate with %s', async (_what, json, status) => {
    const id = await create();
    const reply = await call(api, 'POST /v1/campaigns/{campaignId}/duplicate', {
      path: { campaignId: id },
      json,
    });
    expect(reply.status).toBe(status);
  });

  it('answers 404 for pausing or duplicating an unknown campaign', async () => {
    for (const route of [
      'POST /v1/campaigns/{campaignId}/pause',
      'POST /v1/campaigns/{campaignId}/duplicate',
    ]) {
      expect((await call(api, route, { path: { campaignId: 'nope' } })).status).toBe(404);
    }
  });
});
