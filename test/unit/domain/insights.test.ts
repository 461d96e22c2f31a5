import { describe, expect, it } from 'vitest';
import {
  dayCounter,
  minuteBucket,
  optOutCounter,
  periodOf,
  recentTehranDays,
  reportCounter,
  reportListItem,
  tehranDay,
  tehranDayStart,
  timelinePoints,
} from '../../../shared/domain/insights';

describe('minuteBucket', () => {
  it('floors an instant to its UTC minute', () => {
    // Act
    const bucket = minuteBucket(new Date('2026-12-02T13:41:59.999Z'));

    // Assess
    expect(bucket).toBe('2026-12-02T13:41Z');
  });
});

describe('tehranDay', () => {
  it('turns the day at Tehran midnight (20:30 UTC), not at UTC midnight', () => {
    // Act and Assess
    expect(tehranDay(new Date('2026-12-02T20:29:59Z'))).toBe('2026-12-02');
    expect(tehranDay(new Date('2026-12-02T20:30:00Z'))).toBe('2026-12-03');
    expect(tehranDayStart('2026-12-03')).toBe('2026-12-02T20:30:00.000Z');
  });

  it('lists the last 30 Tehran days, today last', () => {
    // Act
    const days = recentTehranDays(new Date('2026-12-02T21:00:00Z'), 30);

    // Assess
    expect(days).toHaveLength(30);
    expect(days.at(-1)).toBe('2026-12-03');
    expect(days[0]).toBe('2026-11-04');
    expect(new Set(days).size).toBe(30);
  });
});

describe('timelinePoints', () => {
  it('adds up the shards of each minute and orders the minutes', () => {
    // Prepare
    const buckets = [
      { minute: '2026-12-02T13:42Z', counts: { sent: 3 } },
      { minute: '2026-12-02T13:41Z', counts: { sent: 2, failed: 1 } },
      { minute: '2026-12-02T13:41Z', counts: { sent: 5, delivered: 4 } },
    ];

    // Act
    const points = timelinePoints(buckets);

    // Assess
    expect(points).toEqual([
      {
        minute: '2026-12-02T13:41Z',
        sent: 7,
        failed: 1,
        suppressed: 0,
        delivered: 4,
        undelivered: 0,
        bounced: 0,
        complained: 0,
      },
      {
        minute: '2026-12-02T13:42Z',
        sent: 3,
        failed: 0,
        suppressed: 0,
        delivered: 0,
        undelivered: 0,
        bounced: 0,
        complained: 0,
      },
    ]);
  });
});

describe('periodOf', () => {
  const days = [
    {
      day: '2026-11-30',
      counts: {
        [dayCounter('sms', 'sent')]: 10,
        [dayCounter('sms', 'delivered')]: 8,
        [reportCounter('spoofed')]: 2,
      },
    },
    {
      day: '2026-12-02',
      counts: {
        [dayCounter('sms', 'sent')]: 4,
        [dayCounter('sms', 'delivered')]: 1,
        [dayCounter('email', 'sent')]: 200,
        [dayCounter('email', 'bounced')]: 5,
        [dayCounter('email', 'complained')]: 1,
        [optOutCounter('email')]: 3,
        [reportCounter('genuine')]: 1,
      },
    },
  ];

  it('sums only the days of the period, per channel, with delivery rates', () => {
    // Act
    const today = periodOf(days, '2026-12-02', '2026-12-02');
    const month = periodOf(days, '2026-11-03', '2026-12-02');

    // Assess
    expect(today.channels.sms).toMatchObject({ sent: 4, delivered: 1, deliveryRate: 0.25 });
    expect(today.channels.email).toMatchObject({
      sent: 200,
      bounced: 5,
      complained: 1,
      optOuts: 3,
      deliveryRate: 0.975,
    });
    expect(today.spoofReports).toEqual({ total: 1, spoofed: 0, genuine: 1, unverified: 0 });
    expect(month.channels.sms).toMatchObject({ sent: 14, delivered: 9 });
    expect(month.spoofReports.total).toBe(3);
  });

  it('gives no delivery rate before anything was sent', () => {
    // Act
    const empty = periodOf([], '2026-12-02', '2026-12-02');

    // Assess
    expect(empty.channels.sms.deliveryRate).toBeNull();
    expect(empty.channels.email.sent).toBe(0);
  });
});

describe('reportListItem', () => {
  it('never shows a full phone or email of the reporter', () => {
    // Act
    const item = reportListItem({
      id: '01JD0000000000000000000000',
      verdict: 'spoofed',
      sender: '+989000000000',
      createdAt: '2026-12-02T10:00:00.000Z',
      reporterPhone: '+989121234567',
      reporterEmail: 'sara@example.com',
    });

    // Assess
    expect(item.reporter).toEqual({ phone: '+98912***67', email: 's***@e***.com' });
    expect(JSON.stringify(item)).not.toContain('1234567');
    expect(JSON.stringify(item)).not.toContain('sara@');
  });

  it('shows an erased reporter as none', () => {
    // Act
    const item = reportListItem({
      id: '01JD0000000000000000000000',
      verdict: 'unverified',
      sender: '50004001051233',
      createdAt: '2026-12-02T10:00:00.000Z',
      erasedAt: '2026-12-02T11:00:00.000Z',
    });

    // Assess
    expect(item).toMatchObject({ reporter: null, erased: true });
  });
});
