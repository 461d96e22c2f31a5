import { COUNTERS, type Counter } from './campaign';
import { maskEmail, maskPhone } from './mask';
import { TEHRAN_OFFSET_MINUTES } from './quiet-hours';
import type { Verdict } from './spoof-report';
import { CHANNELS, type Channel } from './types';

/**
 * Read models for the console: a campaign's counts per minute, the account's counts per Tehran
 * day, and spoof reports as a listing shows them. Pure: the adapters store the buckets, this
 * file names them and adds them up.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Shards (distinct partitions) the account's daily counters are spread over. */
export const ACCOUNT_SHARDS = 8;

/** Days the overview's longer period covers, today included. */
export const OVERVIEW_DAYS = 30;

/** The UTC minute `at` falls in, as the timeline's bucket key: `2026-12-02T13:41Z`. */
export function minuteBucket(at: Date): string {
  return `${new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS).toISOString().slice(0, 16)}Z`;
}

/** The Tehran calendar day (Gregorian, `YYYY-MM-DD`) `at` falls in; Iran keeps no summer time. */
export function tehranDay(at: Date): string {
  return new Date(at.getTime() + TEHRAN_OFFSET_MINUTES * MINUTE_MS).toISOString().slice(0, 10);
}

/** The `days` Tehran days ending with the one `now` falls in, oldest first. */
export function recentTehranDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, index) =>
    tehranDay(new Date(now.getTime() - (days - 1 - index) * DAY_MS)),
  );
}

/** Every day from `from` to `to` (`YYYY-MM-DD`, inclusive), at most 366. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); days.length < 366; at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    if (Number.isNaN(at) || day > to) break;
    days.push(day);
  }
  return days;
}

/** Midnight (Tehran) at the start of `day`, as an instant. */
export function tehranDayStart(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - TEHRAN_OFFSET_MINUTES * MINUTE_MS).toISOString();
}

/** One minute of a campaign's timeline: what was counted in it, by outcome. */
export type TimelinePoint = { readonly minute: string } & Readonly<Record<Counter, number>>;

/** Adds up a campaign's minute buckets (one per minute and stats shard) into points, oldest first. */
export function timelinePoints(
  buckets: readonly { readonly minute: string; readonly counts: Partial<Record<Counter, number>> }[],
): TimelinePoint[] {
  const byMinute = new Map<string, Record<Counter, number>>();
  for (const bucket of buckets) {
    let point = byMinute.get(bucket.minute);
    if (!point) {
      point = Object.fromEntries(COUNTERS.map((counter) => [counter, 0])) as Record<Counter, number>;
      byMinute.set(bucket.minute, point);
    }
    for (const counter of COUNTERS) point[counter] += bucket.counts[counter] ?? 0;
  }
  return [...byMinute.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([minute, counts]) => ({ minute, ...counts }));
}

/** The name of one daily send counter: `sms_sent`, `email_bounced` … */
export function dayCounter(channel: Channel, counter: Counter): string {
  return `${channel}_${counter}`;
}

/** The daily counter of opt-outs on a channel. */
export function optOutCounter(channel: Channel): string {
  return `${channel}_optOuts`;
}

/** The daily counter of spoof reports with a verdict. */
export function reportCounter(verdict: Verdict): string {
  return `reports_${verdict}`;
}

export const VERDICTS: readonly Verdict[] = ['spoofed', 'genuine', 'unverified'];

/** One Tehran day's counters, summed over the shards. */
export interface DayCounts {
  readonly day: string;
  readonly counts: Readonly<Record<string, number>>;
}

/** What one channel did over a period. */
export interface ChannelPeriod {
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly delivered: number;
  readonly undelivered: number;
  readonly bounced: number;
  readonly complained: number;
  readonly optOuts: number;
  /**
   * Of what was sent, the share known to have arrived: SMS delivered / sent (from the operator's
   * reports), email (sent − bounced) / sent (SES reports no delivery for every mail). Null before
   * anything was sent.
   */
  readonly deliveryRate: number | null;
}

export interface Period {
  /** First Tehran day of the period and its start as an instant. */
  readonly from: string;
  readonly to: string;
  readonly channels: Readonly<Record<Channel, ChannelPeriod>>;
  readonly spoofReports: { readonly total: number } & Readonly<Record<Verdict, number>>;
}

/** Sums the days of a period (given oldest first, any missing day counting nothing). */
export function periodOf(days: readonly DayCounts[], from: string, to: string): Period {
  const inPeriod = days.filter((day) => day.day >= from && day.day <= to);
  const sum = (name: string) => inPeriod.reduce((total, day) => total + (day.counts[name] ?? 0), 0);
  const channel = (name: Channel): ChannelPeriod => {
    const counts = Object.fromEntries(
      COUNTERS.map((counter) => [counter, sum(dayCounter(name, counter))]),
    ) as Record<Counter, number>;
    const arrived = name === 'sms' ? counts.delivered : counts.sent - counts.bounced;
    return {
      ...counts,
      optOuts: sum(optOutCounter(name)),
      deliveryRate:
        counts.sent > 0 ? Math.round((Math.max(0, arrived) / counts.sent) * 10_000) / 10_000 : null,
    };
  };
  const verdicts = Object.fromEntries(
    VERDICTS.map((verdict) => [verdict, sum(reportCounter(verdict))]),
  ) as Record<Verdict, number>;
  return {
    from,
    to,
    channels: Object.fromEntries(CHANNELS.map((name) => [name, channel(name)])) as Record<
      Channel,
      ChannelPeriod
    >,
    spoofReports: { total: VERDICTS.reduce((total, verdict) => total + verdicts[verdict], 0), ...verdicts },
  };
}

/** A spoof report as the listing shows it: the reporter masked, never a full phone or email. */
export interface ReportListItem {
  readonly id: string;
  readonly verdict: Verdict;
  readonly sender: string;
  readonly createdAt: string;
  readonly receivedAt?: string;
  readonly reporter: { readonly phone?: string; readonly email?: string } | null;
  /** Set once the reporter was erased: the report stays, who filed it does not. */
  readonly erased?: true;
}

/** A stored report as the `byVerdict` index holds it: no text, nothing the listing does not show. */
export interface SpoofReportSummary {
  readonly id: string;
  readonly verdict: Verdict;
  readonly sender: string;
  readonly createdAt: string;
  readonly receivedAt?: string;
  readonly reporterPhone?: string;
  readonly reporterEmail?: string;
  readonly erasedAt?: string;
}

/** The listing's view of a stored report: phone and email masked as logs mask them. */
export function reportListItem(report: SpoofReportSummary): ReportListItem {
  const reporter = {
    ...(report.reporterPhone ? { phone: maskPhone(report.reporterPhone) } : {}),
    ...(report.reporterEmail ? { email: maskEmail(report.reporterEmail) } : {}),
  };
  return {
    id: report.id,
    verdict: report.verdict,
    sender: report.sender,
    createdAt: report.createdAt,
    ...(report.receivedAt ? { receivedAt: report.receivedAt } : {}),
    reporter: Object.keys(reporter).length > 0 ? reporter : null,
    ...(report.erasedAt ? { erased: true as const } : {}),
  };
}
