import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

/** AWS guidance: the visibility timeout covers at least six runs of the consumer. */
export const VISIBILITY_TO_CONSUMER_TIMEOUT_RATIO = 6;

export interface QueueWithDlqProps {
  /** How long a received message stays hidden from other consumers. */
  readonly visibilityTimeout: Duration;
  /**
   * Timeout of the Lambda function consuming the queue; synth fails when the visibility
   * timeout is under six times this value.
   * @default - no check (the queue has no Lambda consumer)
   */
  readonly consumerTimeout?: Duration;
  /**
   * Receives before a message moves to the dead-letter queue.
   * @default 5 (the usual floor: fewer retries send throttled messages to the DLQ)
   */
  readonly maxReceiveCount?: number;
  /** @default Duration.days(4) (the SQS default) */
  readonly retentionPeriod?: Duration;
  /** @default Duration.days(14) */
  readonly deadLetterRetentionPeriod?: Duration;
}

/**
 * A standard SQS queue (TLS only, SQS-managed encryption) that redrives to its own
 * dead-letter queue, with an alarm on the dead-letter queue.
 */
export class QueueWithDlq extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** In alarm while at least one message waits in the dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const { visibilityTimeout, consumerTimeout } = props;
    if (
      consumerTimeout !== undefined &&
      visibilityTimeout.toSeconds() < VISIBILITY_TO_CONSUMER_TIMEOUT_RATIO * consumerTimeout.toSeconds()
    ) {
      throw new Error(
        `Visibility timeout of ${this.node.path} (${visibilityTimeout.toSeconds()} s) must be at least ` +
          `${VISIBILITY_TO_CONSUMER_TIMEOUT_RATIO} x its consumer's timeout (${consumerTimeout.toSeconds()} s)`,
      );
    }

    const dlq = new DeadLetterQueue(this, 'DeadLetter', {
      retentionPeriod: props.deadLetterRetentionPeriod,
      alarmDescription: `Messages of ${id} failed every receive and wait in its dead-letter queue`,
    });
    this.deadLetterQueue = dlq.queue;
    this.deadLetterAlarm = dlq.alarm;
    this.queue = new sqs.Queue(this, 'Queue', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      visibilityTimeout,
      retentionPeriod: props.retentionPeriod,
      deadLetterQueue: { queue: dlq.queue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}
