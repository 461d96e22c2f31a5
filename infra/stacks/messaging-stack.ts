import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import {
  type BucketName,
  buckets,
  functions,
  type QueueName,
  queues,
  type TopicName,
  topics,
} from '../../shared/definitions';
import { AlarmTopic } from '../constructs/alarm-topic';
import { EventTopic } from '../constructs/event-topic';
import { QueueWithDlq } from '../constructs/queue-with-dlq';
import { UploadBucket } from '../constructs/upload-bucket';
import { mapRecord } from '../map-record';

export interface MessagingStackProps extends StackProps {
  /** Domain to verify in SES with Easy DKIM. @default - no identity (managed outside this app) */
  readonly sendingDomain?: string;
  /** Address subscribed to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
}

/**
 * SES events the configuration set publishes to the `sesEvents` topic: only those Chapar acts
 * on. Delivery events would cost an SNS publish, an SQS message and an invocation per email.
 */
export const SES_EVENT_TYPES: readonly ses.EmailSendingEvent[] = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
];

/**
 * How messages move: the upload buckets and the queues their events go to, the work queues of `queues` in shared/definitions.ts with their
 * dead-letter queues, the event topics of `topics` with their subscribed queues, the SES
 * configuration set (publishing to `sesEvents`) and sending identity, and the one topic
 * every alarm of the app notifies.
 */
export class MessagingStack extends Stack {
  readonly queues: Readonly<Record<QueueName, QueueWithDlq>>;
  readonly topics: Readonly<Record<TopicName, EventTopic>>;
  /** The buckets of `buckets`, here with the queues their uploads notify. */
  readonly buckets: Readonly<Record<BucketName, UploadBucket>>;
  readonly alarmTopic: AlarmTopic;
  readonly configurationSet: ses.ConfigurationSet;
  readonly emailIdentity?: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: MessagingStackProps = {}) {
    super(scope, id, props);

    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      displayName: 'Chapar alarms',
      email: props.alarmEmail,
    });

    this.queues = mapRecord(queues, (definition) => {
      const queue = new QueueWithDlq(this, definition.id, {
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        consumerTimeout: Duration.seconds(functions[definition.consumer].timeoutSeconds),
        maxReceiveCount: definition.maxReceiveCount,
      });
      this.alarmTopic.notify(queue.deadLetterAlarm);
      return queue;
    });

    this.buckets = mapRecord(
      buckets,
      (definition) =>
        new UploadBucket(this, definition.id, {
          baseName: definition.localName,
          expireAfterDays: definition.expireAfterDays,
          notifies: definition.notifies && {
            queue: this.queues[definition.notifies.queue].queue,
            prefix: definition.notifies.prefix,
          },
        }),
    );

    this.configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      // Never retry an address that bounced or complained: both count against the account.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    this.topics = mapRecord(topics, (definition) => {
      const topic = new EventTopic(this, definition.id, { displayName: `Chapar ${definition.id}` });
      for (const name of definition.subscribers) topic.subscribeQueue(this.queues[name].queue);
      return topic;
    });
    // CDK adds the topic policy: SES may publish from this configuration set of this account only.
    new ses.ConfigurationSetEventDestination(this, 'SesEventsDestination', {
      configurationSet: this.configurationSet,
      destination: ses.EventDestination.snsTopic(this.topics.sesEvents.topic),
      events: [...SES_EVENT_TYPES],
    });
    this.topics.sesEvents.grantServiceEncrypt('ses.amazonaws.com');

    new CfnOutput(this, 'ConfigurationSetName', { value: this.configurationSet.configurationSetName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });

    if (props.sendingDomain !== undefined) {
      this.emailIdentity = new ses.EmailIdentity(this, 'SendingIdentity', {
        identity: ses.Identity.domain(props.sendingDomain),
        configurationSet: this.configurationSet,
      });
      this.emailIdentity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `DNS record ${index + 1} of 3 that verifies ${props.sendingDomain} with Easy DKIM`,
        });
      });
    }
  }
}
