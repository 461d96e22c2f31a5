import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App, Environment } from 'aws-cdk-lib';
import { acknowledgeNagFindings } from './nag-suppressions';
import { readOperatorConfig } from './operator-config';
import { ApiStack } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import { MessagingStack } from './stacks/messaging-stack';

/** The built console; synth fails with the way to build it when it is missing. */
function builtConsole(given: string | undefined): string {
  const path = given ?? process.env.CHAPAR_CONSOLE_DIST ?? join(PROJECT_ROOT, 'console', 'dist');
  if (!existsSync(join(path, 'index.html'))) {
    throw new Error(
      `The console is not built (${path}): run \`npm run console:build\` (npm run synth does it first)`,
    );
  }
  return path;
}

/** The repository root: package-lock.json, functions/ and templates/ live here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ChaparStacksOptions {
  /** @default - environment-agnostic stacks */
  readonly env?: Environment;
  /** @default PROJECT_ROOT */
  readonly projectRoot?: string;
  /** The built console. @default CHAPAR_CONSOLE_DIST, else console/dist under PROJECT_ROOT */
  readonly consoleDist?: string;
}

export interface ChaparStacks {
  readonly data: DataStack;
  readonly messaging: MessagingStack;
  readonly api: ApiStack;
}

/**
 * Adds Chapar's three stacks to the app, in lifecycle order, from the operator's CDK
 * context (see operator-config.ts), with their cdk-nag acknowledgements.
 */
export function addChaparStacks(app: App, options: ChaparStacksOptions = {}): ChaparStacks {
  const operator = readOperatorConfig(app);
  const { env } = options;

  const data = new DataStack(app, 'ChaparData', {
    env,
    description: 'Chapar data: DynamoDB tables, Secrets Manager secrets and the Cognito user pool',
  });
  const messaging = new MessagingStack(app, 'ChaparMessaging', {
    env,
    description: 'Chapar messaging: SQS work queues, SES event topic, SES configuration, alarm topic',
    sendingDomain: operator.sendingDomain,
    alarmEmail: operator.alarmEmail,
  });
  const api = new ApiStack(app, 'ChaparApi', {
    env,
    description: 'Chapar functions, HTTP API, schedules and alarms',
    projectRoot: options.projectRoot ?? PROJECT_ROOT,
    operator,
    tables: data.tables,
    secrets: data.secrets,
    queues: messaging.queues,
    configurationSet: messaging.configurationSet,
    emailIdentity: messaging.emailIdentity,
    alarmTopic: messaging.alarmTopic,
    userPool: {
      userPoolId: data.users.userPool.userPoolId,
      userPoolArn: data.users.userPool.userPoolArn,
      clientId: data.users.client.userPoolClientId,
      issuer: data.users.issuer,
    },
    consoleDist: builtConsole(options.consoleDist),
  });

  const stacks = { data, messaging, api };
  acknowledgeNagFindings(stacks);
  return stacks;
}
