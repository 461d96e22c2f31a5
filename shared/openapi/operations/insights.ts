import * as z from 'zod/mini';
import { reportQuerySchema } from '../../use-cases/insights';
import type { OperationDoc } from '../types';

/** The console's read models: spoof reports, a campaign's timeline, the dashboard. */

const verdict = z.enum(['spoofed', 'genuine', 'unverified']);
const isoDateTime = z.iso.datetime({ offset: true });
const count = z.number().check(z.int(), z.nonnegative());

const reportItem = z.object({
  id: z.string(),
  verdict,
  sender: z.string(),
  createdAt: isoDateTime,
  receivedAt: z.optional(isoDateTime),
  reporter: z.nullable(z.object({ phone: z.optional(z.string()), email: z.optional(z.string()) })),
  erased: z.optional(z.literal(true)),
});

export const reportListSchema = z.object({ items: z.array(reportItem), cursor: z.optional(z.string()) });

const outcomes = {
  sent: count,
  failed: count,
  suppressed: count,
  delivered: count,
  undelivered: count,
  bounced: count,
  complained: count,
};

export const timelineSchema = z.object({
  campaignId: z.string(),
  points: z.array(
    z.object({ minute: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/)), ...outcomes }),
  ),
});

const channelPeriod = z.object({
  ...outcomes,
  optOuts: count,
  deliveryRate: z.nullable(z.number().check(z.gte(0), z.lte(1))),
});

const period = z.object({
  from: z.string(),
  to: z.string(),
  since: isoDateTime,
  channels: z.object({ sms: channelPeriod, email: channelPeriod }),
  spoofReports: z.object({ total: count, spoofed: count, genuine: count, unverified: count }),
});

export const overviewSchema = z.object({
  at: isoDateTime,
  timeZone: z.literal('Asia/Tehran'),
  today: period,
  last30Days: period,
  sendingNow: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      channels: z.array(z.enum(['sms', 'email'])),
      sendAt: isoDateTime,
      stats: z.object({
        total: count,
        queued: count,
        cancelled: count,
        ...outcomes,
        expectedSegments: z.optional(count),
      }),
    }),
  ),
  smsCreditRial: z.nullable(z.number()),
});

const zeroes = { sent: 0, failed: 0, suppressed: 0, delivered: 0, undelivered: 0, bounced: 0, complained: 0 };
const smsToday = {
  ...zeroes,
  sent: 1200,
  delivered: 1130,
  undelivered: 22,
  failed: 3,
  optOuts: 4,
  deliveryRate: 0.9417,
};
const emailToday = {
  ...zeroes,
  sent: 800,
  bounced: 6,
  complained: 1,
  suppressed: 12,
  optOuts: 9,
  deliveryRate: 0.9925,
};

export const insightsOperations: readonly OperationDoc[] = [
  {
    method: 'GET',
    path: '/v1/reports',
    operationId: 'listSpoofReports',
    summary: 'Spoof reports, newest first',
    description:
      'Reports of SMS received in the brand name, newest first, optionally of one verdict, read from a narrow index (no scan). The reporter is masked: never a full phone or email; an erased reporter shows as null with `erased: true`.',
    tags: ['reports'],
    auth: 'bearer',
    query: reportQuerySchema,
    responses: {
      200: {
        description: 'A page of reports; `cursor` gives the next page and is absent after the last.',
        schema: reportListSchema,
        example: {
          items: [
            {
              id: '01JE2A6W8T1V2N3P4Q5R6S7T8V',
              verdict: 'spoofed',
              sender: '+989121112222',
              createdAt: '2026-12-02T10:15:00.000Z',
              reporter: { phone: '+98912***89' },
            },
            {
              id: '01JE2A1B2C3D4E5F6G7H8J9K0M',
              verdict: 'unverified',
              sender: '50004001051233',
              createdAt: '2026-12-02T09:00:00.000Z',
              reporter: null,
              erased: true,
            },
          ],
          cursor: 'eyJiZWZvcmUiOiIwMUpFMkExQjJDM0Q0RTVGNkc3SDhKOUswTSJ9',
        },
      },
      400: {
        description:
          'An unknown verdict, a limit outside 1–1000, a cursor no listing gave, or an unknown parameter.',
        example: {
          message: 'Invalid query: verdict must be one of spoofed, genuine, unverified',
          issues: [{ field: 'verdict', message: 'must be one of spoofed, genuine, unverified' }],
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/campaigns/{campaignId}/timeline',
    operationId: 'getCampaignTimeline',
    summary: "A campaign's counts per minute by outcome",
    description:
      'For the sends-over-time chart: per UTC minute, what was counted in it (sends, failures and suppressions when the senders counted them; delivered and undelivered when status polling learned them; bounces and complaints when SES reported them). The minutes add up to the campaign stats; minutes with nothing are absent. One Query.',
    tags: ['campaigns'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'The minutes, oldest first.',
        schema: timelineSchema,
        example: {
          campaignId: '01JE29ZX0Y1Z2A3B4C5D6E7F8G',
          points: [
            { minute: '2026-12-02T10:00Z', ...zeroes, sent: 340, suppressed: 2 },
            { minute: '2026-12-02T10:01Z', ...zeroes, sent: 120, delivered: 310, failed: 1 },
          ],
        },
      },
      404: {
        description: 'No such campaign.',
        example: { message: 'Campaign 01JE29ZX0Y1Z2A3B4C5D6E7F8G not found' },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/overview',
    operationId: 'getOverview',
    summary: 'The dashboard',
    description:
      'Today (the Tehran day) and the last 30 Tehran days, per channel: sends, failures, suppressions, delivered, undelivered, bounces, complaints, opt-outs and the delivery rate (SMS delivered / sent; email (sent − bounced) / sent); spoof reports by verdict; the campaigns sending now (at most 20) with their stats; and the Kavenegar credit in Rial (null when not known). Read from daily counters, never a scan.',
    tags: ['overview'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'The figures as of `at`.',
        schema: overviewSchema,
        example: {
          at: '2026-12-02T10:30:00.000Z',
          timeZone: 'Asia/Tehran',
          today: {
            from: '2026-12-02',
            to: '2026-12-02',
            since: '2026-12-01T20:30:00.000Z',
            channels: { sms: smsToday, email: emailToday },
            spoofReports: { total: 3, spoofed: 2, genuine: 1, unverified: 0 },
          },
          last30Days: {
            from: '2026-11-03',
            to: '2026-12-02',
            since: '2026-11-02T20:30:00.000Z',
            channels: {
              sms: { ...smsToday, sent: 24000, delivered: 22800, deliveryRate: 0.95 },
              email: { ...emailToday, sent: 15000, bounced: 90, deliveryRate: 0.994 },
            },
            spoofReports: { total: 21, spoofed: 15, genuine: 4, unverified: 2 },
          },
          sendingNow: [
            {
              id: '01JE29ZX0Y1Z2A3B4C5D6E7F8G',
              name: 'خبرنامه پاییز',
              channels: ['sms', 'email'],
              sendAt: '2026-12-02T10:00:00.000Z',
              stats: { ...zeroes, total: 5000, queued: 3200, cancelled: 0, sent: 1780, suppressed: 20 },
            },
          ],
          smsCreditRial: null,
        },
      },
    },
  },
];
