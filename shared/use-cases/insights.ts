import * as z from 'zod/mini';
import type { CampaignStats } from '../domain/campaign';
import { NotFoundError } from '../domain/errors';
import {
  OVERVIEW_DAYS,
  type Period,
  periodOf,
  type ReportListItem,
  recentTehranDays,
  reportListItem,
  type TimelinePoint,
  tehranDay,
  tehranDayStart,
  timelinePoints,
} from '../domain/insights';
import { parseMini } from '../domain/mini-validation';
import { cursorField, DEFAULT_PAGE_LIMIT, limitField, MAX_PAGE_LIMIT } from '../domain/paging';
import type { Channel } from '../domain/types';
import type { CampaignStore, InsightsStore, ReportListing, SmsCreditSource } from '../ports';

/** The campaign routes' id rule: a ULID; anything else is simply not found. */
const CAMPAIGN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Campaigns the overview lists as sending now, at most. */
export const SENDING_NOW_LIMIT = 20;

/** `GET /v1/reports`' query: every value a string, as API Gateway passes them. */
export const reportQuerySchema = z.strictObject({
  verdict: z.optional(
    z.enum(['spoofed', 'genuine', 'unverified'], 'must be one of spoofed, genuine, unverified'),
  ),
  cursor: cursorField(),
  limit: limitField(MAX_PAGE_LIMIT),
});

export interface InsightsDeps {
  readonly insights: InsightsStore;
  readonly reports: ReportListing;
  readonly campaigns: Pick<CampaignStore, 'get' | 'getWithStats'>;
  readonly now: () => Date;
  /** Kavenegar's remaining credit (account/info), when that adapter is wired in; null otherwise. */
  readonly smsCredit?: SmsCreditSource;
}

/** Spoof reports newest first, optionally of one verdict, with each reporter masked. */
export async function listReports(
  deps: Pick<InsightsDeps, 'reports'>,
  query: Readonly<Record<string, string | undefined>> | undefined,
): Promise<{ items: ReportListItem[]; cursor?: string }> {
  const parsed = parseMini(reportQuerySchema, { ...query }, 'query');
  const page = await deps.reports.list({
    limit: parsed.limit === undefined ? DEFAULT_PAGE_LIMIT : Number(parsed.limit),
    ...(parsed.verdict ? { verdict: parsed.verdict } : {}),
    ...(parsed.cursor ? { cursor: parsed.cursor } : {}),
  });
  return { items: page.items.map(reportListItem), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** A campaign's counts per minute by outcome, oldest first; minutes that counted nothing are absent. */
export async function campaignTimeline(
  deps: Pick<InsightsDeps, 'insights' | 'campaigns'>,
  campaignId: string,
): Promise<{ campaignId: string; points: TimelinePoint[] }> {
  const [campaign, buckets] = CAMPAIGN_ID.test(campaignId)
    ? await Promise.all([deps.campaigns.get(campaignId), deps.insights.timeline(campaignId)])
    : [undefined, []];
  if (!campaign) throw new NotFoundError(`Campaign ${campaignId.slice(0, 40)} not found`);
  return { campaignId, points: timelinePoints(buckets) };
}

export interface SendingCampaign {
  readonly id: string;
  readonly name: string;
  readonly channels: readonly Channel[];
  readonly sendAt: string;
  readonly stats: CampaignStats;
}

export interface Overview {
  /** When the figures were read, and the day boundaries (Tehran) they use. */
  readonly at: string;
  readonly timeZone: 'Asia/Tehran';
  readonly today: Period & { readonly since: string };
  readonly last30Days: Period & { readonly since: string };
  readonly sendingNow: readonly SendingCampaign[];
  /** Kavenegar credit in Rial; null when the credit source is not wired in or did not answer. */
  readonly smsCreditRial: number | null;
}

/**
 * The dashboard: today (Tehran day) and the last 30 days per channel from the account's daily
 * counters (a Query per shard and table, no scan), the campaigns sending now with their stats,
 * and the SMS credit when a source for it is given.
 */
export async function overview(deps: InsightsDeps): Promise<Overview> {
  const now = deps.now();
  const days = recentTehranDays(now, OVERVIEW_DAYS);
  const first = days[0] ?? tehranDay(now);
  const today = tehranDay(now);
  const [counts, sendingIds, smsCreditRial] = await Promise.all([
    deps.insights.days(first, today),
    deps.insights.sendingCampaignIds(SENDING_NOW_LIMIT),
    creditOf(deps.smsCredit),
  ]);
  const sending = await Promise.all(sendingIds.map((id) => deps.campaigns.getWithStats(id)));
  return {
    at: now.toISOString(),
    timeZone: 'Asia/Tehran',
    today: { ...periodOf(counts, today, today), since: tehranDayStart(today) },
    last30Days: { ...periodOf(counts, first, today), since: tehranDayStart(first) },
    sendingNow: sending
      .filter((found) => found !== undefined && found.campaign.status === 'sending')
      .map((found) => {
        const { campaign, stats } = found as NonNullable<typeof found>;
        return {
          id: campaign.id,
          name: campaign.name,
          channels: campaign.channels,
          // Only a campaign with a sendAt is ever dispatched (a held one has none).
          sendAt: campaign.sendAt ?? campaign.createdAt,
          stats,
        };
      }),
    smsCreditRial,
  };
}

/** The credit, or null: the dashboard still answers when the provider does not. */
async function creditOf(source: SmsCreditSource | undefined): Promise<number | null> {
  if (!source) return null;
  try {
    return await source.smsCreditRial();
  } catch {
    return null;
  }
}
