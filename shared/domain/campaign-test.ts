/** Test sends of a campaign: who may be named, how the copy is marked, what each target gets. */
import * as z from 'zod/mini';
import { CONTACT_ID } from './campaign';
import { normaliseEmail } from './email';
import { ValidationError } from './errors';
import { contactIdProblem } from './ids';
import { schema } from './mini-validation';
import { normaliseIranianMobile } from './phone';
import type { Channel, Locale } from './types';
import { parseWith } from './validation';
import './zod-english';

/** Most targets one test send names, contacts, phones and emails together. */
export const MAX_TEST_TARGETS = 10;

/** What marks a test copy, at the start of the SMS and of the email's subject. */
export const TEST_MARKERS: Readonly<Record<Locale, string>> = { fa: '[آزمایشی]', en: '[test]' };

/** The text or subject as a test copy shows it. */
export function markedAsTest(text: string, locale: Locale): string {
  return `${TEST_MARKERS[locale]} ${text}`;
}

const list = /* @__PURE__ */ schema(() =>
  z.optional(z.array(z.string().check(z.maxLength(254))).check(z.maxLength(MAX_TEST_TARGETS))),
);

export const campaignTestInputSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({ contactIds: list, phones: list, emails: list }),
);

/** One target of a test send, normalised. */
export type TestTarget =
  | { readonly kind: 'contact'; readonly contactId: string }
  | { readonly kind: 'phone'; readonly phone: string }
  | { readonly kind: 'email'; readonly email: string };

/** Why a target got nothing. */
export type TestSkipReason =
  | 'not_found'
  | 'no_address'
  | 'channel_not_in_campaign'
  | 'erased'
  | 'opted_out'
  | 'quiet_hours'
  | 'sent_within_window';

/** What one target got on one channel. */
export interface TestSendResult {
  /** The contact id, or the phone or email masked. */
  readonly target: string;
  readonly channel: Channel;
  /** The address the copy went to, masked. */
  readonly to?: string;
  readonly status: 'sent' | 'skipped' | 'failed';
  readonly reason?: TestSkipReason | string;
}

/**
 * The targets of a test-send body: contact ids as PUT takes them, phones in any common
 * Iranian form (stored as E.164) and emails lower-cased, as PUT /v1/contacts normalises them;
 * repeats count once. 1 to {@link MAX_TEST_TARGETS} in all.
 * @throws ValidationError naming each bad field.
 */
export function parseTestTargets(body: unknown): TestTarget[] {
  const input = parseWith(campaignTestInputSchema, body ?? {}, 'test send');
  const issues: { field: string; message: string }[] = [];
  const targets: TestTarget[] = [];
  const seen = new Set<string>();
  const add = (target: TestTarget, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    targets.push(target);
  };
  (input.contactIds ?? []).forEach((contactId, index) => {
    const problem = CONTACT_ID.test(contactId)
      ? contactIdProblem(contactId)
      : 'must be 1 to 128 of A-Z a-z 0-9 . _ : @ + -';
    if (problem) issues.push({ field: `contactIds.${index}`, message: problem });
    else add({ kind: 'contact', contactId }, `contact:${contactId}`);
  });
  (input.phones ?? []).forEach((written, index) => {
    const phone = normaliseIranianMobile(written);
    if (!phone.ok) issues.push({ field: `phones.${index}`, message: phone.reason });
    else add({ kind: 'phone', phone: phone.e164 }, `phone:${phone.e164}`);
  });
  (input.emails ?? []).forEach((written, index) => {
    const email = normaliseEmail(written);
    if (!email.ok) issues.push({ field: `emails.${index}`, message: email.reason });
    else add({ kind: 'email', email: email.email }, `email:${email.email}`);
  });
  const named = (input.contactIds?.length ?? 0) + (input.phones?.length ?? 0) + (input.emails?.length ?? 0);
  if (issues.length === 0 && (named === 0 || named > MAX_TEST_TARGETS))
    issues.push({
      field: '(body)',
      message: `must name 1 to ${MAX_TEST_TARGETS} targets in contactIds, phones and emails together`,
    });
  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.field} ${issue.message}`).join('; ');
    throw new ValidationError(`Invalid test send: ${summary}`, issues);
  }
  return targets;
}
