/** The shapes the campaign routes answer with, as the OpenAPI document states them. */
import * as z from 'zod/mini';
import { CAMPAIGN_STATUSES } from '../../domain/campaign';
import { CHANNELS } from '../../domain/types';

const isoInstant = z.iso.datetime({ offset: true });
const excludeListIds = z.optional(z.array(z.string()));

export const campaignStatsSchema = z.object({
  total: z.number(),
  queued: z.number(),
  cancelled: z.number(),
  sent: z.number(),
  failed: z.number(),
  suppressed: z.number(),
  delivered: z.number(),
  undelivered: z.number(),
  bounced: z.number(),
  complained: z.number(),
  expectedSegments: z.optional(z.number()),
});

/** An audience as a campaign view shows it: its kind and size, never a contact. */
export const audienceSummarySchema = z.union([
  z.object({ kind: z.literal('all'), excludeListIds }),
  z.object({ kind: z.literal('contacts'), contacts: z.number(), excludeListIds }),
  z.object({ kind: z.literal('lists'), listIds: z.array(z.string()), excludeListIds }),
  z.object({ kind: z.literal('segment'), segmentId: z.string(), excludeListIds }),
]);

export const waitingSchema = z.object({ reason: z.literal('quiet_hours'), until: isoInstant });

/** A campaign as GET /v1/campaigns/{id}, the listing, PATCH and duplicate answer it. */
export const campaignViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  topic: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  pausedReason: z.optional(z.string()),
  resumeAfter: z.optional(isoInstant),
  /** null: held (a duplicate not scheduled yet); it sends only once a PATCH gives it a sendAt. */
  sendAt: z.nullable(isoInstant),
  channels: z.array(z.enum(CHANNELS)),
  audience: audienceSummarySchema,
  sms: z.optional(
    z.object({ encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number(), segments: z.number() }),
  ),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  dispatchedAt: z.optional(isoInstant),
  stats: z.optional(campaignStatsSchema),
  waiting: z.optional(waitingSchema),
  /** GET /v1/campaigns/{id} only: failed deliveries counted by the kind of their reason. */
  failures: z.optional(z.record(z.string(), z.number())),
});

export const campaignPageSchema = z.object({
  items: z.array(campaignViewSchema),
  cursor: z.optional(z.string()),
});

export const campaignCreatedSchema = z.object({
  id: z.string(),
  status: z.literal('scheduled'),
  sendAt: isoInstant,
});

export const campaignStatusSchema = z.object({
  id: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  pausedReason: z.optional(z.string()),
});

const reachSchema = z.object({ reachable: z.number(), notOptedOut: z.number() });

export const campaignPreviewSchema = z.object({
  sms: z.optional(
    z.object({
      encoding: z.enum(['GSM-7', 'UCS-2']),
      characters: z.number(),
      segments: z.number(),
      perSegment: z.number(),
      sample: z.string(),
    }),
  ),
  audience: z.optional(z.number()),
  reach: z.optional(z.object({ sms: z.optional(reachSchema), email: z.optional(reachSchema) })),
  audienceComplete: z.optional(z.literal(false)),
  smsStartsAt: z.optional(isoInstant),
  warnings: z.optional(z.array(z.object({ code: z.string(), message: z.string() }))),
});
