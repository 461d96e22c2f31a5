import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/domain/webhook-signature';
import {
  call,
  eventually,
  headerOf,
  SMS_SENDER,
  type StoredEmail,
  sesEmails,
  simMessages,
  WEBHOOK_SECRET,
} from '../support/http';
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

interface CampaignView {
  id: string;
  status: string;
  stats: { total: number; queued: number; sent: number; failed: number; suppressed: number };
}

async function createCampaign(body: Record<string, unknown>): Promise<string> {
  const created = await call<{ id: string; status: string }>(api, 'POST', '/v1/campaigns', { json: body });
  expect(created.status, created.text).toBe(201);
  expect(created.body.status).toBe('scheduled');
  return created.body.id;
}

async function waitForStatus(id: string, status: string): Promise<CampaignView> {
  return eventually(async () => {
    const reply = await call<CampaignView>(api, 'GET', `/v1/campaigns/${id}`);
    return reply.body.status === status ? reply.body : undefined;
  }, `campaign ${id} to be ${status}`);
}

function emailsTo(emails: StoredEmail[], address: string, subject: string): StoredEmail[] {
  return emails.filter((email) => email.destination.to.includes(address) && email.subject === subject);
}

function signed(body: Record<string, unknown>, at = Math.floor(Date.now() / 1000)) {
  const raw = JSON.stringify(body);
  return {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-chapar-signature': signatureHeader(WEBHOOK_SECRET, at, raw),
    },
  };
}

