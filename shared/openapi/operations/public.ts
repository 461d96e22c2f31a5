/**
 * The public routes: unsubscribe pages (HTML, no JavaScript), the signed spoof-report webhook,
 * and the Kavenegar delivery-report callback API Gateway queues itself.
 */
import * as z from 'zod/mini';
import { deliveryReportSchema } from '../../adapters/kavenegar/delivery-report';
import { spoofReportSchema } from '../../use-cases/report-spoofed-sms';
import { readChoice } from '../../use-cases/unsubscribe';
import type { OperationDoc, ResponseDoc } from '../types';

const HTML = 'text/html';
const FORM = 'application/x-www-form-urlencoded';

const page = (description: string, example: string): ResponseDoc => ({
  description,
  contentType: HTML,
  schema: z.string(),
  example,
});

const CENTRE =
  '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>تنظیمات اشتراک</title></head><body><form method="post">…</form></body></html>';
const INVALID =
  '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>پیوند نامعتبر</title></head><body><p>این پیوند معتبر نیست.</p></body></html>';
const ERROR =
  '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>خطا</title></head><body><p>مشکلی پیش آمد؛ لطفاً بعداً دوباره امتحان کنید.</p></body></html>';

/** The form a preference centre page posts, or RFC 8058's one-click body. */
const choiceForm = z.object({
  'List-Unsubscribe': z.optional(z.literal('One-Click')),
  action: z.optional(z.enum(['opt_out', 'resubscribe'])),
  topic: z.optional(z.string()),
  scope: z.optional(z.enum(['topic', 'all'])),
  via: z.optional(z.literal('link')),
});

/** The form is read by readChoice: an example it reads as no choice would be refused with 400. */
function checkChoice(example: unknown): unknown {
  const form = new URLSearchParams(example as Record<string, string>);
  const choice = readChoice(form, 'newsletter');
  if (!choice) throw new Error('the preference centre reads no choice in this form');
  return choice;
}

const showResponses = {
  200: page('The preference centre, in the contact’s language (Persian, right to left, by default).', CENTRE),
  404: page('The link is not valid (forged, expired or unknown).', INVALID),
  500: page('Something went wrong; nothing was changed.', ERROR),
};

const changeResponses = {
  200: page('The choice is recorded; the page shows the preferences after it.', CENTRE),
  400: page('The form asks for a change this link does not offer, or the link is not valid.', INVALID),
  404: page('The link is not valid (forged, expired or unknown).', INVALID),
  413: page('The form is larger than 16 KiB.', INVALID),
  415: page('A Content-Type other than a URL-encoded or multipart form.', INVALID),
  500: page('Something went wrong; nothing was changed.', ERROR),
};

const changeRequest = {
  contentType: FORM,
  schema: choiceForm,
  example: { action: 'opt_out', topic: 'newsletter' },
  check: checkChoice,
};

const TOKEN =
  'The signed, opaque token of an email’s unsubscribe link (it is the proof: RFC 8058 forbids auth).';
const CODE = 'The 10-character code of an SMS’s short unsubscribe link (unguessable; it is the proof).';

export const publicOperations: readonly OperationDoc[] = [
  {
    method: 'GET',
    path: '/u/{token}',
    operationId: 'showEmailPreferences',
    summary: 'Preference centre of an email’s unsubscribe link',
    description: 'Plain HTML, no JavaScript; a GET changes nothing (link scanners follow links).',
    tags: ['unsubscribe'],
    auth: 'token',
    pathParameters: { token: TOKEN },
    responses: showResponses,
  },
  {
    method: 'POST',
    path: '/u/{token}',
    operationId: 'changeEmailPreferences',
    summary: 'Record a choice from an email’s link (also RFC 8058 one-click)',
    description:
      'Answers with a page, never a redirect; `List-Unsubscribe=One-Click` opts out of the link’s topic (idempotent, no cookies).',
    tags: ['unsubscribe'],
    auth: 'token',
    pathParameters: { token: TOKEN },
    request: changeRequest,
    responses: changeResponses,
  },
  {
    method: 'GET',
    path: '/s/{code}',
    operationId: 'showSmsPreferences',
    summary: 'Preference centre of an SMS’s short link',
    description: 'Plain HTML, no JavaScript; a GET changes nothing.',
    tags: ['unsubscribe'],
    auth: 'token',
    pathParameters: { code: CODE },
    responses: showResponses,
  },
  {
    method: 'POST',
    path: '/s/{code}',
    operationId: 'changeSmsPreferences',
    summary: 'Record a choice from an SMS’s short link',
    description: 'Answers with a page, never a redirect; the code is kept as the change’s evidence.',
    tags: ['unsubscribe'],
    auth: 'token',
    pathParameters: { code: CODE },
    request: changeRequest,
    responses: changeResponses,
  },
  {
    method: 'POST',
    path: '/v1/reports/spoofed-sms',
    operationId: 'reportSpoofedSms',
    summary: 'Report an SMS received in the brand’s name; get a verdict',
    description:
      'Signed with `X-Chapar-Signature` (see the `signature` scheme). A replay of the same report (same line, text, reporter and receivedAt, however spaced or written) answers the same reportId for a day. Throttled on its own in the cloud (5 requests/s, burst 20).',
    tags: ['reports'],
    auth: 'signature',
    request: {
      schema: spoofReportSchema,
      example: {
        sender: '+989351234567',
        text: 'کاربر گرامی، حساب شما مسدود شد. برای رفع به این پیوند بروید',
        receivedAt: '2026-12-02T09:12:00+03:30',
        reporter: { phone: '۰۹۱۲ ۳۴۵ ۶۷۸۹' },
      },
    },
    responses: {
      202: {
        description: 'The report and its verdict: spoofed, genuine (we sent it) or unverified.',
        schema: z.object({ reportId: z.string(), verdict: z.enum(['spoofed', 'genuine', 'unverified']) }),
        example: { reportId: '01JEC12222222222222222REPT', verdict: 'spoofed' },
      },
      401: { description: 'Missing, malformed, stale or wrong signature.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/callbacks/kavenegar/{secret}',
    operationId: 'kavenegarDeliveryReport',
    summary: 'Kavenegar’s delivery report (optional callback, off by default)',
    description:
      'API Gateway puts each request straight into the deliveryReports queue (no Lambda per report) with the path secret as a message attribute; the consumer compares it in constant time and drops a report under a wrong secret. Kavenegar sends the fields as a form or as JSON. Answered 200 once queued; 404 while the callback is off.',
    tags: ['callbacks'],
    auth: 'token',
    pathParameters: { secret: 'The delivery-callback secret (CHAPAR_DELIVERY_CALLBACK_SECRET).' },
    request: { schema: deliveryReportSchema, example: { messageid: '8792343', status: 10 } },
    responses: {
      200: {
        description: 'Queued (the body is the queue’s own answer).',
        schema: z.looseObject({}),
        example: {},
      },
      400: { description: 'An empty body.' },
      404: { description: 'The callback is off.' },
    },
  },
];
