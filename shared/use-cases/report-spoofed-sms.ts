import * as z from 'zod/mini';
import { normaliseEmail } from '../domain/email';
import { newId } from '../domain/ids';
import { normaliseIranianMobile } from '../domain/phone';
import { type SpoofReport, spoofVerdict, type Verdict } from '../domain/spoof-report';
import { addIssue, parseWith } from '../domain/validation';
import type { ReportStore, SentSmsLookup } from '../ports';

/** How far back we look for what we sent the reporter. */
const LOOKBACK_DAYS = 30;

export const spoofReportSchema = z.pipe(
  z.strictObject({
    sender: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(64)),
    text: z
      .string()
      .check(z.minLength(1, 'must not be empty'), z.maxLength(2000, 'must be at most 2000 characters')),
    receivedAt: z.optional(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' })),
    reporter: z.optional(
      z.strictObject({
        phone: z.optional(z.string().check(z.maxLength(64))),
        email: z.optional(z.string().check(z.maxLength(320))),
      }),
    ),
  }),
  z.transform((input, ctx) => {
    let phone: string | undefined;
    let email: string | undefined;
    if (input.reporter?.phone !== undefined) {
      const result = normaliseIranianMobile(input.reporter.phone);
      if (result.ok) phone = result.e164;
      else addIssue(ctx, ['reporter', 'phone'], result.reason);
    }
    if (input.reporter?.email !== undefined) {
      const result = normaliseEmail(input.reporter.email);
      if (result.ok) email = result.email;
      else addIssue(ctx, ['reporter', 'email'], result.reason);
    }
    return { sender: input.sender, text: input.text, receivedAt: input.receivedAt, phone, email };
  }),
);

/** A report as validated: the reporter's phone in E.164 and email normalised. */
export type SpoofReportInput = z.output<typeof spoofReportSchema>;

/** Validates a report body. @throws ValidationError naming the field and the reason. */
export function parseSpoofReport(body: unknown): SpoofReportInput {
  return parseWith(spoofReportSchema, body, 'report');
}

export interface SpoofDeps {
  readonly reports: ReportStore;
  readonly sentSms: SentSmsLookup;
  readonly verifiedSender: string;
  readonly now: () => Date;
}

/**
 * Judges a report of an SMS received in the brand's name and stores it. A spoofed one waits
 * for its sending line's abuse digest ({@link sendAbuseDigests}): the abuse inbox gets at most
 * one email per line per window, however many reports arrive.
 */
export async function reportSpoofedSms(
  deps: SpoofDeps,
  input: SpoofReportInput,
): Promise<{ reportId: string; verdict: Verdict }> {
  const now = deps.now();
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 24 * 3600 * 1000);
  const sent = input.phone ? await deps.sentSms.sentTo(input.phone, since) : [];
  const verdict = spoofVerdict({
    sender: input.sender,
    text: input.text,
    verifiedSender: deps.verifiedSender,
    textsSentToReporter: sent
      .filter((message) => message.channel === 'sms')
      .map((message) => message.content),
  });
  const report: SpoofReport = {
    id: newId(now.getTime()),
    sender: input.sender,
    text: input.text,
    verdict,
    createdAt: now.toISOString(),
    ...(input.receivedAt ? { receivedAt: input.receivedAt } : {}),
    ...(input.phone ? { reporterPhone: input.phone } : {}),
    ...(input.email ? { reporterEmail: input.email } : {}),
  };
  await deps.reports.put(report, { awaitsDigest: verdict === 'spoofed' });
  return { reportId: report.id, verdict };
}
