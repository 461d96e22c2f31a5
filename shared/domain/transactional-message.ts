/**
 * Transactional messages (order status, service notices): one message to one address, sent at
 * once, outside campaigns. Pure: no clock, no SDK.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { CONTACT_ID } from './campaign';
import { schema } from './mini-validation';
import { templateProblem } from './placeholders';
import { smsLength } from './sms-segments';
import { MAX_SMS_LENGTH } from './sms-text';
import type { Channel, Locale } from './types';
import './zod-english';

/**
 * queued → sending → sent → delivered | undelivered (SMS, from Kavenegar's status) or
 * bounced | complained (email, from SES feedback); failed when the provider refused it, refused
 * when the address was erased or hard-bounced by the time it was sent.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'bounced',
  'complained',
  'failed',
  'refused',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Message ids are ULIDs. */
export const MESSAGE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A transactional queue record's body: the message to send, nothing personal. */
export const messageRecordSchema = /* @__PURE__ */ schema(() =>
  z.object({
    v: z.literal(1),
    messageId: z.string().check(z.regex(MESSAGE_ID)),
  }),
);

/** An Idempotency-Key: 1–255 visible ASCII characters (a UUID, an order id …). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Kavenegar's 900 characters: a transactional SMS carries no link or opt-out suffix. */
export const MAX_MESSAGE_SMS_LENGTH = MAX_SMS_LENGTH;
const MAX_SUBJECT = 998;
const MAX_HTML = 200_000;
const MAX_DATA_BYTES = 16_384;

const text = (max: number, what = 'text') =>
  z.string().check(
    z.minLength(1, 'must not be empty'),
    z.superRefine((value, ctx) => {
      const length = what === 'sms' ? smsLength(value) : value.length;
      if (length > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${max} characters (this one is ${length})`,
        });
        return;
      }
      const problem = templateProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );

const smsContent = /* @__PURE__ */ schema(() =>
  z.strictObject({ text: text(MAX_MESSAGE_SMS_LENGTH, 'sms') }),
);
const emailContent = /* @__PURE__ */ schema(() =>
  z.strictObject({
    subject: text(MAX_SUBJECT),
    html: text(MAX_HTML),
    text: z.optional(text(MAX_HTML)),
  }),
);

const recipient = /* @__PURE__ */ schema(() =>
  z.union([
    z.strictObject({
      contactId: z.string().check(z.regex(CONTACT_ID, 'must be 1-128 of A-Z a-z 0-9 . _ : @ + -')),
    }),
    z.strictObject({ phone: z.string().check(z.minLength(1), z.maxLength(40)) }),
    z.strictObject({ email: z.string().check(z.minLength(3), z.maxLength(254)) }),
  ]),
);

/** Values a template's placeholders read: flat strings, numbers and booleans. */
const data = /* @__PURE__ */ schema(() =>
  z.record(
    z.string().check(z.regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'keys must be 1-64 letters, digits, _ . -')),
    z.union([z.string().check(z.maxLength(4_000)), z.number(), z.boolean()]),
  ),
);

export const messageInputSchema = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      channel: z.enum(['sms', 'email']),
      to: recipient,
      templateId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
      content: z.optional(z.union([smsContent, emailContent])),
      data: z.optional(data),
      locale: z.optional(z.enum(['fa', 'en'])),
      category: z.literal('transactional'),
    })
    .check(
      z.superRefine((input, ctx) => {
        const has = (input.templateId ? 1 : 0) + (input.content ? 1 : 0);
        if (has !== 1)
          ctx.addIssue({
            code: 'custom',
            path: ['content'],
            message: 'give exactly one of templateId or content',
          });
        if (input.content) {
          const isSms = 'text' in input.content && !('subject' in input.content);
          if (input.channel === 'sms' && !isSms)
            ctx.addIssue({ code: 'custom', path: ['content'], message: 'an SMS content is {text}' });
          if (input.channel === 'email' && isSms)
            ctx.addIssue({
              code: 'custom',
              path: ['content'],
              message: 'an email content is {subject, html, text?}',
            });
        }
        if ('phone' in input.to && input.channel !== 'sms')
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'a phone receives only sms' });
        if ('email' in input.to && input.channel !== 'email')
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'an email address receives only email' });
        if (input.data && Buffer.byteLength(JSON.stringify(input.data)) > MAX_DATA_BYTES)
          ctx.addIssue({
            code: 'custom',
            path: ['data'],
            message: `must be at most ${MAX_DATA_BYTES} bytes as JSON`,
          });
      }),
    ),
);
export type MessageInput = z.output<typeof messageInputSchema>;

/** What a message says, rendered for its one recipient. */
export type RenderedContent =
  | { readonly channel: 'sms'; readonly text: string }
  | { readonly channel: 'email'; readonly subject: string; readonly html: string; readonly text?: string };

/** The stored message: what the sender needs, its progress, and when the record expires. */
export interface TransactionalMessage {
  readonly id: string;
  readonly channel: Channel;
  /** E.164 phone or lower-cased email; removed by an erasure of its owner. */
  readonly address: string;
  readonly contactId?: string;
  readonly locale: Locale;
  readonly templateId?: string;
  readonly templateVersion?: number;
  readonly content: RenderedContent;
  readonly status: MessageStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt?: string;
  /** The provider's id (Kavenegar messageid, SES MessageId). */
  readonly providerMessageId?: string;
  readonly providerStatus?: number;
  /** Why it failed or was refused, or what the provider said of an undelivered SMS. */
  readonly reason?: string;
  /** The message reached its queue. */
  readonly enqueued?: boolean;
  /** When the last provider attempt started: a crash after it leaves the outcome unknown. */
  readonly attemptedAt?: string;
  /** Epoch seconds: DynamoDB's TTL removes the record (and the data rendered into it). */
  readonly expiresAt: number;
}

/** Statuses after which nothing is sent any more. */
export const ENDED_STATUSES: readonly MessageStatus[] = [
  'sent',
  'delivered',
  'undelivered',
  'bounced',
  'complained',
  'failed',
  'refused',
];

/**
 * A stable digest of a request body, so the same Idempotency-Key with the same body (in any
 * key order) answers the same message, and with another body a 409.
 */
export function requestDigest(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The numeric local id Kavenegar keeps with a transactional SMS (15 digits), so an attempt
 * whose outcome is unknown is looked up before any second send. Prefixed apart from campaign
 * deliveries' ids.
 */
export function messageLocalId(messageId: string): string {
  const digest = createHash('sha256').update(`message\u0000${messageId}`).digest();
  const value = digest.readBigUInt64BE(0) % 10n ** 15n;
  return value.toString().padStart(15, '2');
}

/** Record expiry: `days` after `now`, in epoch seconds. */
export function messageExpiry(now: Date, days: number): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Ages (from the send) at which a transactional SMS's status is asked: sooner than campaign
 * batches (a shop waits on one order's SMS, and these are few), then as campaigns are.
 */
export const MESSAGE_POLL_AGES_MS: readonly number[] = [
  10 * SECOND_MS,
  MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  HOUR_MS,
  4 * HOUR_MS,
  12 * HOUR_MS,
  24 * HOUR_MS,
  47 * HOUR_MS,
];

/** The poll after one made at `now` of an SMS sent at `sentAt`; undefined when none is left. */
export function nextMessagePollAt(sentAt: Date, now: Date): Date | undefined {
  const age = now.getTime() - sentAt.getTime();
  const next = MESSAGE_POLL_AGES_MS.find((offset) => offset > age);
  return next === undefined ? undefined : new Date(sentAt.getTime() + next);
}
