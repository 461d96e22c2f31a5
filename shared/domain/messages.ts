import * as z from 'zod/mini';
import { CONTACT_ID } from './campaign';
import { MAX_DISPATCH_UNITS } from './dispatch';
import { schema } from './mini-validation';
import { CHANNELS } from './types';
import './zod-english';

/** Queue message shapes; version them so old messages in flight stay readable after a deploy. */

/**
 * Work for the dispatcher. With `unit`: enqueue that unit's page of the audience that starts
 * after `cursor` (null for its first page). Without: start the round's units, or revive those
 * whose chain went quiet (the API's first message, a resume and the every-minute sweep).
 */
export const dispatchMessageSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    v: z.literal(1),
    campaignId: z.string().check(z.minLength(1), z.maxLength(40)),
    /** null for the first page. */
    cursor: z.nullable(z.string().check(z.maxLength(2048))),
    /** Dispatch round: 1 at first, one more after each resume; pages of older rounds are ignored. */
    round: z.optional(z.number().check(z.int(), z.minimum(1))),
    /** The audience unit (scan segment, list shard …) this page belongs to. */
    unit: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(MAX_DISPATCH_UNITS - 1))),
  }),
);
export type DispatchMessage = z.infer<typeof dispatchMessageSchema>;

/** Work for a channel sender: these contacts of this campaign. */
export const recipientsMessageSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    v: z.literal(1),
    campaignId: z.string().check(z.minLength(1), z.maxLength(40)),
    channel: z.enum(CHANNELS),
    contactIds: z.array(z.string().check(z.regex(CONTACT_ID))).check(z.minLength(1), z.maxLength(200)),
  }),
);
export type RecipientsMessage = z.infer<typeof recipientsMessageSchema>;

/** A message received from a queue, as an SQS record names it. */
export interface ReceivedMessage {
  /** The record's eventSourceARN. */
  readonly queueArn: string;
  readonly receiptHandle: string;
}
