import * as z from 'zod/mini';
import {
  type Audience,
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignStats,
  type CampaignStatus,
} from './campaign';
import { parseMini, schema } from './mini-validation';
import { cursorField, limitField } from './paging';
import { clockOf, type QuietHours } from './quiet-hours';
import './zod-english';

/**
 * What a listing shows of an audience: its kind and size, or the lists and segment it names
 * (ids of Chapar's own, nothing personal). Contact ids are only counted.
 */
export type AudienceSummary =
  | { readonly kind: 'all'; readonly excludeListIds?: readonly string[] }
  | { readonly kind: 'contacts'; readonly contacts: number; readonly excludeListIds?: readonly string[] }
  | {
      readonly kind: 'lists';
      readonly listIds: readonly string[];
      readonly excludeListIds?: readonly string[];
    }
  | { readonly kind: 'segment'; readonly segmentId: string; readonly excludeListIds?: readonly string[] };

export function audienceSummary(audience: Audience): AudienceSummary {
  const exclude = audience.exclude ? { excludeListIds: audience.exclude.listIds } : {};
  if ('contactIds' in audience) return { kind: 'contacts', contacts: audience.contactIds.length, ...exclude };
  if ('listIds' in audience) return { kind: 'lists', listIds: audience.listIds, ...exclude };
  if ('segmentId' in audience) return { kind: 'segment', segmentId: audience.segmentId, ...exclude };
  return { kind: 'all', ...exclude };
}

/** Why a campaign's messages are held back now, and until when. */
export interface Waiting {
  readonly reason: 'quiet_hours';
  /** The instant the window ends (ISO-8601, UTC). */
  readonly until: string;
}

/**
 * SMS of a sending campaign wait while quiet hours are in force (the senders defer them to the
 * window's end): said so while some of its recipients are still queued.
 */
export function campaignWaiting(
  campaign: Pick<Campaign, 'status' | 'channels'>,
  stats: Pick<CampaignStats, 'queued'> | undefined,
  hours: QuietHours,
  now: Date,
): Waiting | undefined {
  if (campaign.status !== 'sending' || !campaign.channels.includes('sms')) return undefined;
  if (stats !== undefined && stats.queued === 0) return undefined;
  if (!hours.isQuiet(now)) return undefined;
  return { reason: 'quiet_hours', until: hours.nextAllowed(now).toISOString() };
}

/** A preview's warning: a code for programs and a sentence for people. */
export interface PreviewWarning {
  readonly code: string;
  readonly message: string;
}

/**
 * When a campaign's SMS will actually go if it starts at `startsAt`, and the warning when that
 * is later (quiet hours).
 */
export function smsTiming(
  hours: QuietHours,
  startsAt: Date,
): { smsStartsAt: string; warning?: PreviewWarning } {
  const smsStartsAt = hours.nextAllowed(startsAt);
  if (smsStartsAt.getTime() === startsAt.getTime() || !hours.window) {
    return { smsStartsAt: startsAt.toISOString() };
  }
  const window = `${clockOf(hours.window.start)}-${clockOf(hours.window.end)} Tehran time`;
  return {
    smsStartsAt: smsStartsAt.toISOString(),
    warning: {
      code: 'quiet_hours',
      message:
        `sendAt ${startsAt.toISOString()} falls in quiet hours (${window}): the email goes then, ` +
        `the SMS wait until ${smsStartsAt.toISOString()}`,
    },
  };
}

/** Campaigns a listing page answers unless asked, and at most (each read with its stats). */
export const CAMPAIGN_PAGE_LIMIT = 20;
export const MAX_CAMPAIGN_PAGE_LIMIT = 100;

export interface CampaignListQuery {
  readonly status?: CampaignStatus;
  readonly cursor?: string;
  readonly limit: number;
}

const listQuerySchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    status: z.optional(z.enum(CAMPAIGN_STATUSES)),
    cursor: cursorField(),
    limit: limitField(MAX_CAMPAIGN_PAGE_LIMIT),
  }),
);

/** The query of `GET /v1/campaigns`, as the OpenAPI document states it. */
export const campaignListQuerySchema = listQuerySchema;

/** `?status=&cursor=&limit=`, or a ValidationError naming the parameter (unknown ones too). */
export function parseCampaignListQuery(
  query: Readonly<Record<string, string | undefined>> | undefined,
): CampaignListQuery {
  const parsed = parseMini(listQuerySchema, { ...query }, 'query');
  return {
    limit: parsed.limit === undefined ? CAMPAIGN_PAGE_LIMIT : Number(parsed.limit),
    ...(parsed.status ? { status: parsed.status } : {}),
    ...(parsed.cursor ? { cursor: parsed.cursor } : {}),
  };
}
