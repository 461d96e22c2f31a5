import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { newId } from '../../../shared/domain/ids';
import { tehranDay } from '../../../shared/domain/insights';
import type { SpoofReport, Verdict } from '../../../shared/domain/spoof-report';
import type {
  CampaignStore,
  ConsentStore,
  DeliveryStore,
  FeedbackStore,
  InsightsStore,
  ReportStore,
} from '../../../shared/ports';
import { sendingCampaign } from '../../fixtures/campaigns';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { type ApiHandler, call } from '../audiences/api';

let emulators: TestEmulators;
let api: ApiHandler;
let campaigns: CampaignStore;
let deliveries: DeliveryStore;
let feedback: FeedbackStore;
let consent: ConsentStore;
let reports: ReportStore;
let insights: InsightsStore;

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  deliveries = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);
  feedback = factory.feedbackStore(names.tables.deliveries, names.tables.campaigns);
  consent = factory.consentStore(names.tables.consent);
  reports = factory.reportStore(names.tables.reports);
  insights = factory.insightsStore({
    campaigns: names.tables.campaigns,
    consent: names.tables.consent,
    reports: names.tables.reports,
  });
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
});

/** Ends `count` deliveries of one queue message as `outcome`, returning what its run counts. */
async function endMessage(
  campaign: Campaign,
  channel: 'sms' | 'email',
  count: number,
  outcome: 'sent' | 'failed',
) {
  const messageId = `msg-${randomUUID()}`;
  const runId = `run-${randomUUID()}`;
  const ends = [];
  for (let i = 0; i < count; i++) {
    const key = { campaignId: campaign.id, contactId: `c${i}-${randomUUID().slice(0, 8)}`, channel };
    await deliveries.claim(key, new Date(), 60_000, runId);
    await deliveries.end(
      key,
      runId,
      { outcome, messageId, ...(outcome === 'sent' ? { recipient: 'a@example.com' } : {}) },
      new Date(),
    );
    ends.push({ key, end: { outcome, endedBy: { messageId, runId } } });
  }
  return ends;
}

type Timeline = { campaignId: string; points: ({ minute: string } & Record<string, number>)[] };

const sum = (timeline: Timeline, counter: string) =>
  timeline.points.reduce((total, point) => total + (point[counter] ?? 0), 0);

describe('GET /v1/campaigns/{campaignId}/timeline', () => {
  it('counts each queue message once per minute, however often its count is written', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, 5, { channels: ['email'] });
    const sent = await endMessage(campaign, 'email', 3, 'sent');
    const failed = await endMessage(campaign, 'email', 2, 'failed');

    // Act: each message counted, then counted again (a redelivery after the count landed)
    for (const message of [sent, failed]) {
      const ends = message.map((one) => one.end);
      await deliveries.countEnds(campaign.id, ends, new Date(), 'email');
      await deliveries.countEnds(campaign.id, ends, new Date(), 'email');
    }
    const bounced = sent[0]?.key;
    if (!bounced) throw new Error('no delivery');
    expect(await feedback.count(bounced, 'bounced', new Date())).toBe('counted');
    expect(await feedback.count(bounced, 'bounced', new Date())).toBe('duplicate');
    const reply = await call<Timeline>(api, 'GET /v1/campaigns/{campaignId}/timeline', {
      path: { campaignId: campaign.id },
    });

    // Assess: the minutes add up to exactly the campaign's stats
    expect(reply.status).toBe(200);
    const stats = (await campaigns.getWithStats(campaign.id))?.stats;
    expect({
      sent: sum(reply.body, 'sent'),
      failed: sum(reply.body, 'failed'),
      bounced: sum(reply.body, 'bounced'),
    }).toEqual({
      sent: 3,
      failed: 2,
      bounced: 1,
    });
    expect(stats).toMatchObject({ sent: 3, failed: 2, bounced: 1 });
    expect(reply.body.points[0]?.minute).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
  });

  it('buckets feedback by the minute it was learned, not the minute of the send', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, 1, { channels: ['email'] });
    const [sent] = await endMessage(campaign, 'email', 1, 'sent');
    if (!sent) throw new Error('no delivery');
    await deliveries.countEnds(campaign.id, [sent.end], new Date(), 'email');
    const learned = new Date('2026-12-02T10:07:30Z');

    // Act
    await feedback.count(sent.key, 'complained', learned);
    const reply = await call<Timeline>(api, 'GET /v1/campaigns/{campaignId}/timeline', {
      path: { campaignId: campaign.id },
    });
    const day = await insights.days('2026-12-02', '2026-12-02');

    // Assess
    expect(reply.body.points.find((point) => point.minute === '2026-12-02T10:07Z')).toMatchObject({
      complained: 1,
      sent: 0,
    });
    expect(sum(reply.body, 'complained')).toBe(1);
    expect(day[0]?.counts.email_complained).toBeGreaterThanOrEqual(1);
  });

  it('answers 404 for a campaign that does not exist, and for an id that is not one', async () => {
    // Act
    const missing = await call(api, 'GET /v1/campaigns/{campaignId}/timeline', {
      path: { campaignId: newId() },
    });
    const bad = await call(api, 'GET /v1/campaigns/{campaignId}/timeline', {
      path: { campaignId: 'x'.repeat(300) },
    });

    // Assess
    expect(missing.status).toBe(404);
    expect(bad.status).toBe(404);
  });
});

