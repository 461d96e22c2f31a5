/** SQS queues (each with its consumer and event source settings) and the SNS topics feeding them. */

import type { FunctionName } from './functions';

export const QUEUE_NAMES = [
  'dispatch',
  'sms',
  'email',
  'transactional',
  'sesFeedback',
  'deliveryReports',
  'imports',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface QueueDefinition {
  readonly id: string;
  readonly envVar: string;
  /** Consumer function; Lambda's event source mapping settings. */
  readonly consumer: FunctionName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Caps how hard a provider is hit; at or under the consumer's reserved concurrency. */
  readonly maximumConcurrency: number;
  /** At least 6 times the consumer's timeout (AWS guidance). */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's DLQ. */
  readonly maxReceiveCount: number;
  /** Recipients carried by one message of this queue (dispatcher chunking). */
  readonly recipientsPerMessage: number;
}

export const queues = {
  /**
   * Fan-out work: one message per page of one unit of a campaign's audience. Concurrency lets
   * every unit of a campaign (DISPATCH_SCAN_SEGMENTS) run at once.
   */
  dispatch: {
    id: 'DispatchQueue',
    envVar: 'DISPATCH_QUEUE_URL',
    consumer: 'queue-dispatch-campaign',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maximumConcurrency: 16,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 0,
  },
  sms: {
    id: 'SmsQueue',
    envVar: 'SMS_QUEUE_URL',
    consumer: 'queue-send-sms',
    // One record carries up to 200 recipients: one Kavenegar call (its per-call maximum).
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maximumConcurrency: 3,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 200,
  },
  /**
   * 100 recipients a message, one message an invocation: the ledger's count is one write per
   * message (a 4-item transaction, 8 write units), so 100 a message halve what counting costs an
   * email against 50, and a grant of SES's rate covers up to a message at once. 100 take 14 s
   * at 14/s and fit well in the sender's 50 s of waits; two concurrent senders (the least an SQS
   * event source allows) share the rate, each waiting for its turn as one waiter.
   */
  email: {
    id: 'EmailQueue',
    envVar: 'EMAIL_QUEUE_URL',
    consumer: 'queue-send-email',
    batchSize: 1,
    maxBatchingWindowSeconds: 1,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 100,
  },
  /**
   * Transactional messages (order status, service notices), one message id per record: their
   * own queue and sender, so no campaign backlog stands in front of them. SMS among them lease
   * the shared rate with the reserved transactional share (CHAPAR_SMS_TRANSACTIONAL_SHARE).
   */
  transactional: {
    id: 'TransactionalQueue',
    envVar: 'TRANSACTIONAL_QUEUE_URL',
    consumer: 'queue-send-message',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 6 * 30,
    maxReceiveCount: 5,
    recipientsPerMessage: 1,
  },
  /** SES bounce and complaint events, delivered from the `sesEvents` topic. */
  sesFeedback: {
    id: 'SesFeedbackQueue',
    envVar: 'SES_FEEDBACK_QUEUE_URL',
    consumer: 'queue-ses-feedback',
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 3 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 0,
  },
  /**
   * Kavenegar's delivery reports, sent here by API Gateway itself (no Lambda per report) when
   * the optional callback is on; read in batches and kept for status polling.
   */
  deliveryReports: {
    id: 'DeliveryReportQueue',
    envVar: 'DELIVERY_REPORT_QUEUE_URL',
    consumer: 'queue-delivery-reports',
    batchSize: 100,
    maxBatchingWindowSeconds: 10,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 3 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 0,
  },
  /**
   * The imports bucket's object-created events (S3 event notifications) and the import's own
   * continuation messages: one import runs in one chain of invocations, checkpointed.
   */
  imports: {
    id: 'ImportsQueue',
    envVar: 'IMPORTS_QUEUE_URL',
    consumer: 'queue-import-contacts',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 6 * 300,
    maxReceiveCount: 5,
    recipientsPerMessage: 0,
  },
} as const satisfies Record<QueueName, QueueDefinition>;

/** SNS topics and the queues subscribed to them (SNS envelopes: raw message delivery off). */
export const topics = {
  /** The SES configuration set's event destination: bounces, complaints, deliveries. */
  sesEvents: { id: 'SesEventsTopic', subscribers: ['sesFeedback'] as readonly QueueName[] },
} as const;

export type TopicName = keyof typeof topics;
