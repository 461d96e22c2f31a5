import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, SMS_SENDER, sesEmails, simMessages } from '../support/http';
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

interface TemplateView {
  id: string;
  version: number;
}

const contacts = {
  'tpl-sara': { phone: '0912 555 0101', email: 'tpl-sara@example.com', name: 'سارا', locale: 'fa' },
  'tpl-john': {
    phone: '0912 555 0102',
    email: 'tpl-john@example.com',
    name: 'John',
    locale: 'en',
    attributes: { city: 'Shiraz' },
  },
};
const SMS_TEMPLATE = {
  name: 'Yalda SMS',
  channel: 'sms',
  variants: { fa: { text: '{{name}} عزیز، یلدا مبارک' }, en: { text: 'Happy Yalda, {{name}} in {{city}}' } },
};
const EMAIL_TEMPLATE = {
  name: 'Yalda email',
  channel: 'email',
  variants: {
    fa: {
      subject: 'یلدای {{name}}',
      html: '<p>{{name}} عزیز، <a href="https://shop.example.ir/yalda">حراج یلدا</a></p>',
    },
    en: {
      subject: 'Yalda for {{name}}',
      html: '<p>Dear {{name}}, see <a href="https://shop.example.ir/yalda">the sale</a></p>',
    },
  },
};
const withoutCode = (sms: string) => sms.replace(/\/s\/[0-9A-Za-z]{10} /, '/s/<code> ');

