import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { type DispatchMessage, recipientsMessageSchema } from '../../../shared/domain/messages';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { DispatchDeps } from '../../../shared/use-cases/dispatch-campaign';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { type ApiHandler, call } from './api';

let emulators: TestEmulators;
let api: ApiHandler;
let dispatchDeps: DispatchDeps;
let dispatchCampaign: typeof import('../../../shared/use-cases/dispatch-campaign').dispatchCampaign;

interface ListView {
  id: string;
  name: string;
  description?: string;
  members: number;
  createdAt: string;
}
interface Refusal {
  message: string;
  issues?: { field: string; message: string }[];
}

const UNKNOWN_ID = '01JDV00000000000000000000Z';

/** Six customers: three in Tehran (one without a phone), two in Shiraz, one with no city. */
const customers: Record<string, Record<string, unknown>> = {
  'shop-1': {
    phone: '0912 100 0001',
    email: 'one@example.com',
    name: 'سارا',
    attributes: { city: 'Tehran', spent: 1500 },
  },
  'shop-2': {
    phone: '+98 912 100 0002',
    name: 'Reza',
    locale: 'en',
    attributes: { city: 'Tehran', spent: 90 },
  },
  'shop-3': { email: 'three@example.com', name: 'Mina', attributes: { city: 'Tehran', spent: 700 } },
  'shop-4': { phone: '۰۹۱۲۱۰۰۰۰۰۴', attributes: { city: 'Shiraz', spent: 3000 } },
  'shop-5': { phone: '00989121000005', email: 'Five@Example.com', attributes: { city: 'Shiraz' } },
  'shop-6': { phone: '09121000006', attributes: {} },
};

async function createList(name: string, members: string[] = []): Promise<ListView> {
  const created = await call<ListView>(api, 'POST /v1/lists', { json: { name } });
  expect(created.status).toBe(201);
  if (members.length > 0) {
    const changed = await call(api, 'POST /v1/lists/{listId}/members', {
      path: { listId: created.body.id },
      json: { add: members },
    });
    expect(changed.status).toBe(200);
  }
  return created.body;
}

const campaignBody = (audience: unknown, channels = ['sms']) => ({
  name: 'Yalda',
  topic: 'promotions',
  channels,
  audience,
  ...(channels.includes('sms') ? { sms: { text: 'یلدا مبارک {{name}}' } } : {}),
  ...(channels.includes('email') ? { email: { subject: 'یلدا', html: '<p>سلام</p>' } } : {}),
});

/** Runs the campaign's dispatch chain to its end and answers who was queued per channel. */
async function dispatched(campaignId: string): Promise<{ sms: string[]; email: string[] }> {
  let messages: DispatchMessage[] = [{ v: 1, campaignId, cursor: null }];
  for (let round = 0; messages.length > 0 && round < 100; round++) {
    for (const message of messages) await dispatchCampaign(dispatchDeps, message);
    messages = (await emulators.receiveAll('dispatch', { waitSeconds: 0 }))
      .map((received) => JSON.parse(received.Body ?? '') as DispatchMessage)
      .filter((message) => message.campaignId === campaignId && message.unit !== undefined);
  }
  const recipients = async (channel: 'sms' | 'email') =>
    (await emulators.receiveAll(channel, { waitSeconds: 1 }))
      .flatMap((received) => recipientsMessageSchema.parse(JSON.parse(received.Body ?? '')).contactIds)
      .sort();
  return { sms: await recipients('sms'), email: await recipients('email') };
}

beforeAll(async () => {
  emulators = await useEmulators();
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  const factory = await import('../../../shared/adapters/factory');
  const { names } = emulators;
  ({ dispatchCampaign } = await import('../../../shared/use-cases/dispatch-campaign'));
  const { campaignAudience } = await import('../../../shared/use-cases/audience-source');
  dispatchDeps = {
    campaigns: factory.campaignStore(names.tables.campaigns),
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
    pageSize: 2,
    leaseMs: 60_000,
    smsLayout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
  };
  for (const [contactId, contact] of Object.entries(customers)) {
    expect(
      (await call(api, 'PUT /v1/contacts/{contactId}', { path: { contactId }, json: contact })).status,
    ).toBe(200);
  }
  // shop-4 opted out of every SMS topic.
  const optOut = await call(api, 'POST /v1/contacts/{contactId}/consent', {
    path: { contactId: 'shop-4' },
    json: { action: 'opt_out', channel: 'sms', topic: '*' },
  });
  expect(optOut.status).toBe(201);
});

