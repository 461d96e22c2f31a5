import { z } from 'zod';
import { CONTACT_ID } from './campaign';
import { MAX_DISPATCH_UNITS } from './dispatch';
import { CHANNELS } from './types';

/** Queue message shapes; version them so old messages in flight stay readable after a deploy. */

/**
 * Work for the dispatcher. With `unit`: enqueue that unit's page of the audience that starts
 * after `cursor` (null for its first page). Without: start the round's units, or revive those
 * whose chain went quiet (the API's first message, a resume and the every-minute sweep).
 */
export const dispatchMessageSchema = z.strictObject({
  v: z.literal(1),
  campaignId: z.string().min(1).max(40),
  cursor: z.string().max(2048).nullable(),
  /** Dispatch round: 1 at first, one more after each resume; pages of older rounds are ignored. */
  round: z.number().int().min(1).optional(),
  /** The audience unit (scan segment, list shard …) this page belongs to. */
  unit: z
    .number()
    .int()
    .min(0)
    .max(MAX_DISPATCH_UNITS - 1)
    .optional(),
});
export type DispatchMessage = z.infer<typeof dispatchMessageSchema>;

/** Work for a channel sender: these contacts of this campaign. */
export const recipientsMessageSchema = z.strictObject({
  v: z.literal(1),
  campaignId: z.string().min(1).max(40),
  channel: z.enum(CHANNELS),
  contactIds: z.array(z.string().regex(CONTACT_ID)).min(1).max(200),
});
export type RecipientsMessage = z.infer<typeof recipientsMessageSchema>;

/** A message received from a queue, as an SQS record names it. */
export interface ReceivedMessage {
  /** The record's eventSourceARN. */
  readonly queueArn: string;
  readonly receiptHandle: string;
}
