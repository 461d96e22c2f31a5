import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, sesEmails } from '../support/http';
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
  stats: Record<'total' | 'sent' | 'failed' | 'suppressed' | 'bounced' | 'complained', number>;
}

/** SES's mailbox simulator: each address answers as its name says. */
const contacts = {
  bouncer: 'bounce@simulator.amazonses.com',
  complainer: 'complaint@simulator.amazonses.com',
  reader: 'success@simulator.amazonses.com',
};

async function emailCampaign(topic: string, subject: string): Promise<string> {
  const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
    json: {
      name: subject,
      topic,
      channels: ['email'],
      audience: { contactIds: Object.keys(contacts) },
      email: { subject, html: '<p>Hello {{name}}</p>' },
    },
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

async function campaignWhen(id: string, what: string, done: (view: CampaignView) => boolean) {
  return eventually(async () => {
    const reply = await call<CampaignView>(api, 'GET', `/v1/campaigns/${id}`);
    return done(reply.body) ? reply.body : undefined;
  }, `campaign ${id}: ${what}`);
}

describe('SES bounces and complaints on the local platform', () => {
  it('counts the simulator bounce and complaint in the campaign stats', async () => {
    // Prepare
    for (const [id, email] of Object.entries(contacts)) {
      const reply = await call(api, 'PUT', `/v1/contacts/${id}`, { json: { email, locale: 'en', name: id } });
      expect(reply.status, reply.text).toBe(200);
    }

    // Act
    const id = await emailCampaign('newsletter', 'Simulated news');

    // Assess
    const view = await campaignWhen(
      id,
      'sent with one bounce and one complaint',
      (campaign) =>
        campaign.status === 'sent' && campaign.stats.bounced === 1 && campaign.stats.complained === 1,
    );
    expect(view.stats).toMatchObject({
      total: 3,
      sent: 3,
      failed: 0,
      suppressed: 0,
      bounced: 1,
      complained: 1,
    });
  });

  it('suppresses both addresses on the next campaign, whatever its topic', async () => {
    // Act
    const id = await emailCampaign('promotions', 'Simulated offer');

    // Assess
    const view = await campaignWhen(id, 'sent', (campaign) => campaign.status === 'sent');
    expect(view.stats).toMatchObject({ total: 3, sent: 1, suppressed: 2, bounced: 0, complained: 0 });
    const offers = (await sesEmails(platform.sesUrl)).filter((email) => email.subject === 'Simulated offer');
    expect(offers.map((email) => email.destination.to)).toEqual([[contacts.reader]]);
  });
});