describe('lists over the API', () => {
  it('creates a list, adds and removes members with an exact count, and pages through them', async () => {
    // Prepare
    const created = await call<ListView>(api, 'POST /v1/lists', {
      json: { name: ' مشتریان ویژه ', description: 'VIP' },
    });
    const listId = created.body.id;
    // Act
    const added = await call(api, 'POST /v1/lists/{listId}/members', {
      path: { listId },
      json: { add: ['shop-1', 'shop-2', 'shop-3', 'shop-1', 'nobody'] },
    });
    const retried = await call(api, 'POST /v1/lists/{listId}/members', {
      path: { listId },
      json: { add: ['shop-1', 'shop-2', 'shop-3'], remove: ['shop-6'] },
    });
    const removed = await call(api, 'POST /v1/lists/{listId}/members', {
      path: { listId },
      json: { remove: ['shop-2'] },
    });
    const one = await call<ListView>(api, 'GET /v1/lists/{listId}', { path: { listId } });
    const first = await call<{ items: string[]; cursor?: string }>(api, 'GET /v1/lists/{listId}/members', {
      path: { listId },
      query: { limit: '1' },
    });
    const rest = await call<{ items: string[]; cursor?: string }>(api, 'GET /v1/lists/{listId}/members', {
      path: { listId },
      query: { limit: '10', cursor: first.body.cursor ?? '' },
    });
    const all = await call<{ items: ListView[] }>(api, 'GET /v1/lists', {});
    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'مشتریان ویژه', description: 'VIP', members: 0 });
    expect(added.body).toEqual({ added: 3, removed: 0, members: 3, unknownContacts: ['nobody'] });
    expect(retried.body).toEqual({ added: 0, removed: 0, members: 3, unknownContacts: [] });
    expect(removed.body).toMatchObject({ added: 0, removed: 1, members: 2 });
    expect(one.body).toEqual({ ...created.body, members: 2 });
    expect(first.body.items).toHaveLength(1);
    expect([...first.body.items, ...rest.body.items].sort()).toEqual(['shop-1', 'shop-3']);
    expect(rest.body.cursor).toBeUndefined();
    expect(all.body.items).toContainEqual({ ...created.body, members: 2 });
  });

  it('shows a contact its lists, and a deleted list is gone everywhere', async () => {
    // Prepare
    const list = await createList('Yalda 1405', ['shop-5']);
    const before = await call<{ lists: { id: string; name: string }[] }>(
      api,
      'GET /v1/contacts/{contactId}',
      {
        path: { contactId: 'shop-5' },
      },
    );
    // Act
    const deleted = await call(api, 'DELETE /v1/lists/{listId}', { path: { listId: list.id } });
    // Assess
    expect(before.body.lists).toContainEqual({ id: list.id, name: 'Yalda 1405' });
    expect(deleted.status).toBe(204);
    expect((await call(api, 'GET /v1/lists/{listId}', { path: { listId: list.id } })).status).toBe(404);
    expect((await call(api, 'DELETE /v1/lists/{listId}', { path: { listId: list.id } })).status).toBe(404);
    const after = await call<{ lists: unknown[] }>(api, 'GET /v1/contacts/{contactId}', {
      path: { contactId: 'shop-5' },
    });
    expect(after.body.lists).toEqual([]);
  });

  it('refuses bad input with a 4xx naming the field: 1,001 ids, unknown list, bad body, bad paging', async () => {
    // Prepare
    const list = await createList('Refusals');
    const tooMany = Array.from({ length: 1001 }, (_, i) => `c${i}`);
    const members = (listId: string, json: unknown) =>
      call<Refusal>(api, 'POST /v1/lists/{listId}/members', { path: { listId }, json });
    // Act
    const replies = {
      tooManyAdds: await members(list.id, { add: tooMany }),
      tooManyRemoves: await members(list.id, { remove: tooMany }),
      nothing: await members(list.id, {}),
      phoneAsId: await members(list.id, { add: ['09121234567'] }),
      both: await members(list.id, { add: ['shop-1'], remove: ['shop-1'] }),
      unknownList: await members(UNKNOWN_ID, { add: ['shop-1'] }),
      notAnId: await members('vip', { add: ['shop-1'] }),
      noName: await call<Refusal>(api, 'POST /v1/lists', { json: { description: 'x' } }),
      extraKey: await call<Refusal>(api, 'POST /v1/lists', { json: { name: 'x', colour: 'red' } }),
      badLimit: await call<Refusal>(api, 'GET /v1/lists', { query: { limit: '5000' } }),
      badCursor: await call<Refusal>(api, 'GET /v1/lists/{listId}/members', {
        path: { listId: list.id },
        query: { cursor: 'not-a-cursor' },
      }),
      unknownMembers: await call<Refusal>(api, 'GET /v1/lists/{listId}/members', {
        path: { listId: UNKNOWN_ID },
      }),
    };
    // Assess
    const statuses = Object.fromEntries(Object.entries(replies).map(([name, reply]) => [name, reply.status]));
    expect(statuses).toEqual({
      tooManyAdds: 400,
      tooManyRemoves: 400,
      nothing: 400,
      phoneAsId: 400,
      both: 400,
      unknownList: 404,
      notAnId: 404,
      noName: 400,
      extraKey: 400,
      badLimit: 400,
      badCursor: 400,
      unknownMembers: 404,
    });
    expect(replies.tooManyAdds.body.issues).toEqual([
      { field: 'add', message: 'may name at most 1000 contacts per call' },
    ]);
    expect(replies.noName.body.issues).toEqual([{ field: 'name', message: 'is required' }]);
    expect(replies.extraKey.body.issues).toEqual([{ field: '(body)', message: 'has unknown key colour' }]);
    expect(replies.badLimit.body.issues?.[0]?.field).toBe('limit');
    expect(replies.badCursor.body.issues?.[0]?.field).toBe('cursor');
    expect(
      (await call<ListView>(api, 'GET /v1/lists/{listId}', { path: { listId: list.id } })).body.members,
    ).toBe(0);
  });
});

