import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface EventTopicProps {
  /** @default - the topic's path */
  readonly displayName?: string;
}

/**
 * An SNS topic that an AWS service publishes events to and queues subscribe to: encrypted
 * with its own rotating KMS key (a publishing service cannot use the AWS-managed aws/sns key)
 * and TLS only. Which service may publish is granted by {@link grantServiceEncrypt} here and
 * by the topic policy the service's own construct adds.
 */
export class EventTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EventTopicProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the event topic ${this.node.path}`,
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
  }

  /** Lets a service principal of this account encrypt what it publishes (e.g. ses.amazonaws.com). */
  grantServiceEncrypt(service: string): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }

  /**
   * Delivers every message to `queue` in its SNS envelope (raw delivery off), as consumers
   * expect; the queue's policy then admits this topic only.
   */
  subscribeQueue(queue: sqs.IQueue): sns.Subscription {
    return this.topic.addSubscription(
      new subscriptions.SqsSubscription(queue, { rawMessageDelivery: false }),
    );
  }
}
