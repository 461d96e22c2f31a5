import { CfnOutput, Duration, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, HttpSqsIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { configDefaults } from '../../shared/config';
import {
  buckets,
  type FunctionDefinition,
  type FunctionName,
  functions,
  type QueueDefinition,
  type QueueName,
  type QueueRouteDefinition,
  queueRoutes,
  queues,
  type RouteDefinition,
  routes,
  SETTING_NAMES,
  type SecretName,
  schedules,
  type TableName,
} from '../../shared/definitions';
import { connectFunction, type EmailSending, type UserPoolResource } from '../connect-function';
import type { AlarmTopic } from '../constructs/alarm-topic';
import { AppFunction } from '../constructs/app-function';
import { AppHttpApi } from '../constructs/app-http-api';
import { ConsoleSite } from '../constructs/console-site';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import type { QueueWithDlq } from '../constructs/queue-with-dlq';
import { cloudBucketName } from '../constructs/upload-bucket';
import { mapRecord } from '../map-record';
import { domainOf, type OperatorConfig } from '../operator-config';

/** POWERTOOLS_SERVICE_NAME of every function, and the `service` dimension of its metrics. */
export const SERVICE_NAME = 'chapar';
/** POWERTOOLS_METRICS_NAMESPACE of every function. */
export const METRICS_NAMESPACE = 'Chapar';
export const KAVENEGAR_BASE_URL = 'https://api.kavenegar.com';
/** What the distribution sends to the HTTP API; everything else is the console. */
export const CONSOLE_API_PATHS = ['/v1/*', '/u/*', '/s/*', '/docs', '/docs/*', '/health'] as const;

// The dispatcher runs every minute: an invocation older than a few minutes is superseded
// by the next one, so retry briefly and leave the rest to the dead-letter queue.
const SCHEDULE_RETRY_ATTEMPTS = 3;
const SCHEDULE_MAX_EVENT_AGE = Duration.minutes(5);

export interface ApiStackProps extends StackProps {
  /** Folder holding package-lock.json, functions/ and templates/. */
  readonly projectRoot: string;
  readonly operator: OperatorConfig;
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  readonly secrets: Readonly<Record<SecretName, secretsmanager.ISecret>>;
  readonly queues: Readonly<Record<QueueName, QueueWithDlq>>;
  readonly configurationSet: ses.IConfigurationSet;
  /** The sending domain's identity. @default - the From address's domain, verified outside this app */
  readonly emailIdentity?: ses.IEmailIdentity;
  readonly alarmTopic: AlarmTopic;
  /** The user pool people sign in to; its ids go to the functions that verify tokens or manage users. */
  readonly userPool: UserPoolResource;
  /** The built console (console/dist), served with the API under one CloudFront distribution. */
  readonly consoleDist: string;
}

/** A route of `routes` and the API Gateway route serving it. */
export interface DeployedRoute {
  readonly definition: RouteDefinition;
  readonly route: apigw.HttpRoute;
}

/** A route of `queueRoutes` (on when its context flag is) and the API Gateway route serving it. */
export interface DeployedQueueRoute {
  readonly definition: QueueRouteDefinition;
  readonly route: apigw.HttpRoute;
}

/**
 * The code and its triggers: one function per entry of `functions` in
 * shared/definitions.ts, their queue event sources, the HTTP API with every route of
 * `routes`, the schedules of `schedules`, and the app's alarms.
 */
export class ApiStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, AppFunction>>;
  readonly httpApi: AppHttpApi;
  readonly routes: readonly DeployedRoute[];
  /** The optional routes API Gateway serves by sending to a queue; empty when their flag is off. */
  readonly queueRoutes: readonly DeployedQueueRoute[];
  readonly scheduleDeadLetter: DeadLetterQueue;
  /** Role EventBridge Scheduler assumes to invoke the scheduled functions. */
  readonly scheduleRole: iam.Role;
  readonly publicBaseUrl: string;
  readonly consoleSite: ConsoleSite;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { operator, alarmTopic } = props;

    this.httpApi = new AppHttpApi(this, 'HttpApi', { description: 'Chapar public and marketer API' });
    // The console, the API and the links in messages share the distribution's one domain.
    this.consoleSite = new ConsoleSite(this, 'Console', {
      distPath: props.consoleDist,
      apiEndpoint: this.httpApi.endpoint,
      apiPaths: CONSOLE_API_PATHS,
      runtime: {
        cognito: {
          region: this.region,
          userPoolId: props.userPool.userPoolId,
          clientId: props.userPool.clientId,
        },
      },
      connectOrigins: [
        `https://${cloudBucketName(buckets.imports.localName)}.s3.${this.region}.amazonaws.com`,
      ],
    });
    this.publicBaseUrl = operator.publicBaseUrl ?? this.consoleSite.url;

    const resources = {
      tables: props.tables,
      secrets: props.secrets,
      queues: mapRecord(props.queues, (queue) => queue.queue),
      // By name, not by reference: the buckets live in ChaparMessaging (see cloudBucketName).
      buckets: mapRecord(buckets, (definition) =>
        s3.Bucket.fromBucketName(this, `${definition.id}Ref`, cloudBucketName(definition.localName)),
      ),
      email: this.emailSending(props),
      userPool: props.userPool,
      // Settings left to their defaults are set to them, so every variable a function reads is in its environment.
      settings: {
        ...configDefaults(SETTING_NAMES),
        CHAPAR_SMS_SENDER: operator.smsSender,
        CHAPAR_ABUSE_EMAIL: operator.abuseEmail,
        CHAPAR_PUBLIC_BASE_URL: this.publicBaseUrl,
        CHAPAR_SMS_DELIVERY_CALLBACK: operator.smsDeliveryCallback ? 'on' : 'off',
        CHAPAR_SMS_PRICE_RIAL: String(operator.smsPriceRial),
        KAVENEGAR_BASE_URL,
      },
      rateLimits: {
        CHAPAR_SMS_RATE: String(operator.smsRate),
        CHAPAR_SMS_RATE_GUARD_MS: String(operator.smsRateGuardMs),
        CHAPAR_KAVENEGAR_CALL_RATE: String(operator.kavenegarCallRate),
        // The transactional share's default (0.2); set it in the function environment to change it.
        CHAPAR_SMS_TRANSACTIONAL_SHARE: configDefaults(['CHAPAR_SMS_TRANSACTIONAL_SHARE'])
          .CHAPAR_SMS_TRANSACTIONAL_SHARE as string,
      },
    };
    this.functions = mapRecord(functions, (definition: FunctionDefinition, name) => {
      const fn = new AppFunction(this, definition.id, {
        projectRoot: props.projectRoot,
        entry: definition.entry,
        description: `Chapar ${name}`,
        timeout: Duration.seconds(definition.timeoutSeconds),
        memorySize: name === 'queue-send-email' ? operator.emailSenderMemoryMb : definition.memoryMb,
        ephemeralStorageSize:
          definition.ephemeralStorageMb === undefined
            ? undefined
            : Size.mebibytes(definition.ephemeralStorageMb),
        reservedConcurrentExecutions: definition.reservedConcurrency,
        templatesDir: 'templates',
        bundledFiles: definition.bundledFiles,
        sideModules: definition.sideModules,
        serviceName: SERVICE_NAME,
        metricsNamespace: METRICS_NAMESPACE,
      });
      connectFunction(fn.function, definition, resources);
      alarmTopic.notify(fn.errorsAlarm);
      return fn;
    });

    this.addQueueConsumers(props.queues);
    this.routes = this.addRoutes();
    this.queueRoutes = operator.smsDeliveryCallback ? this.addQueueRoutes(props.queues) : [];
    this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      description: 'EventBridge Scheduler invokes the Chapar scheduled functions',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    this.scheduleDeadLetter = this.addSchedules();
    alarmTopic.notify(this.scheduleDeadLetter.alarm, this.addCampaignPausedAlarm());

    new CfnOutput(this, 'ApiEndpoint', { value: this.httpApi.endpoint });
    new CfnOutput(this, 'PublicBaseUrl', { value: this.publicBaseUrl });
    new CfnOutput(this, 'ConsoleUrl', { value: `${this.consoleSite.url}/console/` });
  }

  private emailSending(props: ApiStackProps): EmailSending {
    const { fromEmail } = props.operator;
    const identityArns = props.emailIdentity
      ? [props.emailIdentity.emailIdentityArn]
      : [fromEmail, domainOf(fromEmail)].map((identity) =>
          this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        );
    const configurationSetName = props.configurationSet.configurationSetName;
    return {
      fromEmail,
      configurationSetName,
      configurationSetArn: this.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSetName,
      }),
      identityArns,
    };
  }

  private addQueueConsumers(queuesByName: Readonly<Record<QueueName, QueueWithDlq>>): void {
    for (const [name, definition] of Object.entries(queues) as [QueueName, (typeof queues)[QueueName]][]) {
      assertConcurrencyFits(definition, functions[definition.consumer]);
      this.functions[definition.consumer].function.addEventSource(
        new SqsEventSource(queuesByName[name].queue, {
          batchSize: definition.batchSize,
          maxBatchingWindow: Duration.seconds(definition.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          maxConcurrency: definition.maximumConcurrency,
        }),
      );
    }
  }

  private addRoutes(): DeployedRoute[] {
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(
          `${functions[name].id}Integration`,
          this.functions[name].function,
        );
        integrations.set(name, integration);
      }
      return integration;
    };
    return routes.map((definition) => {
      const route = new apigw.HttpRoute(this.httpApi, routeId(definition), {
        httpApi: this.httpApi.api,
        routeKey: apigw.HttpRouteKey.with(definition.path, apigw.HttpMethod[definition.method]),
        integration: integrationFor(definition.function),
      });
      if (definition.throttle)
        this.httpApi.throttleRoute(route, `${definition.method} ${definition.path}`, definition.throttle);
      return { definition, route };
    });
  }

  /**
   * Routes served by API Gateway itself: an SQS-SendMessage integration puts the body in the
   * queue and each path attribute in a message attribute; no Lambda runs per request.
   */
  private addQueueRoutes(queuesByName: Readonly<Record<QueueName, QueueWithDlq>>): DeployedQueueRoute[] {
    return queueRoutes.map((definition) => {
      const queue = queuesByName[definition.queue].queue;
      const attributes = Object.fromEntries(
        definition.pathAttributes.map((name) => [
          name,
          { DataType: 'String', StringValue: `\${request.path.${name}}` },
        ]),
      );
      const integration = new HttpSqsIntegration(`${queues[definition.queue].id}Integration`, {
        queue,
        subtype: apigw.HttpIntegrationSubtype.SQS_SEND_MESSAGE,
        parameterMapping: new apigw.ParameterMapping()
          .custom('QueueUrl', queue.queueUrl)
          .custom('MessageBody', '$request.body')
          .custom('MessageAttributes', JSON.stringify(attributes)),
      });
      const route = new apigw.HttpRoute(this.httpApi, routeId(definition), {
        httpApi: this.httpApi.api,
        routeKey: apigw.HttpRouteKey.with(definition.path, apigw.HttpMethod[definition.method]),
        integration,
      });
      return { definition, route };
    });
  }

  private addSchedules(): DeadLetterQueue {
    const deadLetter = new DeadLetterQueue(this, 'ScheduleDeadLetter', {
      alarmDescription: 'Scheduled invocations failed every retry and wait in the dead-letter queue',
    });
    for (const definition of schedules) {
      new scheduler.Schedule(this, definition.id, {
        description: `Chapar ${definition.id}`,
        schedule: scheduler.ScheduleExpression.expression(definition.expression),
        target: new targets.LambdaInvoke(this.functions[definition.function].function, {
          input: scheduler.ScheduleTargetInput.fromObject({
            schedule: definition.id,
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          role: this.scheduleRole,
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
          deadLetterQueue: deadLetter.queue,
        }),
      });
    }
    return deadLetter;
  }

  private addCampaignPausedAlarm(): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, 'CampaignPausedAlarm', {
      alarmDescription: 'A campaign paused itself after too many send errors',
      // Powertools Metrics adds the `service` dimension to every metric it emits.
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'CampaignPaused',
        dimensionsMap: { service: SERVICE_NAME },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/**
 * Throws when a queue's event source may run more batches at once than its consumer's
 * reserved concurrency: the extra invocations are throttled and their messages drift
 * towards the dead-letter queue.
 */
export function assertConcurrencyFits(queue: QueueDefinition, consumer: FunctionDefinition): void {
  const reserved = consumer.reservedConcurrency;
  if (reserved !== undefined && queue.maximumConcurrency > reserved) {
    throw new Error(
      `Queue ${queue.id}: maximumConcurrency ${queue.maximumConcurrency} exceeds the reserved ` +
        `concurrency ${reserved} of its consumer ${queue.consumer}`,
    );
  }
}

/** `POST /v1/campaigns/{campaignId}/cancel` becomes `PostV1CampaignsCampaignIdCancel`. */
export function routeId(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  const words = [route.method.toLowerCase(), ...route.path.split(/[^A-Za-z0-9]+/)].filter(Boolean);
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}