describe("the account's days", () => {
  it('keeps every count when many campaigns count at once on shared shards', async () => {
    // Prepare
    const today = tehranDay(new Date());
    const before = (await insights.days(today, today))[0]?.counts.sms_sent ?? 0;
    const running = await Promise.all(
      Array.from({ length: 6 }, () => sendingCampaign(campaigns, 4, { channels: ['sms'] })),
    );
    const messages = await Promise.all(running.map((campaign) => endMessage(campaign, 'sms', 4, 'sent')));

    // Act: all counted at the same time
    await Promise.all(
      running.map((campaign, index) =>
        deliveries.countEnds(
          campaign.id,
          (messages[index] ?? []).map((one) => one.end),
          new Date(),
          'sms',
        ),
      ),
    );

    // Assess
    const after = (await insights.days(today, today))[0]?.counts.sms_sent ?? 0;
    expect(after - before).toBe(24);
  });
});

function report(
  verdict: Verdict,
  at: number,
  reporter: { phone?: string; email?: string } = {},
): SpoofReport {
  return {
    id: newId(at),
    sender: verdict === 'spoofed' ? '+989001112233' : '50004001051233',
    text: 'متن پیامک',
    verdict,
    createdAt: new Date(at).toISOString(),
    ...(reporter.phone ? { reporterPhone: reporter.phone } : {}),
    ...(reporter.email ? { reporterEmail: reporter.email } : {}),
  };
}

type ReportList = {
  items: {
    id: string;
    verdict: string;
    sender: string;
    reporter: Record<string, string> | null;
    erased?: true;
  }[];
  cursor?: string;
};

