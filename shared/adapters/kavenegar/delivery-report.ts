/**
 * Kavenegar's word on a sent SMS, in one place: its delivery-report fields and its status
 * codes, mapped to Chapar's {@link SmsStatusReport}. Delivery reports (the callback) and
 * sms/status answers (reconciliation) both go through {@link smsStatusOf}, so they can never
 * disagree. https://kavenegar.com/rest.html#sms-status
 */
import * as z from 'zod/mini';
import type { DeliveryStatus, SmsStatusReport } from '../../domain/sms';
import { parseWith } from '../../domain/validation';

/** Kavenegar's final statuses. */
const FINAL = new Map<number, DeliveryStatus>([
  [10, 'delivered'],
  [11, 'undelivered'],
  // Cancelled and refunded: it never reached the phone.
  [13, 'undelivered'],
  [6, 'failed'],
  // The recipient refuses SMS from advertising lines: also an opt-out.
  [14, 'blocked'],
]);
/** Queued, scheduled, with the operator: a final status is still to come. */
const PENDING = new Set([1, 2, 4, 5]);
/** Status 14 is the one that says the recipient refuses marketing SMS. */
const OPT_OUT_STATUS = 14;

/**
 * Maps a Kavenegar status code to Chapar's terms. 100 (unknown id) and any code Chapar does
 * not know are `unknown`: ignored, so a wrong guess never counts anything.
 */
export function smsStatusOf(messageId: string, providerStatus: number): SmsStatusReport {
  const final = FINAL.get(providerStatus);
  const status = final ?? (PENDING.has(providerStatus) ? 'pending' : 'unknown');
  return { messageId, status, optOut: providerStatus === OPT_OUT_STATUS, providerStatus };
}

/** A field as a form (string) or JSON (number or string) carries it; missing reads 'is required'. */
const field = (expected: string) =>
  z.union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be ${expected}`),
  });
const messageId = z.pipe(
  z.pipe(
    field('a Kavenegar message id (digits)'),
    z.transform((value) => String(value).trim()),
  ),
  z.string().check(z.regex(/^\d{1,20}$/, 'must be a Kavenegar message id (digits)')),
);
const STATUS_CODE = 'must be a status code (an integer from 0 to 999)';
const providerStatus = z.pipe(
  z.pipe(
    field('a status code (an integer)'),
    z.transform((value) => (typeof value === 'number' ? value : Number(value.trim() || Number.NaN))),
  ),
  z
    .number({ error: STATUS_CODE })
    .check(z.int(STATUS_CODE), z.minimum(0, STATUS_CODE), z.maximum(999, STATUS_CODE)),
);

/** A delivery report's fields, as Kavenegar sends them (form, query or JSON; strings or numbers). */
export const deliveryReportSchema = z.object({ messageid: messageId, status: providerStatus });

/**
 * A delivery report's fields as Chapar's status of that SMS.
 * @throws ValidationError naming the field when a field is missing or malformed (a 400).
 */
export function parseDeliveryReport(fields: unknown): SmsStatusReport {
  const report = parseWith(deliveryReportSchema, fields, 'delivery report');
  return smsStatusOf(report.messageid, report.status);
}
