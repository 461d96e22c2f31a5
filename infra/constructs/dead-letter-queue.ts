import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /**
   * How long a failed message waits for someone to look at it.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
  /** @default - a description naming the queue */
  readonly alarmDescription?: string;
}

/**
 * A dead-letter queue (TLS only, SQS-managed encryption, 14-day retention) and an alarm
 * that fires as soon as one message is visible in it. The alarm has no action: the owner
 * of the alarm topic adds it.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  /** In alarm while at least one message waits in the queue. */
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
    this.alarm = new cloudwatch.Alarm(this, 'MessagesVisibleAlarm', {
      alarmDescription:
        props.alarmDescription ?? `Messages are waiting in the dead-letter queue ${this.node.path}`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