describe('GET /v1/reports', () => {
  const start = Date.now() - 3_600_000;
  const stored = [
    report('spoofed', start + 1_000, { phone: '+989121110001' }),
    report('genuine', start + 2_000, { email: 'reporter@example.com' }),
    report('spoofed', start + 3_000),
    report('unverified', start + 4_000, { phone: '+989121110002', email: 'r2@example.com' }),
    report('spoofed', start + 5_000, { phone: '+989121110003' }),
  ];

  beforeAll(async () => {
    for (const one of stored) await reports.put(one, { awaitsDigest: one.verdict === 'spoofed' });
  });

  it('lists reports newest first with the reporter masked, and pages with the cursor', async () => {
    // Act
    const first = await call<ReportList>(api, 'GET /v1/reports', { query: { limit: '2' } });
    const second = await call<ReportList>(api, 'GET /v1/reports', {
      query: { limit: '10', cursor: first.body.cursor ?? '' },
    });

    // Assess
    expect(first.status).toBe(200);
    const ids = [...first.body.items, ...second.body.items].map((item) => item.id);
    expect(ids).toEqual([...stored].reverse().map((one) => one.id));
    expect(first.body.cursor).toBeDefined();
    expect(second.body.cursor).toBeUndefined();
    const text = JSON.stringify([first.body, second.body]);
    expect(text).not.toContain('1110001');
    expect(text).not.toContain('reporter@example.com');
    expect(text).not.toContain('متن');
    expect(first.body.items[0]?.reporter).toEqual({ phone: '+98912***03' });
  });

  it('filters by verdict', async () => {
    // Act
    const spoofed = await call<ReportList>(api, 'GET /v1/reports', { query: { verdict: 'spoofed' } });

    // Assess
    expect(spoofed.body.items.map((item) => item.id)).toEqual(
      stored
        .filter((one) => one.verdict === 'spoofed')
        .reverse()
        .map((one) => one.id),
    );
  });

  it('refuses a verdict, limit or cursor it does not know with a 400 naming it', async () => {
    // Act
    const verdict = await call<{ message: string }>(api, 'GET /v1/reports', { query: { verdict: 'fake' } });
    const limit = await call<{ message: string }>(api, 'GET /v1/reports', { query: { limit: '0' } });
    const cursor = await call<{ message: string }>(api, 'GET /v1/reports', {
      query: { cursor: 'bm90LWEtY3Vyc29y' },
    });
    const unknown = await call<{ message: string }>(api, 'GET /v1/reports', { query: { sort: 'asc' } });

    // Assess
    expect([verdict.status, limit.status, cursor.status, unknown.status]).toEqual([400, 400, 400, 400]);
    expect(verdict.body.message).toContain('verdict');
    expect(limit.body.message).toContain('limit');
    expect(cursor.body.message).toContain('cursor');
  });

  it('no longer shows a reporter once they are erased', async () => {
    // Prepare
    const phone = '+989121110009';
    const mine = report('unverified', start + 6_000, { phone });
    await reports.put(mine);
    const { personalDataStore } = await import('../../../shared/adapters/factory');
    const { names } = emulators;
    const personal = personalDataStore({
      contacts: names.tables.contacts,
      consent: names.tables.consent,
      deliveries: names.tables.deliveries,
      reports: names.tables.reports,
    });

    // Act
    await personal.scrubReports({ phone }, new Date());
    const listed = await call<ReportList>(api, 'GET /v1/reports', { query: { verdict: 'unverified' } });

    // Assess
    const item = listed.body.items.find((one) => one.id === mine.id);
    expect(item).toMatchObject({ reporter: null, erased: true });
  });
});

type OverviewBody = {
  today: { channels: Record<string, Record<string, number | null>>; spoofReports: Record<string, number> };
  last30Days: {
    channels: Record<string, Record<string, number | null>>;
    spoofReports: Record<string, number>;
  };
  sendingNow: { id: string; stats: { total: number } }[];
  smsCreditRial: number | null;
};

describe('GET /v1/overview', () => {
  it('adds opt-outs, reports and sends of today, lists the campaigns sending now, and leaves the credit null', async () => {
    // Prepare
    const before = await call<OverviewBody>(api, 'GET /v1/overview');
    const campaign = await sendingCampaign(campaigns, 2, { channels: ['sms'] });
    const ends = await endMessage(campaign, 'sms', 2, 'sent');
    await deliveries.countEnds(
      campaign.id,
      ends.map((one) => one.end),
      new Date(),
      'sms',
    );
    const at = new Date().toISOString();
    const optOut = {
      id: newId(),
      contactId: `overview-${randomUUID().slice(0, 8)}`,
      action: 'opt_out' as const,
      channel: 'sms' as const,
      topic: 'newsletter',
      source: 'link' as const,
      at,
      evidence: { linkCode: 'abcdefghij' },
    };
    await consent.record(optOut, { once: 'overview-opt-out' });
    // The same cause again: recorded once, counted once.
    await consent.record({ ...optOut, id: newId() }, { once: 'overview-opt-out' });
    await reports.put(report('spoofed', Date.now()));

    // Act
    const after = await call<OverviewBody>(api, 'GET /v1/overview');

    // Assess
    expect(after.status).toBe(200);
    const delta = (path: (body: OverviewBody) => number | null | undefined) =>
      (path(after.body) ?? 0) - (path(before.body) ?? 0);
    expect(delta((body) => body.today.channels.sms?.sent)).toBe(2);
    expect(delta((body) => body.last30Days.channels.sms?.sent)).toBe(2);
    expect(delta((body) => body.today.channels.sms?.optOuts)).toBe(1);
    expect(delta((body) => body.today.spoofReports.spoofed)).toBe(1);
    expect(after.body.sendingNow.map((one) => one.id)).toContain(campaign.id);
    expect(after.body.sendingNow.find((one) => one.id === campaign.id)?.stats.total).toBe(2);
    expect(after.body.smsCreditRial).toBeNull();
  });
});
