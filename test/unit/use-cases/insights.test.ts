import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import type { DayCounts } from '../../../shared/domain/insights';
import type { InsightsStore, ReportListing, ReportPageRequest } from '../../../shared/ports';
import { listReports, overview } from '../../../shared/use-cases/insights';
import { campaignFixture } from '../../fixtures/campaigns';

const NOW = new Date('2026-12-02T21:00:00Z'); // 00:30 on 3 December in Tehran

function insights(overrides: Partial<InsightsStore> = {}): InsightsStore & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    timeline: async () => [],
    days: async (from, to) => {
      asked.push([from, to]);
      const days: DayCounts[] = [
        { day: '2026-12-02', counts: { sms_sent: 10, sms_delivered: 9 } },
        { day: '2026-12-03', counts: { sms_sent: 2, sms_delivered: 1, email_optOuts: 1 } },
      ];
      return days;
    },
    sendingCampaignIds: async () => [],
    ...overrides,
  };
}

const noReports: ReportListing = { list: async () => ({ items: [] }) };

describe('overview', () => {
  it('reads the Tehran days, today apart from the last 30', async () => {
    // Prepare
    const store = insights();

    // Act
    const answer = await overview({
      insights: store,
      reports: noReports,
      campaigns: { get: async () => undefined, getWithStats: async () => undefined },
      now: () => NOW,
    });

    // Assess
    expect(store.asked).toEqual([['2026-11-04', '2026-12-03']]);
    expect(answer.today.channels.sms).toMatchObject({ sent: 2, delivered: 1, deliveryRate: 0.5 });
    expect(answer.today.channels.email.optOuts).toBe(1);
    expect(answer.last30Days.channels.sms).toMatchObject({ sent: 12, delivered: 10 });
    expect(answer.today.since).toBe('2026-12-02T20:30:00.000Z');
  });

  it('gives the credit when a source answers, and null when it fails or is absent', async () => {
    // Prepare
    const base = {
      insights: insights(),
      reports: noReports,
      campaigns: { get: async () => undefined, getWithStats: async () => undefined },
      now: () => NOW,
    };

    // Act
    const absent = await overview(base);
    const known = await overview({ ...base, smsCredit: { smsCreditRial: async () => 1_250_000 } });
    const failing = await overview({
      ...base,
      smsCredit: {
        smsCreditRial: async () => {
          throw new Error('Kavenegar down');
        },
      },
    });

    // Assess
    expect([absent.smsCreditRial, known.smsCreditRial, failing.smsCreditRial]).toEqual([
      null,
      1_250_000,
      null,
    ]);
  });

  it('lists only campaigns still sending among those the index names', async () => {
    // Prepare
    const sending = campaignFixture({ status: 'sending' });
    const finished = campaignFixture({ status: 'sent' });
    const stats = {
      total: 1,
      queued: 0,
      cancelled: 0,
      sent: 1,
      failed: 0,
      suppressed: 0,
      delivered: 0,
      undelivered: 0,
      bounced: 0,
      complained: 0,
    };
    const byId = new Map([sending, finished].map((campaign) => [campaign.id, { campaign, stats }]));

    // Act
    const answer = await overview({
      insights: insights({ sendingCampaignIds: async () => [sending.id, finished.id, 'gone'] }),
      reports: noReports,
      campaigns: { get: async () => undefined, getWithStats: async (id) => byId.get(id) },
      now: () => NOW,
    });

    // Assess
    expect(answer.sendingNow.map((one) => one.id)).toEqual([sending.id]);
  });
});

describe('listReports', () => {
  it('passes the verdict, cursor and limit on, and masks every reporter', async () => {
    // Prepare
    const asked: ReportPageRequest[] = [];
    const reports: ReportListing = {
      list: async (page) => {
        asked.push(page);
        return {
          items: [
            {
              id: 'r1',
              verdict: 'spoofed',
              sender: '+989001112233',
              createdAt: NOW.toISOString(),
              reporterPhone: '+989121234567',
            },
          ],
          cursor: 'next',
        };
      },
    };

    // Act
    const page = await listReports({ reports }, { verdict: 'spoofed', cursor: 'abc', limit: '5' });

    // Assess
    expect(asked).toEqual([{ verdict: 'spoofed', cursor: 'abc', limit: 5 }]);
    expect(page).toEqual({
      items: [expect.objectContaining({ id: 'r1', reporter: { phone: '+98912***67' } })],
      cursor: 'next',
    });
  });

  it('refuses an unknown verdict or parameter with a ValidationError naming it', async () => {
    // Act and Assess
    await expect(listReports({ reports: noReports }, { verdict: 'all' })).rejects.toThrow(ValidationError);
    await expect(listReports({ reports: noReports }, { verdict: 'all' })).rejects.toThrow(/verdict/);
    await expect(listReports({ reports: noReports }, { order: 'asc' })).rejects.toThrow(/order/);
    await expect(listReports({ reports: noReports }, { limit: '1001' })).rejects.toThrow(
      /limit.*whole number from 1 to 1000/,
    );
    await expect(listReports({ reports: noReports }, { cursor: '' })).rejects.toThrow(
      /cursor.*must not be empty/,
    );
  });
});