describe('segments over the API', () => {
  it('saves a segment, reads it back, and previews a filter with count and sample', async () => {
    // Prepare
    const blocked = await createList('Blocked', ['shop-1']);
    const filter = {
      all: [{ field: 'attributes.city', op: 'eq', value: 'tehran' }, { notInList: blocked.id }],
    };
    // Act
    const created = await call<{ id: string; name: string; filter: unknown }>(api, 'POST /v1/segments', {
      json: { name: 'Tehran', filter },
    });
    const one = await call(api, 'GET /v1/segments/{segmentId}', { path: { segmentId: created.body.id } });
    const all = await call<{ items: { id: string }[] }>(api, 'GET /v1/segments', {});
    const preview = await call<{ count: number; sample: { id: string; ref?: string }[]; complete: boolean }>(
      api,
      'POST /v1/segments/preview',
      { json: { filter } },
    );
    const bigSpenders = await call<{ count: number; sample: { id: string }[] }>(
      api,
      'POST /v1/segments/preview',
      {
        json: {
          filter: {
            all: [
              { field: 'attributes.spent', op: 'gte', value: 700 },
              { subscribed: { channel: 'sms', topic: 'promotions' } },
            ],
          },
        },
      },
    );
    // Assess
    expect(created.status).toBe(201);
    expect(created.body.filter).toEqual(filter);
    expect(one.body).toEqual(created.body);
    expect(all.body.items.map((segment) => segment.id)).toContain(created.body.id);
    expect(preview.body.count).toBe(2);
    expect(preview.body.complete).toBe(true);
    expect(preview.body.sample.map((contact) => contact.id).sort()).toEqual(['shop-2', 'shop-3']);
    expect(preview.body.sample[0]?.ref).toBeUndefined();
    // shop-4 spent 3000 but opted out of SMS; shop-1 (1500) and shop-3 (700) pass.
    expect(bigSpenders.body.sample.map((contact) => contact.id).sort()).toEqual(['shop-1', 'shop-3']);
  });

  it('refuses a bad filter with the path of the error, and an unknown list or segment', async () => {
    // Act
    const badOp = await call<Refusal>(api, 'POST /v1/segments', {
      json: { name: 'x', filter: { all: [{ field: 'attributes.city', op: 'like', value: 'T' }] } },
    });
    const unknownList = await call<Refusal>(api, 'POST /v1/segments/preview', {
      json: { filter: { inList: UNKNOWN_ID } },
    });
    const noFilter = await call<Refusal>(api, 'POST /v1/segments/preview', { json: {} });
    const unknownSegment = await call<Refusal>(api, 'GET /v1/segments/{segmentId}', {
      path: { segmentId: UNKNOWN_ID },
    });
    const notJson = await call<Refusal>(api, 'POST /v1/segments', { json: 'filter' });
    // Assess
    expect(badOp.status).toBe(400);
    expect(badOp.body.issues).toEqual([
      { field: 'filter.all.0.op', message: 'must be one of eq, ne, in, contains, exists, gt, gte, lt, lte' },
    ]);
    expect(unknownList.status).toBe(400);
    expect(unknownList.body.issues).toEqual([
      { field: 'filter', message: `names unknown list ${UNKNOWN_ID}` },
    ]);
    expect(noFilter.status).toBe(400);
    expect(unknownSegment.status).toBe(404);
    expect(notJson.status).toBe(400);
  });
});

