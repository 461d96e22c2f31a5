import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QueueWithDlq } from '../../infra/constructs/queue-with-dlq';
import { functions, type QueueName, queues } from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { logicalIdOf, resourceOf, resourcesOfType } from './support/resources';

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;
const { stacks, messaging } = synthChapar();
const topicRef = { Ref: logicalIdOf(stacks.messaging.alarmTopic.topic) };

/** The TLS-only statement CDK's enforceSSL puts in a queue's policy. */
function expectTlsOnly(queueLogicalId: string): void {
  messaging.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: queueLogicalId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    },
  });
}

describe('messaging stack: queues', () => {
  it('has one queue and one dead-letter queue per definition', () => {
    messaging.resourceCountIs('AWS::SQS::Queue', 2 * Object.keys(queues).length);
  });

  describe.each(Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][])(
    '%s',
    (name, definition) => {
      const construct = stacks.messaging.queues[name];
      const queue = resourceOf(messaging, construct.queue).Properties;
      const dlqId = logicalIdOf(construct.deadLetterQueue);
      const dlq = resourceOf(messaging, construct.deadLetterQueue).Properties;

      it('hides a message for the defined time, at least 6 x its consumer timeout', () => {
        expect(queue.VisibilityTimeout).toBe(definition.visibilityTimeoutSeconds);
        expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(
          6 * functions[definition.consumer].timeoutSeconds,
        );
      });

      it('redrives to its own DLQ after the defined receive count', () => {
        expect(queue.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          maxReceiveCount: definition.maxReceiveCount,
        });
      });

      it('keeps dead letters 14 days, encrypted with SQS-managed keys', () => {
        expect(dlq.MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
        expect(dlq.SqsManagedSseEnabled).toBe(true);
        expect(queue.SqsManagedSseEnabled).toBe(true);
      });

      it('refuses requests without TLS on the queue and its DLQ', () => {
        expectTlsOnly(logicalIdOf(construct.queue));
        expectTlsOnly(dlqId);
      });

      it('alarms to the topic as soon as one dead letter is visible', () => {
        messaging.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [topicRef],
        });
      });
    },
  );

  it('fails synth when the visibility timeout is under 6 x the consumer timeout', () => {
    const stack = new Stack(new App(), 'Test');
    expect(
      () =>
        new QueueWithDlq(stack, 'Short', {
          visibilityTimeout: Duration.seconds(59),
          consumerTimeout: Duration.seconds(10),
        }),
    ).toThrow(/at least 6 x its consumer's timeout/);
  });
});

describe('messaging stack: SES', () => {
  it('has a configuration set with reputation metrics, sending on and TLS required', () => {
    messaging.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });

  it('creates no identity without a sending domain', () => {
    messaging.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('verifies the sending domain with the configuration set and outputs its DKIM records', () => {
    const { stacks: withDomain, messaging: template } = synthChapar({ sendingDomain: 'mail.chapar.ir' });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'mail.chapar.ir',
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: logicalIdOf(withDomain.messaging.configurationSet) },
      },
    });
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs.filter((id) => id.startsWith('DkimRecord'))).toHaveLength(3);
  });
});

describe('messaging stack: alarm topic', () => {
  it('is encrypted with a rotating key that CloudWatch may use', () => {
    const topic = resourceOf(messaging, stacks.messaging.alarmTopic.topic).Properties;
    const keyId = logicalIdOf(stacks.messaging.alarmTopic.key);
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    messaging.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('refuses publishing without TLS', () => {
    messaging.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes alarmEmail only when given', () => {
    const emails = Object.values(resourcesOfType(messaging, 'AWS::SNS::Subscription')).filter(
      (subscription) => subscription.Properties.Protocol === 'email',
    );
    expect(emails).toHaveLength(0);
    const { messaging: template } = synthChapar({ alarmEmail: 'ops@chapar.ir' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@chapar.ir',
    });
  });
});
