import * as z from 'zod/mini';
import { contactIdProblem } from './ids';
import { schema } from './mini-validation';
import { templateProblem } from './placeholders';
import { smsLength } from './sms-segments';
import { MAX_SMS_BODY_LENGTH } from './sms-text';
import type { EmailVariant, SmsVariant, TemplateUse } from './template';
import { CHANNELS, type Channel } from './types';
import './zod-english';

export const CAMPAIGN_STATUSES = ['scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Allowed moves; everything else is a conflict. sent and cancelled are final. */
const TRANSITIONS: Record<CampaignStatus, readonly CampaignStatus[]> = {
  scheduled: ['sending', 'cancelled'],
  sending: ['sent', 'paused', 'cancelled'],
  paused: ['sending', 'cancelled'],
  sent: [],
  cancelled: [],
};

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses a campaign may be in for a move to `to`. */
export function statusesAllowing(to: CampaignStatus): CampaignStatus[] {
  return CAMPAIGN_STATUSES.filter((from) => canTransition(from, to));
}

export const CONTACT_ID = /^[A-Za-z0-9._:@+-]{1,128}$/;
export const TOPIC = /^[a-z][a-z0-9-]{1,39}$/;

/** How far ahead a campaign may be scheduled, and how stale a sendAt may be before it is refused. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600 * 1000;
const SEND_AT_PAST_GRACE_MS = 5 * 60 * 1000;
export const MAX_AUDIENCE_IDS = 1000;
/** A campaign is one DynamoDB item (400 KB at most, attribute names included): keep room. */
export const MAX_CAMPAIGN_BYTES = 350_000;
/** Kavenegar takes 900 characters; the short unsubscribe link and the opt-out suffix need the rest. */
export const MAX_SMS_TEXT = MAX_SMS_BODY_LENGTH;

/** A text with placeholders of at most `max` characters: a subject, an HTML body or a text part. */
export const template = (max: number) =>
  z.string().check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.superRefine((value, ctx) => {
      const problem = templateProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

/**
 * An SMS template, measured as the SMS is (zod counts code points, so 500 emoji would pass a
 * 778 limit and then fail every recipient at Kavenegar's 900).
 */
export const smsTemplate = /* @__PURE__ */ schema(() =>
  z.string().check(
    z.minLength(1, 'must not be empty'),
    z.superRefine((value, ctx) => {
      const length = smsLength(value);
      if (length > MAX_SMS_TEXT) {
        ctx.addIssue({
          code: 'custom',
          message:
            `must be at most ${MAX_SMS_TEXT} characters as SMS count them (this one is ${length}: an emoji ` +
            'counts 2, and so does each of € [ ] { } | ^ ~ \\ in a Latin text), so that the unsubscribe ' +
            'link and opt-out keyword still fit in 900',
        });
        return;
      }
      const problem = templateProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ),
);

/** Lists a campaign may aim at, or exclude, at once. */
export const MAX_AUDIENCE_LISTS = 20;
const LIST_OR_SEGMENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const templateId = /* @__PURE__ */ schema(() =>
  z.string().check(z.regex(LIST_OR_SEGMENT_ID, 'must be a template id')),
);

const listIds = (what: string) =>
  z.pipe(
    z
      .array(z.string().check(z.regex(LIST_OR_SEGMENT_ID, 'must be a list id')))
      .check(
        z.minLength(1, `must name at least one list${what}`),
        z.maxLength(MAX_AUDIENCE_LISTS, `may name at most ${MAX_AUDIENCE_LISTS} lists`),
      ),
    z.transform((ids: string[]) => [...new Set(ids)]),
  );

/** Contacts on any of these lists are left out of the audience, whatever its kind. */
const exclude = /* @__PURE__ */ schema(() => z.optional(z.strictObject({ listIds: listIds(' to exclude') })));

export const audienceSchema = /* @__PURE__ */ schema(() =>
  z.union(
    [
      z.strictObject({ all: z.literal(true), exclude }),
      z.strictObject({
        contactIds: z.pipe(
          z
            .array(
              z.string().check(
                z.regex(CONTACT_ID, 'must be 1-128 letters, digits or . _ : @ + -'),
                z.superRefine((id, ctx) => {
                  // Contacts are stored under opaque ids only: a phone or email here names nobody.
                  const problem = contactIdProblem(id);
                  if (problem) ctx.addIssue({ code: 'custom', message: problem });
                }),
              ),
            )
            .check(
              z.minLength(1, 'must name at least one contact'),
              z.maxLength(
                MAX_AUDIENCE_IDS,
                `may name at most ${MAX_AUDIENCE_IDS} contacts; use {"all": true} for more`,
              ),
            ),
          // A list with repeats means each person once: a repeated id would be counted in the
          // campaign's total but delivered once, and the campaign would never finish.
          z.transform((ids: string[]) => [...new Set(ids)]),
        ),
        exclude,
      }),
      // Everyone on any of the lists, once each however many of them they are on.
      z.strictObject({ listIds: listIds(''), exclude }),
      z.strictObject({
        segmentId: z.string().check(z.regex(LIST_OR_SEGMENT_ID, 'must be a segment id')),
        exclude,
      }),
    ],
    {
      error: 'must be one of {all: true}, {contactIds}, {listIds} or {segmentId}, each with optional exclude',
    },
  ),
);
export type Audience = z.infer<typeof audienceSchema>;

/** Every list an audience names, to include or to exclude. */
export function audienceLists(audience: Audience): string[] {
  const included = 'listIds' in audience ? audience.listIds : [];
  return [...new Set([...included, ...(audience.exclude?.listIds ?? [])])];
}

/**
 * The fields of a campaign as a marketer writes them, without the rules between them: the
 * create schema adds those, and PATCH takes each of these fields as optional (so a field added
 * here is editable at once).
 */
export const campaignFieldsSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)),
    topic: z
      .string()
      .check(z.regex(TOPIC, 'must be a lower-case slug such as newsletter, promotions, events or surveys')),
    channels: z.array(z.enum(CHANNELS)).check(
      z.minLength(1, 'must hold sms, email or both'),
      z.refine((list) => new Set(list).size === list.length, 'must not repeat a channel'),
    ),
    audience: audienceSchema,
    // Inline content, or `templateId`: the template's latest version, copied at creation.
    sms: z.optional(
      z.strictObject({
        text: z.optional(smsTemplate),
        templateId: z.optional(templateId),
      }),
    ),
    email: z.optional(
      z.strictObject({
        subject: z.optional(template(200)),
        html: z.optional(template(500_000)),
        text: z.optional(template(500_000)),
        templateId: z.optional(templateId),
      }),
    ),
    sendAt: z.optional(
      z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a time zone' }),
    ),
  }),
);

