import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, headerOf, SMS_SENDER, sesEmails, simMessages } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** The simulator's starting credit: three one-part SMS at 1,200 Rial cost more. */
const CREDIT = 3_000;

let platform: TestPlatform;
let api: string;

beforeAll(async () => {
  platform = await startTestPlatform({ env: { CHAPAR_KAVENEGAR_CREDIT: String(CREDIT) } });
  api = platform.apiUrl;
  const contacts = {
    't-fa': { phone: '0912 777 0001', email: 't-fa@example.com', name: 'سارا' },
    't-en': { phone: '0912 777 0002', email: 't-en@example.com', name: 'Ann', locale: 'en' },
    't-3': { phone: '0912 777 0003' },
  };
  for (const [id, contact] of Object.entries(contacts)) {
    const stored = await call(api, 'PUT', `/v1/contacts/${id}`, { json: contact });
    expect(stored.status, stored.text).toBe(200);
  }
});

afterAll(async () => {
  await platform?.end();
});

const campaign = (subject: string, extra: Record<string, unknown> = {}) => ({
  name: 'Autumn sale',
  topic: 'promotions',
  channels: ['sms', 'email'],
  audience: { all: true },
  // Short enough to stay one part with the test marker and the local gateway's long link.
  sms: { text: 'حراج {{name}}' },
  email: { subject, html: '<p>سلام {{name}}</p>' },
  ...extra,
});

async function simCredit(): Promise<number> {
  const response = await fetch(`${platform.kavenegarUrl}/_sim/faults`);
  return ((await response.json()) as { credit: number }).credit;
}

describe('pre-flight cost and test sends over the platform', () => {
  it('previews the SMS cost against the simulator’s configured credit', async () => {
    // Act
    const preview = await call<{ cost: unknown }>(api, 'POST', '/v1/campaigns/preview', {
      json: campaign('Preview'),
    });
    // Assess
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.cost).toEqual({
      sms: { recipients: 3, segments: 3, rial: 3_600 },
      creditRial: CREDIT,
      enough: false,
    });
  });

  it('refuses to create it with 409 and both figures, and creates it with allowPartial', async () => {
    // Prepare
    const later = new Date(Date.now() + 3_600_000).toISOString();
    // Act
    const refused = await call<{ cost: { rial: number }; creditRial: number }>(api, 'POST', '/v1/campaigns', {
      json: campaign('Refused', { sendAt: later }),
    });
    const partial = await call<{ status: string; warnings: string[] }>(api, 'POST', '/v1/campaigns', {
      json: campaign('Partial', { sendAt: later, allowPartial: true }),
    });
    // Assess
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.cost.rial).toBe(3_600);
    expect(refused.body.creditRial).toBe(CREDIT);
    expect(partial.status, partial.text).toBe(201);
    expect(partial.body.warnings).toHaveLength(1);
  });

  it('sends test copies now, marked per locale, from the one line, spending the credit per part', async () => {
    // Prepare
    const subject = `خبر ${Date.now()}`;
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
      json: campaign(subject, { sendAt: new Date(Date.now() + 3_600_000).toISOString(), allowPartial: true }),
    });
    const creditBefore = await simCredit();
    // Act
    const answer = await call<{ results: { status: string }[] }>(
      api,
      'POST',
      `/v1/campaigns/${created.body.id}/test`,
      {
        json: { contactIds: ['t-fa', 't-en'] },
      },
    );
    // Assess
    expect(answer.status, answer.text).toBe(202);
    expect(
      answer.body.results.map((result) => result.status),
      answer.text,
    ).toEqual(['sent', 'sent', 'sent', 'sent']);
    const sms = (await simMessages(platform.kavenegarUrl)).filter((message) =>
      message.receptor.startsWith('0912777'),
    );
    expect(sms.map((message) => message.sender)).toEqual([SMS_SENDER, SMS_SENDER]);
    expect(sms.map((message) => message.message.split(' ')[0]).sort()).toEqual(['[test]', '[آزمایشی]']);
    expect(await simCredit()).toBe(creditBefore - 2 * 1_200);
    const mails = (await sesEmails(platform.sesUrl)).filter((email) => email.subject.endsWith(subject));
    expect(mails.map((email) => email.subject).sort()).toEqual([`[test] ${subject}`, `[آزمایشی] ${subject}`]);
    expect(
      mails.every((email) => headerOf(email, 'List-Unsubscribe-Post') === 'List-Unsubscribe=One-Click'),
    ).toBe(true);
    const view = await call<{ status: string; stats: { sent: number } }>(
      api,
      'GET',
      `/v1/campaigns/${created.body.id}`,
    );
    expect(view.body).toMatchObject({ status: 'scheduled', stats: { sent: 0 } });
  });

  it('answers a clear 400 to a bad test send, never a 5xx', async () => {
    // Prepare
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
      json: campaign('Bad', { sendAt: new Date(Date.now() + 3_600_000).toISOString(), allowPartial: true }),
    });
    // Act
    const bad = await call<{ message: string }>(api, 'POST', `/v1/campaigns/${created.body.id}/test`, {
      json: { phones: ['not a phone'] },
    });
    const notJson = await call(api, 'POST', `/v1/campaigns/${created.body.id}/test`, {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/phones\.0/);
    expect(notJson.status).toBe(400);
  });
});
