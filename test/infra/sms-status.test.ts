import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { functions, tables } from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { resourcesOfType } from './support/resources';

const off = synthChapar();
const on = synthChapar({ smsDeliveryCallback: 'true' });

const CALLBACK_ROUTE = 'POST /v1/callbacks/kavenegar/{secret}';

function functionEnvironment(template: typeof off.api, id: string): Record<string, unknown> {
  const [fn] = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(([logicalId]) =>
    logicalId.startsWith(id),
  );
  const properties = (fn?.[1] as { Properties?: { Environment?: { Variables?: Record<string, unknown> } } })
    ?.Properties;
  return properties?.Environment?.Variables ?? {};
}

describe('SMS delivery status in the cloud', () => {
  it('polls sms/status every minute from EventBridge Scheduler', () => {
    off.api.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: {
          'Fn::GetAtt': [Match.stringLikeRegexp(`^${functions['schedule-poll-sms-status'].id}`), 'Arn'],
        },
        Input: Match.stringLikeRegexp('"schedule":"PollSmsStatuses"'),
      }),
    });
  });

  it('keeps the poll batches in a table with a sparse keys-only due index and a TTL', () => {
    off.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'due',
          KeySchema: [
            { AttributeName: 'pollBucket', KeyType: 'HASH' },
            { AttributeName: 'dueAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ],
    });
    expect(tables.deliveries.indexes.map((index) => index.name)).not.toContain('inFlight');
    expect(tables.deliveries.indexes.map((index) => index.name)).not.toContain('byProviderMessage');
  });

  it('has no callback route by default, and tells the poller so', () => {
    const routeKeys = Object.values(resourcesOfType(off.api, 'AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties?.RouteKey,
    );
    expect(routeKeys).not.toContain(CALLBACK_ROUTE);
    off.api.resourcePropertiesCountIs(
      'AWS::ApiGatewayV2::Integration',
      { IntegrationSubtype: 'SQS-SendMessage' },
      0,
    );
    expect(functionEnvironment(off.api, functions['schedule-poll-sms-status'].id)).toMatchObject({
      CHAPAR_SMS_DELIVERY_CALLBACK: 'off',
    });
  });

  it('with smsDeliveryCallback, routes the callback straight into SQS with the path secret as an attribute', () => {
    on.api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: CALLBACK_ROUTE });
    on.api.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationSubtype: 'SQS-SendMessage',
      RequestParameters: {
        QueueUrl: Match.anyValue(),
        MessageBody: '$request.body',
        // API Gateway fills in ${request.path.secret} per request.
        MessageAttributes: JSON.stringify({
          secret: { DataType: 'String', StringValue: ['$', '{request.path.secret}'].join('') },
        }),
      },
    });
    // The route runs no Lambda: its integration is the queue's, not a function's.
    const callbackRoute = Object.values(resourcesOfType(on.api, 'AWS::ApiGatewayV2::Route')).find(
      (route) => route.Properties?.RouteKey === CALLBACK_ROUTE,
    );
    expect(JSON.stringify(callbackRoute)).not.toContain('LambdaIntegration');
    expect(functionEnvironment(on.api, functions['schedule-poll-sms-status'].id)).toMatchObject({
      CHAPAR_SMS_DELIVERY_CALLBACK: 'on',
    });
  });

  it('reads the reports in batches from their queue, with a dead-letter queue', () => {
    on.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
      FunctionName: { Ref: Match.stringLikeRegexp(`^${functions['queue-delivery-reports'].id}`) },
    });
    on.messaging.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
  });

  it('fails synth on a smsDeliveryCallback that is not true or false', () => {
    expect(() => synthChapar({ smsDeliveryCallback: 'sometimes' })).toThrow(/smsDeliveryCallback/);
  });

  it('is cdk-nag clean with the callback on', () => {
    for (const stack of [on.stacks.data, on.stacks.messaging, on.stacks.api]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(
        report.violations.map(
          (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
      ).toEqual([]);
    }
  });
});