describe('contacts listing and search', () => {
  it('pages through every contact and finds one by a phone in any form, an email or an id', async () => {
    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<{ items: { id: string }[]; cursor?: string }>(api, 'GET /v1/contacts', {
        query: { limit: '4', ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((contact) => contact.id));
      cursor = page.body.cursor;
    } while (cursor);
    const find = async (q: string) =>
      (await call<{ items: { id: string }[] }>(api, 'GET /v1/contacts', { query: { q } })).body.items.map(
        (contact) => contact.id,
      );
    // Assess
    expect(seen.sort()).toEqual(Object.keys(customers).sort());
    expect(await find('۰۹۱۲-۱۰۰-۰۰۰۲')).toEqual(['shop-2']);
    expect(await find('+989121000004')).toEqual(['shop-4']);
    expect(await find('0098 912 100 0005')).toEqual(['shop-5']);
    expect(await find('FIVE@example.com')).toEqual(['shop-5']);
    expect(await find('shop-3')).toEqual(['shop-3']);
    expect(await find('nobody@example.com')).toEqual([]);
    expect((await call<Refusal>(api, 'GET /v1/contacts', { query: { q: '' } })).status).toBe(400);
    expect((await call<Refusal>(api, 'GET /v1/contacts', { query: { cursor: '%%%' } })).status).toBe(400);
  });
});

describe('campaign audiences', () => {
  it('previews a list audience minus an excluded list, with reach per channel', async () => {
    // Prepare
    const tehran = await createList('Tehran', ['shop-1', 'shop-2', 'shop-3']);
    const shiraz = await createList('Shiraz', ['shop-4', 'shop-5', 'shop-1']);
    const excluded = await createList('Excluded', ['shop-5']);
    // Act
    const preview = await call<{ audience: number; reach: Record<string, unknown> }>(
      api,
      'POST /v1/campaigns/preview',
      {
        json: campaignBody({ listIds: [tehran.id, shiraz.id], exclude: { listIds: [excluded.id] } }, [
          'sms',
          'email',
        ]),
      },
    );
    // Assess: shop-1..4 once each; shop-3 has no phone, shop-4 opted out of SMS; shop-2 and shop-4 no email
    expect(preview.status).toBe(200);
    expect(preview.body.audience).toBe(4);
    expect(preview.body.reach).toEqual({
      sms: { reachable: 3, notOptedOut: 2 },
      email: { reachable: 2, notOptedOut: 2 },
    });
  });

  it('dispatches a segment minus an excluded list, and a list audience once per contact', async () => {
    // Prepare
    const excluded = await createList('Do not disturb', ['shop-2']);
    const segment = await call<{ id: string }>(api, 'POST /v1/segments', {
      json: { name: 'Tehran', filter: { field: 'attributes.city', op: 'eq', value: 'Tehran' } },
    });
    const twice = await createList('Twice', ['shop-4', 'shop-6']);
    const again = await createList('Again', ['shop-6', 'shop-5']);
    await emulators.purge();
    // Act
    const bySegment = await call<Campaign>(api, 'POST /v1/campaigns', {
      json: campaignBody({ segmentId: segment.body.id, exclude: { listIds: [excluded.id] } }, [
        'sms',
        'email',
      ]),
    });
    const segmentQueued = await dispatched(bySegment.body.id);
    const byLists = await call<Campaign>(api, 'POST /v1/campaigns', {
      json: campaignBody({ listIds: [twice.id, again.id] }),
    });
    const listsQueued = await dispatched(byLists.body.id);
    // Assess
    expect(bySegment.status).toBe(201);
    expect(segmentQueued).toEqual({ sms: ['shop-1'], email: ['shop-1', 'shop-3'] });
    expect(listsQueued).toEqual({ sms: ['shop-4', 'shop-5', 'shop-6'], email: [] });
  });

  it('refuses an audience naming an unknown list or segment, or too many lists', async () => {
    // Act
    const unknownList = await call<Refusal>(api, 'POST /v1/campaigns', {
      json: campaignBody({ listIds: [UNKNOWN_ID] }),
    });
    const unknownExcluded = await call<Refusal>(api, 'POST /v1/campaigns/preview', {
      json: campaignBody({ all: true, exclude: { listIds: [UNKNOWN_ID] } }),
    });
    const unknownSegment = await call<Refusal>(api, 'POST /v1/campaigns', {
      json: campaignBody({ segmentId: UNKNOWN_ID }),
    });
    const twoKinds = await call<Refusal>(api, 'POST /v1/campaigns', {
      json: campaignBody({ all: true, segmentId: UNKNOWN_ID }),
    });
    const tooManyIds = await call<Refusal>(api, 'POST /v1/campaigns', {
      json: campaignBody({ contactIds: Array.from({ length: 1001 }, (_, i) => `c${i}`) }),
    });
    // Assess
    expect(unknownList.status).toBe(400);
    expect(unknownList.body.issues).toEqual([
      { field: 'audience', message: `names unknown list ${UNKNOWN_ID}` },
    ]);
    expect(unknownExcluded.status).toBe(400);
    expect(unknownSegment.status).toBe(400);
    expect(unknownSegment.body.issues).toEqual([
      { field: 'audience.segmentId', message: `names unknown segment ${UNKNOWN_ID}` },
    ]);
    expect(twoKinds.status).toBe(400);
    expect(tooManyIds.status).toBe(400);
  });

  it('erasure takes the contact off every list', async () => {
    // Prepare
    await call(api, 'PUT /v1/contacts/{contactId}', {
      path: { contactId: 'leaving' },
      json: { phone: '09121009999' },
    });
    const a = await createList('A', ['leaving', 'shop-1']);
    const b = await createList('B', ['leaving']);
    // Act
    const erased = await call(api, 'DELETE /v1/contacts/{contactId}', { path: { contactId: 'leaving' } });
    // Assess
    expect(erased.status).toBe(204);
    expect(
      (await call<ListView>(api, 'GET /v1/lists/{listId}', { path: { listId: a.id } })).body.members,
    ).toBe(1);
    expect(
      (await call<ListView>(api, 'GET /v1/lists/{listId}', { path: { listId: b.id } })).body.members,
    ).toBe(0);
    const members = await call<{ items: string[] }>(api, 'GET /v1/lists/{listId}/members', {
      path: { listId: a.id },
    });
    expect(members.body.items).toEqual(['shop-1']);
  });
});
