import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { assertConcurrencyFits, METRICS_NAMESPACE, SERVICE_NAME } from '../../infra/stacks/api-stack';
import {
  type Access,
  environmentOf,
  type FunctionDefinition,
  type FunctionName,
  functions,
  type QueueName,
  queues,
  routes,
  schedules,
  secrets,
  type TableName,
  tables,
} from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { resourcesAllowed, statementsOfRole } from './support/iam';
import { logicalIdOf, resourceOf, resourcesOfType } from './support/resources';

const { stacks, api } = synthChapar();
const topicImport = {
  'Fn::ImportValue': Match.stringLikeRegexp(logicalIdOf(stacks.messaging.alarmTopic.topic)),
};

/** How the api stack sees a resource of another stack: an import of its export. */
const importOf = (logicalId: string, attribute: 'Ref' | 'Arn') =>
  attribute === 'Ref' ? `ExportsOutputRef${logicalId}` : `ExportsOutputFnGetAtt${logicalId}Arn`;

/** The export name a value imports, or undefined when it is no plain import. */
function importedName(value: unknown): string | undefined {
  const name = (value as { 'Fn::ImportValue'?: unknown } | undefined)?.['Fn::ImportValue'];
  return typeof name === 'string' ? name : undefined;
}

/** What the AppFunction construct gives every function, beside its definition's environment. */
const RUNTIME_VARIABLES = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE'];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

const functionEntries = Object.entries(functions) as [FunctionName, FunctionDefinition][];

describe('api stack: functions', () => {
  it("has exactly one function per definition, besides CDK's console deployment handler", () => {
    api.resourceCountIs('AWS::Lambda::Function', functionEntries.length + 1);
    const handlers = Object.keys(api.findResources('AWS::Lambda::Function')).filter((id) =>
      id.startsWith('CustomCDKBucketDeployment'),
    );
    expect(handlers).toHaveLength(1);
  });

  describe.each(functionEntries)('%s', (name, definition) => {
    const construct = stacks.api.functions[name];
    const fn = resourceOf(api, construct.function).Properties;
    const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    const statements = statementsOfRole(api, logicalIdOf(construct.role));
    const tableEntries = Object.entries(definition.tables) as [TableName, Access][];

    it('runs nodejs24.x on arm64 with the defined timeout, memory and concurrency', () => {
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: definition.timeoutSeconds,
        MemorySize: definition.memoryMb,
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.ReservedConcurrentExecutions).toBe(definition.reservedConcurrency);
    });

    it('logs to its own log group with a retention', () => {
      const logGroupId = logicalIdOf(construct.logGroup);
      expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(resourceOf(api, construct.logGroup).Properties.RetentionInDays).toBeGreaterThan(0);
    });

    it('has exactly the environment its definition implies', () => {
      const expected = [...RUNTIME_VARIABLES, ...environmentOf(definition)];
      expect(Object.keys(env).sort()).toEqual(expected.sort());
      // No NODE_OPTIONS: source maps are uploaded beside the bundle, never loaded at start.
      expect(env.NODE_OPTIONS).toBeUndefined();
      expect(env).toMatchObject({
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      });
    });

    it('gets secret ARNs, never secret values', () => {
      for (const secret of definition.secrets) {
        const secretId = logicalIdOf(stacks.data.secrets[secret]);
        expect(importedName(env[secrets[secret].envVar])).toContain(importOf(secretId, 'Ref'));
      }
      expect(JSON.stringify(env)).not.toMatch(/resolve:secretsmanager|SecretString|SET-ME/);
    });

    it('may read its tables and their indexes, and write only the readWrite ones', () => {
      for (const [table, access] of tableEntries) {
        const tableId = logicalIdOf(stacks.data.tables[table]);
        const arn = importOf(tableId, 'Arn');
        expect(importedName(env[tables[table].envVar])).toContain(importOf(tableId, 'Ref'));
        expect(resourcesAllowed(statements, 'dynamodb:GetItem').some((r) => r.includes(arn))).toBe(true);
        for (const action of TABLE_WRITE) {
          const writable = resourcesAllowed(statements, action).some(
            (r) => r.includes(arn) && !r.includes('/index/'),
          );
          expect(writable, `${action} on ${table}`).toBe(access === 'readWrite');
        }
        for (const index of tables[table].indexes) {
          const query = resourcesAllowed(statements, 'dynamodb:Query');
          expect(query.some((r) => r.includes(arn) && r.includes(`/index/${index.name}"`))).toBe(true);
        }
      }
    });

    it('may send to the queues it sends to, and only those', () => {
      const sendable = resourcesAllowed(statements, 'sqs:SendMessage');
      for (const [queue, queueDefinition] of Object.entries(queues) as [
        QueueName,
        (typeof queues)[QueueName],
      ][]) {
        const queueArn = importOf(logicalIdOf(stacks.messaging.queues[queue].queue), 'Arn');
        const sends = definition.sendsTo.includes(queue);
        expect(sendable.some((r) => r.includes(queueArn))).toBe(sends);
        if (sends) {
          const queueId = logicalIdOf(stacks.messaging.queues[queue].queue);
          expect(importedName(env[queueDefinition.envVar])).toContain(importOf(queueId, 'Ref'));
        }
      }
    });

    it('may read its secrets and no other', () => {
      const readable = resourcesAllowed(statements, 'secretsmanager:GetSecretValue');
      expect(readable).toHaveLength(definition.secrets.length);
    });

    it('may send email only when its definition says so, through named resources only', () => {
      const sesResources = resourcesAllowed(statements, 'ses:SendEmail');
      if (!definition.sendsEmail) {
        expect(sesResources).toEqual([]);
        return;
      }
      expect(sesResources.length).toBeGreaterThan(0);
      expect(sesResources).not.toContain('"*"');
      // Only a function sending with events uses (and may name) the configuration set.
      expect(sesResources.some((r) => r.includes(':configuration-set/'))).toBe(
        definition.sendsEmail === 'withEvents',
      );
      expect(sesResources.some((r) => r.includes(':identity/'))).toBe(true);
      expect(resourcesAllowed(statements, 'ses:SendRawEmail')).toEqual(sesResources);
    });

    it('alarms to the topic on errors', () => {
      api.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(construct.function) } }],
        AlarmActions: [topicImport],
      });
    });
  });
});

