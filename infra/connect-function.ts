import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { EnvKey } from '../shared/config';
import {
  type Access,
  type FunctionDefinition,
  type QueueName,
  queues,
  type SecretName,
  secrets,
  type TableName,
  tables,
} from '../shared/definitions';

// CDK's grantReadData / grantReadWriteData actions (less the stream ones: no table has a
// stream), granted per index by name because those grants cover `<table>/index/*`.
const TABLE_READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const TABLE_WRITE = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
const INDEX_READ = ['dynamodb:Query', 'dynamodb:Scan'];

/** What a function that sends email is given. */
export interface EmailSending {
  /** CHAPAR_FROM_EMAIL. */
  readonly fromEmail: string;
  /** SES_CONFIGURATION_SET. */
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  /** SES identities the From address may use; the only resources the send grant names. */
  readonly identityArns: readonly string[];
}

/** Everything a function definition can ask for. */
export interface FunctionResources {
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  readonly queues: Readonly<Record<QueueName, sqs.IQueue>>;
  readonly secrets: Readonly<Record<SecretName, secretsmanager.ISecret>>;
  readonly email: EmailSending;
  /** Plain settings every function receives (no permission goes with them). */
  readonly settings: Readonly<Partial<Record<EnvKey, string>>>;
  /** The limits kept in the rateLimits table (CHAPAR_SMS_RATE and its guard), given together with it. */
  readonly rateLimits: Readonly<Partial<Record<EnvKey, string>>>;
}

/**
 * Gives a function what its definition in shared/definitions.ts asks for. Each environment
 * variable is set in the same call as the permission that makes it usable, so the two never
 * drift: table name + read or read/write on the table and read on each of its indexes (with
 * the rateLimits table, the limits kept in it), queue URL + send, secret ARN + read (never
 * the value), From address and configuration set + SES send on those two only.
 */
export function connectFunction(
  fn: lambda.Function,
  definition: FunctionDefinition,
  resources: FunctionResources,
): void {
  const provide = (name: EnvKey, value: string, grant?: () => unknown): void => {
    fn.addEnvironment(name, value);
    grant?.();
  };

  for (const [name, value] of Object.entries(resources.settings) as [EnvKey, string][]) {
    provide(name, value);
  }

  for (const [name, access] of Object.entries(definition.tables) as [TableName, Access][]) {
    const table = resources.tables[name];
    provide(tables[name].envVar, table.tableName, () => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: access === 'readWrite' ? [...TABLE_READ, ...TABLE_WRITE] : TABLE_READ,
          resources: [table.tableArn],
        }),
      );
      const indexes = tables[name].indexes.map((index) => `${table.tableArn}/index/${index.name}`);
      if (indexes.length > 0) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: INDEX_READ, resources: indexes }));
      }
    });
    if (name === 'rateLimits') {
      for (const [limit, value] of Object.entries(resources.rateLimits) as [EnvKey, string][]) {
        provide(limit, value);
      }
    }
  }

  for (const name of definition.sendsTo) {
    const queue = resources.queues[name];
    provide(queues[name].envVar, queue.queueUrl, () => queue.grantSendMessages(fn));
  }

  for (const name of definition.secrets) {
    const secret = resources.secrets[name];
    provide(secrets[name].envVar, secret.secretArn, () => secret.grantRead(fn));
  }

  if (definition.sendsEmail) {
    const { email } = resources;
    provide('CHAPAR_FROM_EMAIL', email.fromEmail);
    provide('SES_CONFIGURATION_SET', email.configurationSetName, () =>
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [...email.identityArns, email.configurationSetArn],
        }),
      ),
    );
  }
}
