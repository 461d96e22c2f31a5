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
  /** E.g. the credit could not be read, or `allowPartial` let a campaign the credit does not cover through. */
  warnings: z.optional(z.array(z.string())),
});

export const campaignStatusSchema = z.object({
  id: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  pausedReason: z.optional(z.string()),
});

/**
 * The `cost` of a campaign preview (POST /v1/campaigns/preview), for the document of that route:
 * the SMS recipients (phone, not opted out), their parts in all (recipients × the parts of the
 * final text for a representative contact) and the Rial they cost (parts × CHAPAR_SMS_PRICE_RIAL),
 * against the Kavenegar account's remaining credit (account/info, read at most every 30 s).
 * `creditRial` and `enough` are null, with a `warning`, when Kavenegar could not be asked;
 * `complete: false` when the audience was too large to read whole (the cost is then a lower bound).
 */
export const campaignCostSchema = z.object({
  sms: z.object({ recipients: z.number(), segments: z.number(), rial: z.number() }),
  creditRial: z.nullable(z.number()),
  enough: z.nullable(z.boolean()),
  complete: z.optional(z.literal(false)),
  warning: z.optional(z.string()),
});

/** The 409 POST /v1/campaigns answers when the SMS cost more than the credit (no allowPartial). */
export const creditRefusalSchema = z.object({
  message: z.string(),
  cost: z.object({ recipients: z.number(), segments: z.number(), rial: z.number() }),
  creditRial: z.number(),
});

export const CAMPAIGN_COST_DESCRIPTION =
  'Pre-flight cost: the preview answers `cost: {sms: {recipients, segments, rial}, creditRial, enough}`: ' +
  'the SMS recipients (a phone, not opted out of the topic), their parts in all and their price in Rial ' +
  '(parts × CHAPAR_SMS_PRICE_RIAL, the price of one part on the line type), against the Kavenegar ' +
  "account's remaining credit (account/info, cached 30 s). When Kavenegar cannot be asked, `creditRial` " +
  'and `enough` are null with a `warning`, and creation is allowed with that warning. POST /v1/campaigns ' +
  'refuses with 409 `{message, cost, creditRial}` a campaign whose SMS cost more than the credit, ' +
  'unless the body says `allowPartial: true` (it then sends until the credit runs out and pauses as ' +
  '`kavenegar:418`; the 201 carries a warning).';

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
  /** With SMS: their cost against Kavenegar's remaining credit (CAMPAIGN_COST_DESCRIPTION). */
  cost: z.optional(campaignCostSchema),
});
