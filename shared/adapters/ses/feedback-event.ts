import * as z from 'zod/mini';
import type { EmailFeedback } from '../../domain/email-feedback';
import '../../domain/zod-english';

/*
 * SES *event publishing* records (a configuration set's event destination), not the older
 * identity notifications (`notificationType`), nor the receiving events Powertools' SES schema
 * describes. https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */

/** The message the event is about; tags hold SES's own (`ses:*`) and ours, each a list. */
const mailSchema = z.object({
  timestamp: z.iso.datetime(),
  messageId: z.string().check(z.minLength(1)),
  source: z.string(),
  destination: z.array(z.string()),
  tags: z._default(z.record(z.string(), z.array(z.string())), {}),
});

const bounceSchema = z.object({
  eventType: z.literal('Bounce'),
  mail: mailSchema,
  bounce: z.object({
    bounceType: z.enum(['Undetermined', 'Permanent', 'Transient']),
    bounceSubType: z.string(),
    bouncedRecipients: z
      .array(
        z.object({
          emailAddress: z.string(),
          action: z.optional(z.string()),
          status: z.optional(z.string()),
          diagnosticCode: z.optional(z.string()),
        }),
      )
      .check(z.minLength(1)),
    timestamp: z.iso.datetime(),
    feedbackId: z.string().check(z.minLength(1)),
    reportingMTA: z.optional(z.string()),
  }),
});

const complaintSchema = z.object({
  eventType: z.literal('Complaint'),
  mail: mailSchema,
  complaint: z.object({
    // Some mailbox providers redact the complaining address: the list may be empty.
    complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
    timestamp: z.iso.datetime(),
    feedbackId: z.string().check(z.minLength(1)),
    complaintSubType: z.nullish(z.string()),
    complaintFeedbackType: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    arrivalDate: z.optional(z.string()),
  }),
});

/** Events the destination may also publish; acknowledged without an effect. */
const otherSchema = z.object({
  eventType: z.enum([
    'Send',
    'Delivery',
    'Reject',
    'Open',
    'Click',
    'Rendering Failure',
    'DeliveryDelay',
    'Subscription',
  ]),
  mail: mailSchema,
});

export const sesEventSchema = z.discriminatedUnion('eventType', [bounceSchema, complaintSchema, otherSchema]);
export type SesEvent = z.infer<typeof sesEventSchema>;

/**
 * An SQS message from an SNS subscription with raw message delivery off: the SNS envelope,
 * with the fields Powertools' SnsSqsNotificationSchema reads (written here in zod/mini, so
 * the function does not load classic zod), and its Message parsed as the SES event.
 */
export const sesNotificationSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string(),
  TopicArn: z.string(),
  Subject: z.nullish(z.string()),
  Message: z.pipe(
    z.string(),
    z.pipe(
      z.transform((text: string, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          ctx.issues.push({
            code: 'custom',
            message: `Invalid JSON - ${(error as Error).message}`,
            input: text,
            continue: false,
          });
          return z.NEVER;
        }
      }),
      sesEventSchema,
    ),
  ),
  MessageAttributes: z.optional(z.record(z.string(), z.object({ Type: z.string(), Value: z.string() }))),
  Timestamp: z.iso.datetime(),
  Signature: z.optional(z.string()),
  SignatureVersion: z.optional(z.string()),
  SigningCertURL: z.optional(z.url()),
  UnsubscribeURL: z.optional(z.string()),
});

/** Our tags of a message, one value each (SES publishes every tag as a list). */
function tagsOf(event: SesEvent): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.mail.tags)) {
    const [first] = values;
    if (first !== undefined && !name.startsWith('ses:')) tags[name] = first;
  }
  return tags;
}

/** Chapar's feedback model for a bounce or complaint; undefined for events that need no action. */
export function feedbackOf(event: SesEvent): EmailFeedback | undefined {
  const lower = (recipients: { emailAddress: string }[]) =>
    recipients.map((recipient) => recipient.emailAddress.toLowerCase());
  switch (event.eventType) {
    case 'Bounce':
      return {
        kind: 'bounce',
        permanent: event.bounce.bounceType === 'Permanent',
        recipients: lower(event.bounce.bouncedRecipients),
        tags: tagsOf(event),
      };
    case 'Complaint':
      return {
        kind: 'complaint',
        permanent: false,
        recipients: lower(event.complaint.complainedRecipients),
        tags: tagsOf(event),
      };
    default:
      return undefined;
  }
}
