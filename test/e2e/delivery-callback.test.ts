import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simRequests } from '../integration/kavenegar/sim-control';
import { call, eventually, simMessages } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;

beforeAll(async () => {
  platform = await startTestPlatform({ env: { CHAPAR_SMS_DELIVERY_CALLBACK: 'on' } });
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

interface Stats {
  sent: number;
  delivered: number;
  undelivered: number;
}

describe('the optional delivery-report callback, on', () => {
  it('queues Kavenegar’s reports through the route, and the first poll applies them without asking about those SMS', async () => {
    // Prepare
    for (const n of [1, 2, 3])
      expect(
        (
          await call(api, 'PUT', `/v1/contacts/cb${n}`, {
            json: { phone: `0912555000${n}`, name: `n${n}` },
          })
        ).status,
      ).toBe(200);
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
      json: {
        name: 'Callback',
        topic: 'newsletter',
        channels: ['sms'],
        audience: { contactIds: ['cb1', 'cb2', 'cb3'] },
        sms: { text: 'سلام {{name}}' },
      },
    });
    expect(created.status).toBe(201);

    // Act
    const stats = await eventually(
      async () => {
        const reply = await call<{ stats: Stats }>(api, 'GET', `/v1/campaigns/${created.body.id}`);
        return reply.body.stats.delivered + reply.body.stats.undelivered === 3 ? reply.body.stats : undefined;
      },
      'the delivery status of the three SMS',
      100_000,
      1_000,
    );

    // Assess
    expect(stats).toMatchObject({ sent: 3, delivered: 3 });
    const ids = (await simMessages(platform.kavenegarUrl))
      .filter((sms) => sms.message.includes('سلام'))
      .map((sms) => String(sms.messageid));
    expect(ids).toHaveLength(3);
    const asked = (await simRequests(platform.kavenegarUrl))
      .filter((request) => request.path.endsWith('/sms/status.json'))
      .flatMap((request) => (request.params.messageid ?? '').split(','));
    for (const id of ids) expect(asked).not.toContain(id);
  });

  it('drops a report under a wrong secret without an error, as the route answers once queued', async () => {
    // Act
    const reply = await call(api, 'POST', '/v1/callbacks/kavenegar/wrong', {
      body: 'messageid=1&status=10',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    // Assess
    expect(reply.status).toBe(200);
  });
});