export const campaignInputSchema = /* @__PURE__ */ schema(() =>
  campaignFieldsSchema.check(
    z.superRefine((input, ctx) => {
      const bytes = new TextEncoder().encode(JSON.stringify(input)).length;
      if (bytes > MAX_CAMPAIGN_BYTES) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `campaign is ${Math.ceil(bytes / 1024)} KB; its texts may take at most ${MAX_CAMPAIGN_BYTES / 1000} KB`,
        });
      }
      for (const channel of input.channels) {
        if (!input[channel]) {
          ctx.addIssue({
            code: 'custom',
            path: [channel],
            message: `is required when channels include ${channel}`,
          });
        }
      }
      contentIssues(input, (path, message) => ctx.addIssue({ code: 'custom', path, message }));
      for (const channel of CHANNELS) {
        if (input[channel] && !input.channels.includes(channel)) {
          ctx.addIssue({
            code: 'custom',
            path: [channel],
            message: `is given but channels do not include ${channel}`,
          });
        }
      }
    }),
  ),
);
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** Each channel's content is either written inline or a template's, never both nor neither. */
function contentIssues(
  input: Pick<CampaignInput, 'sms' | 'email'>,
  issue: (path: string[], message: string) => void,
): void {
  const both = 'is given with inline content: name a template or write the content, not both';
  if (input.sms) {
    if (input.sms.templateId !== undefined && input.sms.text !== undefined)
      issue(['sms', 'templateId'], both);
    if (input.sms.templateId === undefined && input.sms.text === undefined)
      issue(['sms', 'text'], 'is required');
  }
  const email = input.email;
  if (email) {
    const inline = email.subject !== undefined || email.html !== undefined || email.text !== undefined;
    if (email.templateId !== undefined && inline) issue(['email', 'templateId'], both);
    if (email.templateId === undefined) {
      if (email.subject === undefined) issue(['email', 'subject'], 'is required');
      if (email.html === undefined) issue(['email', 'html'], 'is required');
    }
  }
}

