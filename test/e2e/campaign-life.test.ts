import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, simMessages } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;

/** Slow enough to pause mid-send: 80 SMS take about 8 s at 10 a second. */
const SMS_RATE = 10;
const CROWD = Array.from({ length: 80 }, (_, i) => `crowd-${i}`);

beforeAll(async () => {
  platform = await startTestPlatform({ env: { CHAPAR_SMS_RATE: String(SMS_RATE) } });
  api = platform.apiUrl;
  for (let i = 0; i < CROWD.length; i += 20) {
    await Promise.all(
      CROWD.slice(i, i + 20).map(async (id, j) => {
        const phone = `0912${String(3_000_000 + i + j).padStart(7, '0')}`;
        const put = await call(api, 'PUT', `/v1/contacts/${id}`, { json: { phone, name: 'مهسا' } });
        expect(put.status, put.text).toBe(200);
      }),
    );
  }
});

afterAll(async () => {
  await platform?.end();
});

interface View {
  id: string;
  name: string;
  status: string;
  sendAt: string | null;
  pausedReason?: string;
  audience: Record<string, unknown>;
  stats: { total: number; sent: number; queued: number };
}
interface Refusal {
  message: string;
  issues?: { field: string }[];
}

const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString();
const campaign = (text: string, audience: unknown, extra: Record<string, unknown> = {}) => ({
  name: text,
  topic: 'promotions',
  channels: ['sms'],
  audience,
  sms: { text },
  ...extra,
});