async function createTemplate(body: unknown): Promise<TemplateView> {
  const reply = await call<TemplateView>(api, 'POST', '/v1/templates', { json: body });
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

describe('a marketer sends a campaign from templates in both locales', () => {
  let smsTemplate: TemplateView;
  let emailTemplate: TemplateView;
  let campaignId = '';

  it('stores contacts and the templates', async () => {
    for (const [id, contact] of Object.entries(contacts)) {
      expect((await call(api, 'PUT', `/v1/contacts/${id}`, { json: contact })).status).toBe(200);
    }
    smsTemplate = await createTemplate(SMS_TEMPLATE);
    emailTemplate = await createTemplate(EMAIL_TEMPLATE);
    const listed = await call<{ items: { id: string }[] }>(api, 'GET', '/v1/templates?limit=1000');
    expect(listed.body.items.map((item) => item.id)).toEqual(
      expect.arrayContaining([smsTemplate.id, emailTemplate.id]),
    );
  });

  it("sends each contact their locale's variant: fa right to left, en left to right", async () => {
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
      json: {
        name: 'Yalda',
        topic: 'promotions',
        channels: ['sms', 'email'],
        audience: { contactIds: Object.keys(contacts) },
        sms: { templateId: smsTemplate.id },
        email: { templateId: emailTemplate.id },
      },
    });
    expect(created.status, created.text).toBe(201);
    campaignId = created.body.id;
    // The template changes after the campaign was created: the campaign keeps version 1.
    const put = await call(api, 'PUT', `/v1/templates/${smsTemplate.id}`, {
      json: { name: 'Yalda SMS v2', variants: { fa: { text: 'نسخه دوم' } } },
    });
    expect(put.status).toBe(200);

    const sent = await eventually(async () => {
      const reply = await call<{ status: string; stats: { sent: number } }>(
        api,
        'GET',
        `/v1/campaigns/${campaignId}`,
      );
      return reply.body.status === 'sent' ? reply.body : undefined;
    }, 'the template campaign to be sent');
    expect(sent.stats.sent).toBe(4);
    const view = await call<{ templates?: unknown }>(api, 'GET', `/v1/campaigns/${campaignId}`);
    expect(view.body.templates).toEqual({
      sms: { id: smsTemplate.id, version: 1 },
      email: { id: emailTemplate.id, version: 1 },
    });

    const sms = (await simMessages(platform.kavenegarUrl)).filter(
      (message) => message.message.includes('Yalda') || message.message.includes('یلدا'),
    );
    expect(new Set(sms.map((message) => message.sender))).toEqual(new Set([SMS_SENDER]));
    const toSara = sms.find((message) => message.receptor.endsWith('9125550101'))?.message ?? '';
    const toJohn = sms.find((message) => message.receptor.endsWith('9125550102'))?.message ?? '';
    expect(toSara).toMatch(/^سارا عزیز، یلدا مبارک\nhttp:\/\/\S+\/s\/[0-9A-Za-z]{10} لغو۱۱$/);
    expect(toJohn).toMatch(/^Happy Yalda, John in Shiraz\nhttp:\/\/\S+\/s\/[0-9A-Za-z]{10} لغو۱۱$/);

    const emails = await sesEmails(platform.sesUrl);
    const saraMail = emails.find((email) => email.destination.to.includes('tpl-sara@example.com'));
    const johnMail = emails.find((email) => email.destination.to.includes('tpl-john@example.com'));
    expect(saraMail?.subject).toBe('یلدای سارا');
    expect(saraMail?.body.html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(saraMail?.body.text).toContain('حراج یلدا [https://shop.example.ir/yalda]');
    expect(johnMail?.subject).toBe('Yalda for John');
    expect(johnMail?.body.html).toMatch(/<html lang="en" dir="ltr">/);
    expect(johnMail?.body.text).toContain('the sale [https://shop.example.ir/yalda]');

    // The render of version 1 for John is what he got, but for his own link's code.
    const rendered = await call<{ sms: { text: string; encoding: string; segments: number } }>(
      api,
      'POST',
      `/v1/templates/${smsTemplate.id}/render`,
      { json: { contactId: 'tpl-john', version: 1 } },
    );
    expect(rendered.status, rendered.text).toBe(200);
    expect(withoutCode(rendered.body.sms.text)).toBe(withoutCode(toJohn));
    expect(rendered.body.sms.encoding).toBe('UCS-2');

    const renderedMail = await call<{ email: { subject: string; text: string } }>(
      api,
      'POST',
      `/v1/templates/${emailTemplate.id}/render`,
      { json: { contactId: 'tpl-sara' } },
    );
    expect(renderedMail.body.email.subject).toBe(saraMail?.subject);
  });

  it('refuses to delete a template a scheduled campaign uses, and deletes one whose campaigns ended', async () => {
    const scheduled = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
      json: {
        name: 'Later',
        topic: 'promotions',
        channels: ['email'],
        audience: { contactIds: ['tpl-sara'] },
        email: { templateId: emailTemplate.id },
        sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(scheduled.status, scheduled.text).toBe(201);

    const refused = await call<{ message: string }>(api, 'DELETE', `/v1/templates/${emailTemplate.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(scheduled.body.id);

    expect((await call(api, 'DELETE', `/v1/templates/${smsTemplate.id}`)).status).toBe(204);
    expect((await call(api, 'GET', `/v1/templates/${smsTemplate.id}`)).status).toBe(404);
    expect((await call(api, 'POST', `/v1/campaigns/${scheduled.body.id}/cancel`)).status).toBe(200);
    expect((await call(api, 'DELETE', `/v1/templates/${emailTemplate.id}`)).status).toBe(204);
  });

  it('answers bad input on the template routes with a 4xx and a message', async () => {
    const replies = await Promise.all([
      call<{ message: string }>(api, 'POST', '/v1/templates', {
        json: { name: 'x', channel: 'sms', variants: {} },
      }),
      call<{ message: string }>(api, 'POST', '/v1/templates', {
        body: '{not json',
        headers: { 'content-type': 'application/json' },
      }),
      call<{ message: string }>(api, 'POST', '/v1/templates', {
        json: { name: 'x', channel: 'sms', variants: { fa: { text: 'سلام {{user.name}}' } } },
      }),
      call<{ message: string }>(api, 'GET', '/v1/templates?limit=abc'),
      call<{ message: string }>(api, 'PUT', '/v1/templates/01JDV00000000000000000000Z', {
        json: SMS_TEMPLATE,
      }),
      call<{ message: string }>(api, 'POST', '/v1/templates/01JDV00000000000000000000Z/render', { json: {} }),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([400, 400, 400, 400, 404, 404]);
    for (const reply of replies) expect(reply.body.message.length).toBeGreaterThan(0);
  });
});