describe('a marketer runs campaigns end to end', () => {
  const contacts = {
    sara: { phone: '۰۹۱۲ ۳۴۵ ۶۷۸۹', email: 'sara@example.com', name: 'سارا', locale: 'fa' },
    john: { phone: '+98 912 000 1111', email: 'john@example.com', name: 'John', locale: 'en' },
    nima: { phone: '0935-111-2233', email: 'nima@example.com', name: 'نیما' },
  };
  let unsubscribeUrl = '';

  it('answers health without a key and refuses the API without one', async () => {
    expect((await call(api, 'GET', '/health', { auth: false })).status).toBe(200);
    const refused = await call(api, 'PUT', '/v1/contacts/x', { json: { phone: '09120000000' }, auth: false });
    expect(refused.status).toBe(401);
  });

  it('stores contacts with normalised phone numbers', async () => {
    for (const [id, contact] of Object.entries(contacts)) {
      const reply = await call<{ phone: string; locale: string }>(api, 'PUT', `/v1/contacts/${id}`, {
        json: contact,
      });
      expect(reply.status, reply.text).toBe(200);
    }
    const sara = await call<{ phone: string; locale: string; ref?: string }>(api, 'GET', '/v1/contacts/sara');
    expect(sara.body.phone).toBe('+989123456789');
    expect(sara.body.locale).toBe('fa');
    expect(sara.body.ref).toBeUndefined();
  });

  it('refuses bad input with a 4xx naming the field, and keeps what was stored', async () => {
    const badPhone = await call<{ message: string; issues: { field: string }[] }>(
      api,
      'PUT',
      '/v1/contacts/sara',
      {
        json: { phone: '021-1234', email: 'sara@example.com' },
      },
    );
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.issues.map((issue) => issue.field)).toContain('phone');
    const notJson = await call(api, 'POST', '/v1/campaigns', {
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const missingSms = await call<{ issues: { field: string }[] }>(api, 'POST', '/v1/campaigns', {
      json: { name: 'x', topic: 'newsletter', channels: ['sms'], audience: { all: true } },
    });
    expect(missingSms.status).toBe(400);
    expect(missingSms.body.issues.map((issue) => issue.field)).toContain('sms');
    expect((await call(api, 'GET', '/v1/campaigns/nope')).status).toBe(404);
    const sara = await call<{ phone: string }>(api, 'GET', '/v1/contacts/sara');
    expect(sara.body.phone).toBe('+989123456789');
  });

  it('sends SMS from the verified line and email with one-click unsubscribe', async () => {
    const id = await createCampaign({
      name: 'Autumn',
      topic: 'newsletter',
      channels: ['sms', 'email'],
      audience: { all: true },
      sms: { text: '{{name}} عزیز، خبرنامه پاییز منتشر شد' },
      email: { subject: 'Autumn news for {{name}}', html: '<p>Hello {{name}}</p>' },
    });
    const done = await waitForStatus(id, 'sent');
    expect(done.stats).toMatchObject({ total: 6, sent: 6, failed: 0, suppressed: 0, queued: 0 });
    // Delivery status comes by polling sms/status, first a minute after the send.
    const reported = await eventually(
      async () => {
        const reply = await call<CampaignView & { stats: { delivered: number } }>(
          api,
          'GET',
          `/v1/campaigns/${id}`,
        );
        return reply.body.stats.delivered === 3 ? reply.body : undefined;
      },
      'the delivery status of the three SMS, by polling',
      100_000,
      1_000,
    );
    expect(reported.stats.delivered).toBe(3);

    const sms = (await simMessages(platform.kavenegarUrl)).filter((message) =>
      message.message.includes('خبرنامه پاییز'),
    );
    expect(sms).toHaveLength(3);
    expect(new Set(sms.map((message) => message.sender))).toEqual(new Set([SMS_SENDER]));
    // The campaign text, then the recipient's short unsubscribe link and the regulator's «لغو۱۱».
    expect(sms.map((message) => message.message)).toContainEqual(
      expect.stringMatching(/^سارا عزیز، خبرنامه پاییز منتشر شد\nhttp:\/\/\S+\/s\/[0-9A-Za-z]{10} لغو۱۱$/),
    );

    const emails = await sesEmails(platform.sesUrl);
    const [toSara] = emailsTo(emails, 'sara@example.com', 'Autumn news for سارا');
    expect(toSara).toBeDefined();
    const listUnsubscribe = headerOf(toSara as StoredEmail, 'List-Unsubscribe') ?? '';
    expect(listUnsubscribe).toMatch(/^<http.+\/u\/[^>]+>$/);
    expect(headerOf(toSara as StoredEmail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    unsubscribeUrl = listUnsubscribe.slice(1, -1);
    expect(toSara?.body.html).toContain(unsubscribeUrl);
    expect(toSara?.body.html).toContain('dir="rtl"');
    expect(unsubscribeUrl).not.toContain('sara');
  });

  it('shows a Persian, right-to-left confirm page on GET and changes nothing', async () => {
    const page = await call(api, 'GET', new URL(unsubscribeUrl).pathname, { auth: false });
    expect(page.status).toBe(200);
    expect(page.text).toContain('dir="rtl"');
    expect(page.text).toContain('لغو اشتراک');
    expect(page.text).toContain('<form method="post"');
  });

  it('refuses a forged or altered token with a 4xx', async () => {
    const path = new URL(unsubscribeUrl).pathname;
    // The second-to-last character is changed (the last one of a base64url MAC carries padding bits).
    const altered = `${path.slice(0, -2)}${path.at(-2) === 'A' ? 'B' : 'A'}${path.slice(-1)}`;
    expect(altered).not.toBe(path);
    expect(
      (await call(api, 'POST', altered, { body: 'List-Unsubscribe=One-Click', auth: false })).status,
    ).toBe(400);
    expect((await call(api, 'GET', '/u/not.a.token', { auth: false })).status).toBe(400);
  });

  it('honours a one-click unsubscribe, twice, without a redirect', async () => {
    const path = new URL(unsubscribeUrl).pathname;
    for (let i = 0; i < 2; i++) {
      const reply = await call(api, 'POST', path, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        auth: false,
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('location')).toBeNull();
    }
  });

  it('skips the unsubscribed contact on the next campaign and counts it suppressed', async () => {
    const id = await createCampaign({
      name: 'Winter',
      topic: 'newsletter',
      channels: ['email'],
      audience: { contactIds: ['sara', 'john', 'nima'] },
      email: { subject: 'Winter news', html: '<p>Hi {{name}}</p>' },
    });
    const done = await waitForStatus(id, 'sent');
    expect(done.stats).toMatchObject({ total: 3, sent: 2, suppressed: 1, failed: 0 });
    const emails = await sesEmails(platform.sesUrl);
    expect(emailsTo(emails, 'sara@example.com', 'Winter news')).toHaveLength(0);
    expect(emailsTo(emails, 'john@example.com', 'Winter news')).toHaveLength(1);
  });

  it('sends a scheduled campaign when its time comes, and cancels another', async () => {
    const soon = await createCampaign({
      name: 'Soon',
      topic: 'events',
      channels: ['sms'],
      audience: { contactIds: ['john'] },
      sms: { text: 'Event tonight' },
      sendAt: new Date(Date.now() + 2_000).toISOString(),
    });
    const later = await createCampaign({
      name: 'Later',
      topic: 'events',
      channels: ['sms'],
      audience: { all: true },
      sms: { text: 'Never sent' },
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const cancelled = await call<{ status: string }>(api, 'POST', `/v1/campaigns/${later}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call(api, 'POST', `/v1/campaigns/${later}/cancel`)).status).toBe(409);
    const done = await waitForStatus(soon, 'sent');
    expect(done.stats.sent).toBe(1);
    const sms = await simMessages(platform.kavenegarUrl);
    expect(sms.filter((message) => message.message.startsWith('Never sent\n'))).toHaveLength(0);
  });

  it('judges spoof reports: spoofed, genuine and unverified', async () => {
    const spoofed = await call<{ verdict: string; reportId: string }>(
      api,
      'POST',
      '/v1/reports/spoofed-sms',
      {
        ...signed({
          sender: '+989121112222',
          text: 'Win a prize: http://bad.example',
          reporter: { phone: '09123456789' },
        }),
        auth: false,
      },
    );
    expect(spoofed.status, spoofed.text).toBe(202);
    expect(spoofed.body.verdict).toBe('spoofed');
    const genuine = await call<{ verdict: string }>(api, 'POST', '/v1/reports/spoofed-sms', {
      ...signed({
        sender: `+98${SMS_SENDER}`,
        text: 'سارا عزیز، خبرنامه پاییز منتشر شد',
        reporter: { phone: '+989123456789' },
      }),
      auth: false,
    });
    expect(genuine.body.verdict).toBe('genuine');
    const unverified = await call<{ verdict: string }>(api, 'POST', '/v1/reports/spoofed-sms', {
      ...signed({
        sender: SMS_SENDER,
        text: 'A text we never sent to anyone at all',
        reporter: { phone: '09123456789' },
      }),
      auth: false,
    });
    expect(unverified.body.verdict).toBe('unverified');
    const abuse = await eventually(async () => {
      const emails = (await sesEmails(platform.sesUrl)).filter((email) =>
        email.destination.to.includes('abuse@chapar.local'),
      );
      return emails.length > 0 ? emails : undefined;
    }, 'the abuse email');
    expect(abuse[0]?.subject).toBe('Spoofed SMS from +989121112222: 1 report');
    expect(abuse[0]?.body.text).toContain(spoofed.body.reportId);
  });

  it('refuses unsigned, wrongly signed and stale reports with 401', async () => {
    const body = { sender: '1000', text: 'x' };
    const unsigned = await call(api, 'POST', '/v1/reports/spoofed-sms', { json: body, auth: false });
    expect(unsigned.status).toBe(401);
    const stale = signed(body, Math.floor(Date.now() / 1000) - 301);
    expect((await call(api, 'POST', '/v1/reports/spoofed-sms', { ...stale, auth: false })).status).toBe(401);
    const good = signed(body);
    const tampered = { body: good.body.replace('x', 'y'), headers: good.headers };
    expect((await call(api, 'POST', '/v1/reports/spoofed-sms', { ...tampered, auth: false })).status).toBe(
      401,
    );
    const badBody = signed({ sender: '' } as Record<string, unknown>);
    expect((await call(api, 'POST', '/v1/reports/spoofed-sms', { ...badBody, auth: false })).status).toBe(
      400,
    );
  });
});
