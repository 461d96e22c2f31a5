import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockOf, TEHRAN_OFFSET_MINUTES } from '../../shared/domain/quiet-hours';
import { call, eventually, simMessages } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;

/** Quiet hours in force for the next two hours whatever the time, and when they end (UTC). */
function windowAroundNow(): { spec: string; endsAt: Date } {
  const nowMinute = Math.floor(Date.now() / 60_000);
  const minute = (nowMinute + TEHRAN_OFFSET_MINUTES) % (24 * 60);
  const start = (minute - 60 + 24 * 60) % (24 * 60);
  const end = (minute + 120) % (24 * 60);
  return { spec: `${clockOf(start)}-${clockOf(end)}`, endsAt: new Date((nowMinute + 120) * 60_000) };
}
const quiet = windowAroundNow();

beforeAll(async () => {
  platform = await startTestPlatform({ env: { CHAPAR_QUIET_HOURS: quiet.spec } });
  api = platform.apiUrl;
  const put = await call(api, 'PUT', '/v1/contacts/night-1', { json: { phone: '09124440001', name: 'شب' } });
  expect(put.status, put.text).toBe(200);
});

afterAll(async () => {
  await platform?.end();
});

const body = {
  name: 'Night',
  topic: 'promotions',
  channels: ['sms'],
  audience: { contactIds: ['night-1'] },
  sms: { text: 'پیام شبانه' },
};

describe('SMS waiting for quiet hours are visible', () => {
  it('warns in the preview that the SMS will wait, and says until when', async () => {
    const preview = await call<{ smsStartsAt: string; warnings: { code: string; message: string }[] }>(
      api,
      'POST',
      '/v1/campaigns/preview',
      { json: { ...body, sendAt: new Date().toISOString() } },
    );

    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.smsStartsAt).toBe(quiet.endsAt.toISOString());
    expect(preview.body.warnings).toEqual([
      { code: 'quiet_hours', message: expect.stringContaining(quiet.endsAt.toISOString()) },
    ]);
  });

  it('says a sending campaign waits for quiet hours, and sends nothing meanwhile', async () => {
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', { json: body });
    expect(created.status, created.text).toBe(201);

    const waiting = await eventually(async () => {
      const reply = await call<{ status: string; waiting?: { reason: string; until: string } }>(
        api,
        'GET',
        `/v1/campaigns/${created.body.id}`,
      );
      return reply.body.status === 'sending' && reply.body.waiting ? reply.body.waiting : undefined;
    }, 'the campaign to be sending and waiting');

    expect(waiting).toEqual({ reason: 'quiet_hours', until: quiet.endsAt.toISOString() });
    expect(
      (await simMessages(platform.kavenegarUrl)).filter((sms) => sms.message.startsWith('پیام شبانه')),
    ).toEqual([]);
    expect((await call(api, 'POST', `/v1/campaigns/${created.body.id}/cancel`)).status).toBe(200);
  });
});
