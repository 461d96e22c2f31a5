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
      'not send twice. SMS spend the shared SMS rate.',
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
