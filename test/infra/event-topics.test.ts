import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type QueueName, queues, type TopicName, topics } from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { logicalIdOf, resourceOf, resourcesOfType } from './support/resources';

const { stacks, messaging, api } = synthChapar();

describe('messaging stack: event topics', () => {
  it('has one topic per definition', () => {
    // Assess: the alarm topic plus one per entry of `topics`.
    messaging.resourceCountIs('AWS::SNS::Topic', 1 + Object.keys(topics).length);
  });

  describe.each(Object.entries(topics) as [TopicName, (typeof topics)[TopicName]][])(
    '%s',
    (name, definition) => {
      const construct = stacks.messaging.topics[name];
      const topicId = logicalIdOf(construct.topic);

      it('is encrypted with its own rotating key', () => {
        const topic = resourceOf(messaging, construct.topic).Properties;
        const key = resourceOf(messaging, construct.key).Properties;
        expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(construct.key), 'Arn'] });
        expect(key.EnableKeyRotation).toBe(true);
      });

      it('refuses publishing without TLS', () => {
        messaging.hasResourceProperties('AWS::SNS::TopicPolicy', {
          Topics: [{ Ref: topicId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sns:Publish',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      });

      it.each(definition.subscribers.map((queue) => [queue] as [QueueName]))(
        'delivers SNS envelopes (raw delivery off) to %s, whose policy admits this topic only',
        (queue) => {
          const queueId = logicalIdOf(stacks.messaging.queues[queue].queue);
          messaging.hasResourceProperties('AWS::SNS::Subscription', {
            Protocol: 'sqs',
            TopicArn: { Ref: topicId },
            Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
            RawMessageDelivery: false,
          });
          messaging.hasResourceProperties('AWS::SQS::QueuePolicy', {
            Queues: [{ Ref: queueId }],
            PolicyDocument: {
              Statement: Match.arrayWith([
                {
                  Effect: 'Allow',
                  Action: 'sqs:SendMessage',
                  Principal: { Service: 'sns.amazonaws.com' },
                  Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
                  Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
                },
              ]),
            },
          });
        },
      );
    },
  );

  it('subscribes no queue to a topic it is not defined for', () => {
    const subscribed = Object.values(resourcesOfType(messaging, 'AWS::SNS::Subscription')).filter(
      (subscription) => subscription.Properties.Protocol === 'sqs',
    );
    expect(subscribed).toHaveLength(Object.values(topics).flatMap((topic) => topic.subscribers).length);
  });

  it('hands sesFeedback messages to queue-ses-feedback with partial batch responses', () => {
    const mapping = Object.values(resourcesOfType(api, 'AWS::Lambda::EventSourceMapping')).find((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes(
        logicalIdOf(stacks.messaging.queues.sesFeedback.queue),
      ),
    );
    expect(queues.sesFeedback.consumer).toBe('queue-ses-feedback');
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { Ref: logicalIdOf(stacks.api.functions['queue-ses-feedback'].function) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('messaging stack: SES event destination', () => {
  const topicId = logicalIdOf(stacks.messaging.topics.sesEvents.topic);
  const setId = logicalIdOf(stacks.messaging.configurationSet);

  it('publishes only bounces and complaints (what Chapar acts on) to the sesEvents topic', () => {
    messaging.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    messaging.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: setId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
  });

  it('lets SES publish from this configuration set of this account only', () => {
    messaging.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([{ Ref: setId }])],
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets SES, from this account only, use the topic key', () => {
    const key = resourceOf(messaging, stacks.messaging.topics.sesEvents.key).Properties;
    expect(key.KeyPolicy).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ]),
    });
  });
});
