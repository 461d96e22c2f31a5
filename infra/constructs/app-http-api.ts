import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface AppHttpApiProps {
  /** @default - the construct's path */
  readonly description?: string;
  /** Steady requests per second allowed on every route. @default 50 */
  readonly throttleRateLimit?: number;
  /** Requests allowed in a burst on every route. @default 100 */
  readonly throttleBurstLimit?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN (the CloudWatch Logs default) */
  readonly accessLogRemovalPolicy?: RemovalPolicy;
}

// HTTP API variables, one JSON object per request; the client's address helps trace abuse.
// The route key, never the path: paths carry unsubscribe tokens and the callback secret.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * An HTTP API without CORS whose `$default` stage auto-deploys, writes an access log
 * line per request to its own log group, and throttles every route.
 */
export class AppHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppHttpApiProps = {}) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: props.description ?? this.node.path,
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.accessLogRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 50, burstLimit: props.throttleBurstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });
  }

  /**
   * Throttles one route below the stage's default (route settings of the stage; HTTP APIs
   * throttle per route and account, not per caller).
   */
  throttleRoute(
    route: apigw.HttpRoute,
    routeKey: string,
    limits: { readonly rateLimit: number; readonly burstLimit: number },
  ): void {
    const stage = this.stage.node.defaultChild as apigw.CfnStage;
    // RouteSettings is a plain JSON map in CloudFormation: its keys are written as CloudFormation
    // spells them, and the stage must wait for the route it names.
    const current = (stage.routeSettings ?? {}) as Record<string, unknown>;
    stage.routeSettings = {
      ...current,
      [routeKey]: { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
    };
    this.stage.node.addDependency(route);
  }

  /** The API's own https root, without a trailing slash. */
  get endpoint(): string {
    return this.api.apiEndpoint;
  }
}
