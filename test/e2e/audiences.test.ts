import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, simMessages } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

/** Phones of the customers, written as people write them; stored as +98912200000<n>. */
const customers = {
  a1: { phone: '۰۹۱۲ ۲۰۰ ۰۰۰۱', name: 'آرش', attributes: { city: 'Tehran', tier: 'gold' } },
  a2: { phone: '+98 912 200 0002', name: 'Bita', attributes: { city: 'Tehran', tier: 'silver' } },
  a3: { phone: '0912-200-0003', attributes: { city: 'Tehran', tier: 'gold' } },
  a4: { phone: '00989122000004', attributes: { city: 'Isfahan', tier: 'gold' } },
};

describe('a marketer aims a campaign at a segment minus a list', () => {
  it('sends to exactly the segment, leaves out the excluded list, and previews the same figures', async () => {
    // Prepare
    for (const [id, contact] of Object.entries(customers)) {
      expect((await call(api, 'PUT', `/v1/contacts/${id}`, { json: contact })).status).toBe(200);
    }
    const list = await call<{ id: string }>(api, 'POST', '/v1/lists', {
      json: { name: 'Complained last week' },
    });
    expect(list.status).toBe(201);
    const members = await call(api, 'POST', `/v1/lists/${list.body.id}/members`, { json: { add: ['a3'] } });
    expect(members.status).toBe(200);
    const segment = await call<{ id: string }>(api, 'POST', '/v1/segments', {
      json: {
        name: 'Gold in Tehran',
        filter: {
          all: [
            { field: 'attributes.city', op: 'eq', value: 'Tehran' },
            { field: 'attributes.tier', op: 'eq', value: 'gold' },
          ],
        },
      },
    });
    expect(segment.status).toBe(201);
    const body = {
      name: 'Gold offer',
      topic: 'promotions',
      channels: ['sms'],
      audience: { segmentId: segment.body.id, exclude: { listIds: [list.body.id] } },
      sms: { text: 'پیشنهاد طلایی برای شما' },
    };
    // Act
    const preview = await call<{ audience: number; reach: unknown }>(api, 'POST', '/v1/campaigns/preview', {
      json: body,
    });
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', { json: body });
    const sent = await eventually(async () => {
      const view = await call<{ status: string; stats: { total: number; sent: number } }>(
        api,
        'GET',
        `/v1/campaigns/${created.body.id}`,
      );
      return view.body.status === 'sent' ? view.body : undefined;
    }, 'the campaign to be sent');
    // Assess
    expect(preview.body).toMatchObject({ audience: 1, reach: { sms: { reachable: 1, notOptedOut: 1 } } });
    expect(created.status).toBe(201);
    expect(sent.stats).toMatchObject({ total: 1, sent: 1 });
    const receptors = (await simMessages(platform.kavenegarUrl)).map((sms) => sms.receptor);
    expect(receptors.filter((receptor) => receptor.includes('912200000'))).toEqual(['09122000001']);
  });
});
