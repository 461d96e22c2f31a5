import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCampaign } from '../support/campaigns';
import { call, sesEmails } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let api: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

describe('content that would only fail later is refused up front, or rendered harmless', () => {
  it.each(['9125550003', '0912_555_0004', 'tel:09125550004', '09125550004x', 'sara@example'])(
    'answers 400 to the contact id %s: a phone or an email can be read in it',
    async (id) => {
      // Act
      const reply = await call<{ message?: string }>(api, 'PUT', `/v1/contacts/${encodeURIComponent(id)}`, {
        json: { email: 'someone@example.com' },
      });

      // Assess
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.message).toMatch(/must not contain (a phone number|an email address)/);
    },
  );

  it.each(['/v1/campaigns/preview', '/v1/campaigns'])(
    'answers 400 at %s to 500 emoji, which no SMS could carry',
    async (path) => {
      // Prepare
      const body = {
        name: 'emoji',
        topic: 'newsletter',
        channels: ['sms'],
        audience: { all: true },
        sms: { text: '😀'.repeat(500) },
      };

      // Act
      const reply = await call<{ message?: string }>(api, 'POST', path, { json: body });

      // Assess
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.message).toContain('this one is 1000');
    },
  );

  it('sends a campaign email whose contact values carry a javascript: link and a CR/LF', async () => {
    // Prepare
    const contact = await call(api, 'PUT', '/v1/contacts/bad-content-1', {
      json: {
        email: 'bad-content@example.com',
        locale: 'en',
        attributes: { site: 'javascript:alert(1)', city: 'Tehran\r\nBcc: all@victim.test' },
      },
    });
    expect(contact.status, contact.text).toBe(200);

    // Act
    const campaign = await runCampaign(api, {
      name: 'bad content',
      topic: 'newsletter',
      channels: ['email'],
      audience: { contactIds: ['bad-content-1'] },
      email: { subject: 'News for {{city}}', html: '<p><a href="{{site}}">our site</a></p>' },
    });

    // Assess
    expect(campaign.stats).toMatchObject({ total: 1, sent: 1 });
    const emails = (await sesEmails(platform.sesUrl)).filter((email) =>
      email.destination.to.includes('bad-content@example.com'),
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe('News for Tehran Bcc: all@victim.test');
    expect(emails[0]?.body.html).toContain('<a href="#">our site</a>');
    expect(emails[0]?.body.html).not.toContain('javascript:');
  });
});
