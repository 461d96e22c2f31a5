import { z } from 'zod';
import { normaliseEmail } from '../domain/email';
import { sanitiseHeaderField } from '../domain/header-field';
import { newId } from '../domain/ids';
import { normaliseIranianMobile } from '../domain/phone';
import { escapeHtml, renderTemplate } from '../domain/placeholders';
import { spoofVerdict, type Verdict } from '../domain/spoof-report';
import { parseWith } from '../domain/validation';
import type { DeliveryStore, EmailProvider, ReportStore, SpoofReport } from '../ports';
import type { TemplateSource } from './render-email';

/** How far back we look for what we sent the reporter. */
const LOOKBACK_DAYS = 30;

export const spoofReportSchema = z
  .strictObject({
    sender: z.string().trim().min(1, 'must not be empty').max(64),
    text: z.string().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
    receivedAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).optional(),
    reporter: z
      .strictObject({ phone: z.string().max(64).optional(), email: z.string().max(320).optional() })
      .optional(),
  })
  .transform((input, ctx) => {
    let phone: string | undefined;
    let email: string | undefined;
    if (input.reporter?.phone !== undefined) {
      const result = normaliseIranianMobile(input.reporter.phone);
      if (result.ok) phone = result.e164;
      else ctx.addIssue({ code: 'custom', path: ['reporter', 'phone'], message: result.reason });
    }
    if (input.reporter?.email !== undefined) {
      const result = normaliseEmail(input.reporter.email);
      if (result.ok) email = result.email;
      else ctx.addIssue({ code: 'custom', path: ['reporter', 'email'], message: result.reason });
    }
    return { sender: input.sender, text: input.text, receivedAt: input.receivedAt, phone, email };
  });

export interface SpoofDeps {
  readonly reports: ReportStore;
  readonly deliveries: DeliveryStore;
  readonly email: EmailProvider;
  readonly templates: TemplateSource;
  readonly verifiedSender: string;
  readonly abuseEmail: string;
  readonly now: () => Date;
}

/**
 * Judges a report of an SMS received in the brand's name, stores it, and forwards spoofed
 * ones to the abuse inbox. The abuse email goes first: if it fails the caller retries the
 * webhook and no report is stored without its email.
 */
export async function reportSpoofedSms(
  deps: SpoofDeps,
  body: unknown,
): Promise<{ reportId: string; verdict: Verdict }> {
  const input = parseWith(spoofReportSchema, body, 'report');
  const now = deps.now();
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 24 * 3600 * 1000);
  const sent = input.phone ? await deps.deliveries.sentTo(input.phone, since) : [];
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
  if (verdict === 'spoofed') {
    const text = renderTemplate(deps.templates('spoof-report.email.txt'), {
      reportId: report.id,
      verdict,
      sender: report.sender,
      verifiedSender: deps.verifiedSender,
      receivedAt: report.receivedAt ?? 'not given',
      createdAt: report.createdAt,
      text: report.text,
    });
    await deps.email.send({
      to: deps.abuseEmail,
      // The sender is whatever the reporter typed: a CR/LF in it would write headers.
      subject: sanitiseHeaderField(`Spoofed SMS report ${report.id}: sender ${report.sender}`),
      text,
      html: `<pre dir="auto">${escapeHtml(text)}</pre>`,
      headers: {},
      tags: { kind: 'spoof-report' },
    });
  }
  await deps.reports.put(report);
  return { reportId: report.id, verdict };
}
