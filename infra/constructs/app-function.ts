import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy, type Size } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ESM_REQUIRE_BANNER, externalModules, sideModulesCommand } from './bundling';

export interface AppFunctionProps {
  /** Folder holding package-lock.json; entry and templatesDir are relative to it. */
  readonly projectRoot: string;
  /** Handler module relative to projectRoot; it exports `handler`. */
  readonly entry: string;
  /** Maximum run time of one invocation. */
  readonly timeout: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Size of /tmp. @default 512 MiB (Lambda's) */
  readonly ephemeralStorageSize?: Size;
  /** Concurrency reserved for, and capping, the function. @default - unreserved, uncapped */
  readonly reservedConcurrentExecutions?: number;
  /** Extra environment variables. @default - only the defaults listed on AppFunction */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Folder, relative to projectRoot, copied into the bundle as `templates/`, where the
   * function reads it at run time. Synth fails when the folder does not exist.
   * @default - nothing copied
   */
  readonly templatesDir?: string;
  /**
   * Files copied into the bundle: path in the bundle → path relative to projectRoot. Synth
   * fails when a source file does not exist.
   * @default - nothing copied
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
  /**
   * Packages built beside the handler as their own file, loaded only when the code first asks
   * (FunctionDefinition.sideModules; infra/side-modules.mjs). @default none
   */
  readonly sideModules?: readonly string[];
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN (the CloudWatch Logs default) */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** POWERTOOLS_SERVICE_NAME. @default 'chapar' */
  readonly serviceName?: string;
  /** POWERTOOLS_METRICS_NAMESPACE. @default 'Chapar' */
  readonly metricsNamespace?: string;
  /**
   * Bundle the AWS SDK instead of using the runtime's copy, so the pinned, tested
   * versions are the ones that run (and a function starts about twice as fast: see
   * `npm run bench:cold`). The credential sources Lambda never reaches stay out either way
   * (UNREACHED_CREDENTIAL_MODULES in ./bundling).
   * @default true
   */
  readonly bundleAwsSdk?: boolean;
  /** Errors in five minutes that put errorsAlarm in alarm. @default 1 */
  readonly errorsAlarmThreshold?: number;
  /** @default - no description */
  readonly description?: string;
}

/**
 * A Node.js Lambda function with our defaults: nodejs24.x on arm64, an ESM bundle
 * (`index.mjs`, minified) built by the local esbuild with its source map beside it
 * (`index.mjs.map`, uploaded with the code so an operator can map a stack trace, but never
 * loaded: `--enable-source-maps` costs every cold start and every logged stack), X-Ray tracing,
 * its own log group with retention, a role that may write to that log group only (no
 * managed policy), Powertools service and namespace, and an alarm on errors. The alarm has no action: the owner of the alarm topic adds it.
 *
 * Environment defaults: POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE; no NODE_OPTIONS.
 */
export class AppFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** In alarm when the function reports errorsAlarmThreshold errors in five minutes. */
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { projectRoot, templatesDir } = props;
    if (templatesDir !== undefined && !existsSync(join(projectRoot, templatesDir))) {
      throw new Error(
        `${this.node.path}: templatesDir "${templatesDir}" does not exist under ${projectRoot}`,
      );
    }
    const bundledFiles = Object.entries(props.bundledFiles ?? {});
    for (const [, source] of bundledFiles) {
      if (!existsSync(join(projectRoot, source)))
        throw new Error(`${this.node.path}: bundled file "${source}" does not exist under ${projectRoot}`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Replaces AWSLambdaBasicExecutionRole, which may create and write any log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, props.entry),
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 256,
      ephemeralStorageSize: props.ephemeralStorageSize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      description: props.description,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'chapar',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'Chapar',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: props.bundleAwsSdk ?? true,
        externalModules: externalModules(props.bundleAwsSdk ?? true, props.sideModules),
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => [
            ...(templatesDir === undefined
              ? []
              : [`cp -R "${join(inputDir, templatesDir)}" "${join(outputDir, 'templates')}"`]),
            ...bundledFiles.map(
              ([target, source]) =>
                `mkdir -p "${dirname(join(outputDir, target))}" && cp "${join(inputDir, source)}" "${join(outputDir, target)}"`,
            ),
            ...sideModulesCommand(inputDir, outputDir, props.sideModules ?? []),
          ],
        },
      },
    });

    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `${this.node.path} reported errors`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: props.errorsAlarmThreshold ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
