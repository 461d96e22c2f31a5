import * as z from 'zod/mini';
import type { OperationDoc } from '../types';

/** The platform's read-only facts, as the console's settings page shows them. */
export const platformFactsSchema = z.object({
  smsSender: z.string(),
  quietHours: z.nullable(z.string().check(z.regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/))),
  quietHoursInForce: z.boolean(),
  topics: z.array(z.string()),
  smsRate: z.number(),
  transactionalShare: z.number(),
  fromEmail: z.string(),
});

export const settingsOperations: readonly OperationDoc[] = [
  {
    method: 'GET',
    path: '/v1/settings',
    operationId: 'getPlatformFacts',
    summary: 'How this platform is set up (read only)',
    description:
      'The one verified SMS line, the quiet-hours window (Tehran time) and whether it is in force now, the preference-centre topics, the account-wide SMS rate and its transactional share, and the From address of campaign email. Operators change them in the deployment (CDK context or local variables), never through the API.',
    tags: ['settings'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'The facts.',
        schema: platformFactsSchema,
        example: {
          smsSender: '50004001051233',
          quietHours: '22:00-08:00',
          quietHoursInForce: false,
          topics: ['newsletter', 'events', 'promotions', 'surveys'],
          smsRate: 100,
          transactionalShare: 0.2,
          fromEmail: 'news@chapar.local',
        },
      },
    },
  },
];