describe('api stack: queue event sources', () => {
  it('has one event source mapping per queue', () => {
    api.resourceCountIs('AWS::Lambda::EventSourceMapping', Object.keys(queues).length);
  });

  it.each(Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][])('%s', (name, definition) => {
    const consumer = stacks.api.functions[definition.consumer].function;
    const mapping = Object.values(resourcesOfType(api, 'AWS::Lambda::EventSourceMapping')).find((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes(logicalIdOf(stacks.messaging.queues[name].queue)),
    );
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { Ref: logicalIdOf(consumer) },
      BatchSize: definition.batchSize,
      MaximumBatchingWindowInSeconds: definition.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: definition.maximumConcurrency },
    });
    const reserved = resourceOf(api, consumer).Properties.ReservedConcurrentExecutions;
    if (typeof reserved === 'number') expect(definition.maximumConcurrency).toBeLessThanOrEqual(reserved);
  });

  it('refuses a maximum concurrency above the consumer reserved concurrency', () => {
    expect(() =>
      assertConcurrencyFits(
        { ...queues.sms, maximumConcurrency: 3 },
        { ...functions['queue-send-sms'], reservedConcurrency: 2 },
      ),
    ).toThrow(/exceeds the reserved concurrency 2/);
  });
});

describe('api stack: HTTP API', () => {
  const routeResources = Object.values(resourcesOfType(api, 'AWS::ApiGatewayV2::Route'));

  it('serves exactly the defined routes', () => {
    const deployed = routeResources.map((route) => route.Properties.RouteKey).sort();
    expect(deployed).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('sends each route to the function of its definition', () => {
    const integrations = resourcesOfType(api, 'AWS::ApiGatewayV2::Integration');
    api.resourceCountIs('AWS::ApiGatewayV2::Integration', new Set(routes.map((r) => r.function)).size);
    for (const definition of routes) {
      const route = routeResources.find(
        (r) => r.Properties.RouteKey === `${definition.method} ${definition.path}`,
      );
      const integrationId = JSON.stringify(route?.Properties.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
      const fnId = logicalIdOf(stacks.api.functions[definition.function].function);
      expect(integrations[integrationId]?.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
  });

  it('has no CORS configuration', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
  });

  it('logs every request and throttles every route on the $default stage', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stacks.api.httpApi.accessLogGroup), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('throttles the spoof-report webhook on its own route, below the stage default', () => {
    const throttled = routes.filter((route) => route.throttle);
    expect(throttled.map((route) => `${route.method} ${route.path}`)).toEqual([
      'POST /v1/reports/spoofed-sms',
    ]);
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        'POST /v1/reports/spoofed-sms': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 20 },
      },
    });
  });
});

describe('api stack: schedules', () => {
  it('has one schedule per definition', () => {
    api.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
  });

  it.each(schedules.map((s) => [s.id, s] as const))('%s', (_id, definition) => {
    const fnId = logicalIdOf(stacks.api.functions[definition.function].function);
    api.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: definition.expression,
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
        Input: `{"schedule":"${definition.id}","scheduledTime":"<aws.scheduler.scheduled-time>"}`,
        RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [logicalIdOf(stacks.api.scheduleDeadLetter.queue), 'Arn'] },
        },
      },
    });
  });
});

describe('api stack: alarms', () => {
  it('alarms when a campaign pauses itself', () => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Chapar',
      MetricName: 'CampaignPaused',
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicImport],
    });
  });

  it('alarms on the schedules dead-letter queue', () => {
    api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(stacks.api.scheduleDeadLetter.queue), 'QueueName'] },
        },
      ],
      AlarmActions: [topicImport],
    });
  });
});
