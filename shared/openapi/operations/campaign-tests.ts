import * as z from 'zod/mini';
import { campaignTestInputSchema, MAX_TEST_TARGETS } from '../../domain/campaign-test';
import type { OperationDoc } from '../types';

const channel = z.enum(['sms', 'email']);

/** What POST /v1/campaigns/{campaignId}/test answers. */
export const campaignTestAnswerSchema = z.object({
  results: z.array(
    z.object({
      target: z.string(),
      channel,
      to: z.optional(z.string()),
      status: z.enum(['sent', 'skipped', 'failed']),
      reason: z.optional(z.string()),
    }),
  ),
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

export const campaignTestOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/campaigns/{campaignId}/test',
    operationId: 'testCampaign',
    summary: 'Send test copies of a campaign now',
    description:
      `Sends the campaign's real rendering now to 1 to ${MAX_TEST_TARGETS} targets in all (contact ids, ` +
      'phones and emails; phones and emails normalised as PUT /v1/contacts does): the same text, short ' +
      'link and «لغو۱۱» footer, the same email frame and unsubscribe headers, from the same one line, ' +
      'marked `[آزمایشی]` (fa) or `[test]` (en) at the start of the SMS and of the subject. A contact gets ' +
      "a copy on each of the campaign's channels it has an address for; a phone or email no contact holds " +
      "is rendered for a nameless Persian contact. Test copies are not counted in the campaign's stats. " +
      'Skipped, with the reason: `erased` (a do-not-contact tombstone), `opted_out` (the topic, all topics, ' +
      'or the address suppressed), `not_found`, `no_address`, `channel_not_in_campaign`, `quiet_hours` ' +
      '(an SMS inside CHAPAR_QUIET_HOURS is skipped, not deferred; the email goes), and ' +
      '`sent_within_window`: a target gets at most one copy per channel per 60 s, so a retried call does ' +
      'not send twice. SMS spend the shared SMS rate. ' +
      CAMPAIGN_COST_DESCRIPTION,
    tags: ['campaigns'],
    auth: 'bearer',
    request: {
      schema: campaignTestInputSchema,
      required: true,
      example: { contactIds: ['c1'], phones: ['۰۹۱۲ ۳۴۵ ۶۷۸۹'], emails: ['sara@example.com'] },
    },
    responses: {
      202: {
        description: 'What each target got on each channel, addresses masked',
        schema: campaignTestAnswerSchema,
        example: {
          results: [
            { target: 'c1', channel: 'sms', to: '+98912***01', status: 'sent' },
            { target: 'c1', channel: 'email', to: 's***@e***.com', status: 'sent' },
            {
              target: '+98912***89',
              channel: 'sms',
              to: '+98912***89',
              status: 'skipped',
              reason: 'opted_out',
            },
            {
              target: 's***@e***.com',
              channel: 'email',
              to: 's***@e***.com',
              status: 'skipped',
              reason: 'erased',
            },
          ],
        },
      },
      404: { description: 'No campaign with this id' },
    },
  },
];
