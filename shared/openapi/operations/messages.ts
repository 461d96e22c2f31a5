import * as z from 'zod/mini';
import { MESSAGE_STATUSES, messageInputSchema } from '../../domain/transactional-message';
import type { OperationDoc } from '../types';

const ID_EXAMPLE = '01JDV3K8W6Q4M2N7P9R5T1X3Z8';

/** What POST /v1/messages answers: the message's id and its status now. */
export const messageAcceptedSchema = z.object({ id: z.string(), status: z.enum(MESSAGE_STATUSES) });

/** What GET /v1/messages/{messageId} answers: status and times, never the content or data. */
export const messageViewSchema = z.object({
  id: z.string(),
  channel: z.enum(['sms', 'email']),
  status: z.enum(MESSAGE_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.optional(z.string()),
  reason: z.optional(z.string()),
  templateId: z.optional(z.string()),
  templateVersion: z.optional(z.number()),
});

const smsExample = {
  channel: 'sms',
  to: { contactId: 'cust-000123' },
  content: { text: '{{name}} عزیز، سفارش {{orderId}} ارسال شد' },
  data: { orderId: 'A-1042' },
  category: 'transactional',
};

export const messageOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/messages',
    operationId: 'sendMessage',
    summary: 'Send a transactional SMS or email',
    description:
      'One message to one address (a contact, a phone or an email), sent at once through its own queue, ' +
      'ahead of campaigns, from the one verified line. Marketing opt-outs and quiet hours do not apply and no ' +
      'unsubscribe footer or «لغو۱۱» is added; an erased person or a hard-bounced email is refused with 409. ' +
      '`data` fills the placeholders and is kept only in the rendered record, which expires after ' +
      'CHAPAR_MESSAGE_RETENTION_DAYS. The same Idempotency-Key with the same body answers the same message ' +
      '(200, nothing sent again); with another body it is a 409.',
    tags: ['messages'],
    auth: 'bearer',
    headers: {
      'Idempotency-Key': {
        description: '1-255 visible ASCII characters naming this message (an order event id, a UUID)',
        required: true,
      },
    },
    request: { schema: messageInputSchema, example: smsExample, required: true },
    responses: {
      202: {
        description: 'Accepted and queued',
        schema: messageAcceptedSchema,
        example: { id: ID_EXAMPLE, status: 'queued' },
      },
      200: {
        description: 'A replay of the same Idempotency-Key and body: the message it made, not sent again',
        schema: messageAcceptedSchema,
        example: { id: ID_EXAMPLE, status: 'delivered' },
      },
      400: {
        description: 'No Idempotency-Key, a bad body, or a templateId while templates are not available',
      },
      404: { description: 'to.contactId names no contact' },
      409: {
        description:
          'The address belongs to an erased person or hard-bounced, or the key was used with another body',
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/messages/{messageId}',
    operationId: 'getMessage',
    summary: 'A transactional message’s status',
    description:
      'queued → sent → delivered | undelivered (SMS, from Kavenegar’s status polls) or bounced | complained ' +
      '(email, from SES feedback); failed when the provider refused it, refused when the address was erased by ' +
      'the time it went out.',
    tags: ['messages'],
    auth: 'bearer',
    pathParameters: { messageId: 'The id POST /v1/messages answered (a ULID)' },
    responses: {
      200: {
        description: 'The message',
        schema: messageViewSchema,
        example: {
          id: ID_EXAMPLE,
          channel: 'sms',
          status: 'delivered',
          createdAt: '2026-12-02T14:00:00.000Z',
          updatedAt: '2026-12-02T14:00:12.000Z',
          sentAt: '2026-12-02T14:00:00.300Z',
        },
      },
      404: { description: 'No such message (or its record expired)' },
    },
  },
];
