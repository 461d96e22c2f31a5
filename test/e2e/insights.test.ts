import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/domain/webhook-signature';
import { call, eventually, SMS_SENDER, WEBHOOK_SECRET } from '../support/http';
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

type Counts = Record<
  'sent' | 'failed' | 'suppressed' | 'delivered' | 'undelivered' | 'bounced' | 'complained',
  number
>;
type Timeline = { campaignId: string; points: ({ minute: string } & Counts)[] };
type CampaignView = { id: string; status: string; stats: Counts & { total: number } };
type ChannelPeriod = Counts & { optOuts: number; deliveryRate: number | null };
type Period = {
  channels: { sms: ChannelPeriod; email: ChannelPeriod };
  spoofReports: Record<'total' | 'spoofed' | 'genuine' | 'unverified', number>;
};
type OverviewBody = {
  today: Period;
  last30Days: Period;
  sendingNow: { id: string }[];
  smsCreditRial: number | null;
};
type ReportList = {
  items: { id: string; verdict: string; reporter: Record<string, string> | null }[];
  cursor?: string;
};

function signed(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  return {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-chapar-signature': signatureHeader(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), raw),
    },
    auth: false,
  };
}

const total = (timeline: Timeline, counter: keyof Counts) =>
  timeline.points.reduce((sum, point) => sum + point[counter], 0);

describe('the console read models over the running platform', () => {
  const people = [
    { id: 'ins-1', phone: '09121230001', email: 'ins1@example.com', name: 'سارا' },
    { id: 'ins-2', phone: '09121230002', email: 'ins2@example.com', name: 'Nima' },
    { id: 'ins-3', phone: '09121230003', email: 'ins3@example.com', name: 'آرش' },
  ];
  let campaignId = '';

  it('charts a campaign per minute, its sends and the SMS delivered learned by polling', async () => {
    // Prepare
    for (const { id, ...fields } of people) {
      const reply = await call(api, 'PUT', `/v1/contacts/${id}`, { json: fields });
      expect(reply.status, reply.text).toBe(200);
    }
    const before = await call<OverviewBody>(api, 'GET', '/v1/overview');
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
      json: {
        name: 'Insights',
        topic: 'newsletter',
        channels: ['sms', 'email'],
        audience: { contactIds: people.map((person) => person.id) },
        sms: { text: '{{name}} عزیز، خبرنامه' },
        email: { subject: 'خبرنامه', html: '<p>سلام {{name}}</p>' },
      },
    });
    expect(created.status, created.text).toBe(201);
    campaignId = created.body.id;

    // Act: wait for the sends, then for polling to learn the SMS delivered
    const campaign = await eventually(
      async () => {
        const reply = await call<CampaignView>(api, 'GET', `/v1/campaigns/${campaignId}`);
        return reply.body.status === 'sent' && reply.body.stats.delivered === 3 ? reply.body : undefined;
      },
      'the campaign sent and its SMS delivered',
      90_000,
    );
    const timeline = await call<Timeline>(api, 'GET', `/v1/campaigns/${campaignId}/timeline`);
    const after = await call<OverviewBody>(api, 'GET', '/v1/overview');

    // Assess: the minutes add up to the campaign's stats; the dashboard moved by as much
    expect(timeline.status).toBe(200);
    expect(total(timeline.body, 'sent')).toBe(campaign.stats.sent);
    expect(total(timeline.body, 'sent')).toBe(6);
    expect(total(timeline.body, 'delivered')).toBe(3);
    const minutes = timeline.body.points.map((point) => point.minute);
    expect([...minutes].sort()).toEqual(minutes);
    const sms = after.body.today.channels.sms;
    const email = after.body.today.channels.email;
    expect(sms.sent - before.body.today.channels.sms.sent).toBe(3);
    expect(email.sent - before.body.today.channels.email.sent).toBe(3);
    expect(sms.delivered - before.body.today.channels.sms.delivered).toBe(3);
    expect(after.body.last30Days.channels.sms.sent).toBeGreaterThanOrEqual(sms.sent);
    expect(after.body.smsCreditRial).toBeNull();
  });

  it('counts an opt-out and spoof reports on the dashboard, and lists the reports with the reporter masked', async () => {
    // Prepare
    const before = await call<OverviewBody>(api, 'GET', '/v1/overview');

    // Act
    const optOut = await call(api, 'POST', '/v1/contacts/ins-1/consent', {
      json: { action: 'opt_out', channel: 'email', topic: '*', evidence: { method: 'api' } },
    });
    const spoofed = await call<{ reportId: string; verdict: string }>(
      api,
      'POST',
      '/v1/reports/spoofed-sms',
      {
        ...signed({ sender: '+989121112222', text: 'Win a prize', reporter: { phone: '09121230002' } }),
      },
    );
    const unverified = await call<{ reportId: string }>(api, 'POST', '/v1/reports/spoofed-sms', {
      ...signed({ sender: SMS_SENDER, text: 'Never sent', reporter: { email: 'ins3@example.com' } }),
    });
    const after = await call<OverviewBody>(api, 'GET', '/v1/overview');
    const all = await call<ReportList>(api, 'GET', '/v1/reports');
    const onlySpoofed = await call<ReportList>(api, 'GET', '/v1/reports?verdict=spoofed&limit=1');

    // Assess
    expect(optOut.status, optOut.text).toBeLessThan(300);
    expect(spoofed.status, spoofed.text).toBe(202);
    expect(after.body.today.channels.email.optOuts - before.body.today.channels.email.optOuts).toBe(1);
    expect(after.body.today.spoofReports.total - before.body.today.spoofReports.total).toBe(2);
    expect(after.body.today.spoofReports.spoofed - before.body.today.spoofReports.spoofed).toBe(1);
    expect(all.status).toBe(200);
    expect(all.body.items.slice(0, 2).map((item) => item.id)).toEqual([
      unverified.body.reportId,
      spoofed.body.reportId,
    ]);
    expect(all.body.items[1]?.reporter).toEqual({ phone: '+98912***02' });
    expect(all.text).not.toContain('1230002');
    expect(all.text).not.toContain('ins3@example.com');
    expect(onlySpoofed.body.items.map((item) => item.verdict)).toEqual(['spoofed']);
  });

  it('answers bad input on the new routes with a 4xx, never a 5xx', async () => {
    // Act
    const replies = await Promise.all([
      call(api, 'GET', '/v1/reports?verdict=maybe'),
      call(api, 'GET', '/v1/reports?limit=abc'),
      call(api, 'GET', '/v1/reports?cursor=%25%25%25'),
      call(api, 'GET', '/v1/campaigns/not-a-campaign/timeline'),
      call(api, 'GET', '/v1/overview', { auth: false }),
    ]);

    // Assess
    expect(replies.map((reply) => reply.status)).toEqual([400, 400, 400, 404, 401]);
  });
});