/** Why a sendAt is unacceptable at `now`, or undefined. */
export function sendAtProblem(sendAt: string, now: Date): string | undefined {
  const at = Date.parse(sendAt);
  if (Number.isNaN(at)) return 'is not a valid date-time';
  if (at < now.getTime() - SEND_AT_PAST_GRACE_MS) return 'is in the past';
  if (at > now.getTime() + MAX_SCHEDULE_AHEAD_MS) return 'is more than a year ahead';
  return undefined;
}

/** Counters kept per campaign, each incremented exactly once per delivery event. */
export const COUNTERS = [
  'sent',
  'failed',
  'suppressed',
  'delivered',
  'undelivered',
  'bounced',
  'complained',
] as const;
export type Counter = (typeof COUNTERS)[number];

export interface CampaignStats {
  readonly total: number;
  /** Recipients still to be handled: 0 once the campaign is cancelled. */
  readonly queued: number;
  /**
   * Recipients a cancel stopped before they ended (0 unless cancelled). A message in flight at
   * the cancel that still goes out moves from cancelled to sent, so the sum stays the total.
   */
  readonly cancelled: number;
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
  /** SMS the operator confirmed delivered (status 10). */
  readonly delivered: number;
  /** SMS that did not arrive (statuses 6, 11, 14). */
  readonly undelivered: number;
  /** Emails SES reported bounced. */
  readonly bounced: number;
  /** Emails whose recipient complained (marked as spam). */
  readonly complained: number;
  /** SMS segments the dispatcher counted for every SMS recipient's own text (when counted). */
  readonly expectedSegments?: number;
}

export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly topic: string;
  readonly channels: readonly Channel[];
  readonly audience: Audience;
  /**
   * What each recipient gets. For a campaign made from a template, the template's first variant
   * (fa, else en) stands here and `template` holds the copy of the version it was created with:
   * each recipient gets their locale's variant ({@link contentFor}).
   */
  readonly sms?: SmsVariant & { readonly template?: TemplateUse<SmsVariant> };
  readonly email?: EmailVariant & { readonly template?: TemplateUse<EmailVariant> };
  /**
   * When it goes out. Absent on a held campaign (a duplicate not scheduled yet): it stays
   * `scheduled` and is never dispatched until a PATCH gives it a sendAt.
   */
  readonly sendAt?: string;
  readonly status: CampaignStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set once the dispatcher has enqueued the whole audience. */
  readonly dispatchedAt?: string;
  /** Where a single-chain dispatch (before audience units) resumed; no longer written. */
  readonly dispatchCursor?: string;
  /** How many audience units the dispatch runs in parallel: fixed by its first round. */
  readonly dispatchUnits?: number;
  /** Dispatch round: 1 at first, one more after each resume (absent means 1). */
  readonly round?: number;
  readonly pausedReason?: string;
  /** Paused until then only (SES's daily quota): the every-minute sweep resumes it afterwards. */
  readonly resumeAfter?: string;
}

/** Ended outcomes a delivery can reach, each counted once. */
export const DELIVERY_OUTCOMES = ['sent', 'failed', 'suppressed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/**
 * Derives the public stats from the counters: what has not ended yet is queued, or cancelled
 * once the campaign is (nothing more is claimed then, so it never will be sent).
 */
export function campaignStats(
  counters: { total: number; segments?: number } & Partial<Record<Counter, number>>,
  status?: CampaignStatus,
): CampaignStats {
  const count = (name: Counter) => counters[name] ?? 0;
  const ended = count('sent') + count('failed') + count('suppressed');
  const open = Math.max(0, counters.total - ended);
  return {
    total: counters.total,
    queued: status === 'cancelled' ? 0 : open,
    cancelled: status === 'cancelled' ? open : 0,
    sent: count('sent'),
    failed: count('failed'),
    suppressed: count('suppressed'),
    delivered: count('delivered'),
    undelivered: count('undelivered'),
    bounced: count('bounced'),
    complained: count('complained'),
    ...(counters.segments === undefined ? {} : { expectedSegments: counters.segments }),
  };
}

/** A sending campaign is done once dispatch finished and every delivery has ended. */
export function isComplete(campaign: Pick<Campaign, 'dispatchedAt'>, stats: CampaignStats): boolean {
  return campaign.dispatchedAt !== undefined && stats.queued === 0;
}