async function create(body: Record<string, unknown>): Promise<string> {
  const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', { json: body });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

async function view(id: string): Promise<View> {
  const reply = await call<View>(api, 'GET', `/v1/campaigns/${id}`);
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

/** Waits as `eventually` does; a timeout says where the campaign stood. */
async function until<T>(
  id: string,
  probe: () => Promise<T | undefined>,
  what: string,
  ms: number,
): Promise<T> {
  try {
    return await eventually(probe, what, ms);
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(await view(id))}`);
  }
}

async function smsWith(text: string): Promise<string[]> {
  return (await simMessages(platform.kavenegarUrl))
    .filter((message) => message.message.startsWith(text))
    .map((message) => message.receptor);
}

describe('a marketer lists, edits, pauses and duplicates campaigns', () => {
  it('lists campaigns newest first, filtered by status, with an audience summary and stats', async () => {
    const older = await create(campaign('فهرست یک', { contactIds: ['crowd-1'] }, { sendAt: tomorrow() }));
    const newer = await create(campaign('فهرست دو', { all: true }, { sendAt: tomorrow() }));
    expect((await call(api, 'POST', `/v1/campaigns/${older}/cancel`)).status).toBe(200);

    const all = await call<{ items: View[] }>(api, 'GET', '/v1/campaigns?limit=100');
    const cancelled = await call<{ items: View[] }>(api, 'GET', '/v1/campaigns?status=cancelled');

    expect(all.status).toBe(200);
    const ids = all.body.items.map((item) => item.id);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(all.body.items.find((item) => item.id === newer)).toMatchObject({
      status: 'scheduled',
      audience: { kind: 'all' },
      stats: { total: 0 },
    });
    expect(cancelled.body.items.map((item) => item.id)).toEqual([older]);
  });

  it('edits a scheduled campaign, and moving its sendAt to now sends the edited text once', async () => {
    const id = await create(
      campaign('ویرایش نشده', { contactIds: ['crowd-2', 'crowd-3'] }, { sendAt: tomorrow() }),
    );

    const edited = await call<View>(api, 'PATCH', `/v1/campaigns/${id}`, {
      json: { name: 'Edited', sms: { text: 'ویرایش شده' }, sendAt: new Date().toISOString() },
    });
    expect(edited.status, edited.text).toBe(200);
    const sent = await eventually(async () => {
      const current = await view(id);
      return current.status === 'sent' ? current : undefined;
    }, 'the edited campaign to be sent');

    expect(sent).toMatchObject({ name: 'Edited', stats: { total: 2, sent: 2 } });
    expect((await smsWith('ویرایش شده')).sort()).toEqual(['09123000002', '09123000003']);
    expect(await smsWith('ویرایش نشده')).toEqual([]);
    const late = await call<Refusal>(api, 'PATCH', `/v1/campaigns/${id}`, { json: { name: 'again' } });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('it has been sent');
  });

  it('pauses mid-send by the marketer: nothing goes out while paused, and resume sends the rest once', async () => {
    const text = 'حراج زمستانه';
    const id = await create(campaign(text, { contactIds: CROWD }));
    await until(
      id,
      async () => ((await smsWith(text)).length >= 10 ? true : undefined),
      'the first SMS',
      40_000,
    );

    const paused = await call<View>(api, 'POST', `/v1/campaigns/${id}/pause`);
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'by_marketer' });
    // A call already under way when the pause landed may still answer: then nothing more goes.
    const settled = await until(
      id,
      async () => {
        const before = (await smsWith(text)).length;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const after = (await smsWith(text)).length;
        return before === after ? after : undefined;
      },
      'the SMS to stop while paused',
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const whilePaused = await smsWith(text);
    expect(whilePaused).toHaveLength(settled);
    expect(settled).toBeLessThan(CROWD.length);
    expect(await view(id)).toMatchObject({ status: 'paused', pausedReason: 'by_marketer' });

    const resumed = await call<View>(api, 'POST', `/v1/campaigns/${id}/resume`);
    expect(resumed.status, resumed.text).toBe(200);
    const done = await until(
      id,
      async () => {
        const current = await view(id);
        return current.status === 'sent' ? current : undefined;
      },
      'the resumed campaign to be sent',
      // Generous: on a loaded machine a message that met another run's claims backs off 10-30 s.
      90_000,
    );

    const receptors = await smsWith(text);
    expect(receptors).toHaveLength(CROWD.length);
    expect(new Set(receptors).size).toBe(CROWD.length);
    expect(done.stats).toMatchObject({ total: CROWD.length, sent: CROWD.length, queued: 0 });
    expect(done.pausedReason).toBeUndefined();
  });

  it('duplicates a campaign as a held copy that sends nothing until scheduled', async () => {
    const source = await create(campaign('نسخه اصلی', { contactIds: ['crowd-4'] }, { sendAt: tomorrow() }));

    const copy = await call<View>(api, 'POST', `/v1/campaigns/${source}/duplicate`);
    expect(copy.status, copy.text).toBe(201);
    expect(copy.body).toMatchObject({ status: 'scheduled', sendAt: null, name: 'نسخه اصلی (copy)' });
    const scheduled = await call<View>(api, 'PATCH', `/v1/campaigns/${copy.body.id}`, {
      json: { sendAt: new Date().toISOString() },
    });
    expect(scheduled.status, scheduled.text).toBe(200);
    await eventually(
      async () => ((await view(copy.body.id)).status === 'sent' ? true : undefined),
      'the copy sent',
    );

    expect(await smsWith('نسخه اصلی')).toEqual(['09123000004']);
    expect((await view(source)).status).toBe('scheduled');
  });

  it('refuses bad input on every new route with a clear 4xx', async () => {
    const id = await create(campaign('ورودی بد', { contactIds: ['crowd-5'] }, { sendAt: tomorrow() }));
    const replies = {
      badStatus: await call<Refusal>(api, 'GET', '/v1/campaigns?status=draft'),
      badCursor: await call<Refusal>(api, 'GET', '/v1/campaigns?cursor=zzz'),
      badPatch: await call<Refusal>(api, 'PATCH', `/v1/campaigns/${id}`, { json: { sendAt: 'soon' } }),
      notJson: await call<Refusal>(api, 'PATCH', `/v1/campaigns/${id}`, {
        body: '{nope',
        headers: { 'content-type': 'application/json' },
      }),
      emptyPatch: await call<Refusal>(api, 'PATCH', `/v1/campaigns/${id}`, { json: {} }),
      pauseScheduled: await call<Refusal>(api, 'POST', `/v1/campaigns/${id}/pause`),
      badDuplicate: await call<Refusal>(api, 'POST', `/v1/campaigns/${id}/duplicate`, {
        json: { colour: 1 },
      }),
      unknown: await call<Refusal>(api, 'POST', '/v1/campaigns/01JDV00000000000000000000Z/duplicate'),
    };
    expect(Object.fromEntries(Object.entries(replies).map(([name, reply]) => [name, reply.status]))).toEqual({
      badStatus: 400,
      badCursor: 400,
      badPatch: 400,
      notJson: 400,
      emptyPatch: 400,
      pauseScheduled: 409,
      badDuplicate: 400,
      unknown: 404,
    });
    expect(replies.badPatch.body.issues?.map((issue) => issue.field)).toEqual(['sendAt']);
    expect(replies.pauseScheduled.body.message).toContain('PATCH its sendAt to null');
  });
});
