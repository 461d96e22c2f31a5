import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { EnvKey } from '../shared/config';
import {
  type Access,
  type BucketAccess,
  type BucketName,
  buckets,
  type FunctionDefinition,
  type QueueName,
  queues,
  RATE_LIMIT_SETTINGS,
  type SecretName,
  type SettingName,
  secrets,
  type TableName,
  tables,
  USER_POOL_MANAGE_ACTIONS,
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
  /** SES_CONFIGURATION_SET, for a function that sends `withEvents`. */
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  /** SES identities the From address may use; the only resources the send grant names. */
  readonly identityArns: readonly string[];
}

/** The user pool as a function is given it. */
export interface UserPoolResource {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  readonly clientId: string;
  readonly issuer: string;
}

/** Everything a function definition can ask for. */
export interface FunctionResources {
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  readonly queues: Readonly<Record<QueueName, sqs.IQueue>>;
  readonly secrets: Readonly<Record<SecretName, secretsmanager.ISecret>>;
  readonly buckets: Readonly<Record<BucketName, s3.IBucket>>;
  readonly email: EmailSending;
  readonly userPool: UserPoolResource;
  /** Values of the plain settings; each function receives the ones its definition names. */
  readonly settings: Readonly<Partial<Record<SettingName, string>>>;
  /** The limits kept in the rateLimits table (CHAPAR_SMS_RATE and its guard), given together with it. */
  readonly rateLimits: Readonly<Record<(typeof RATE_LIMIT_SETTINGS)[number], string>>;
}

/**
 * Gives a function what its definition in shared/definitions asks for, and nothing else: its
 * environment is exactly `environmentOf(definition)`. Each environment variable is set in the
 * same call as the permission that makes it usable, so the two never drift: table name + read
 * or read/write on the table and read on each of its indexes (with the rateLimits table, the
 * limits kept in it), queue URL + send, secret ARN + read (never the value), From address +
 * SES send on its identities, configuration set + SES send on it (`withEvents` only), and the
 * plain settings it names (no permission goes with them).
 * @throws Error when `resources` has no value for a setting the definition names.
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

  for (const name of definition.settings) {
    const value = resources.settings[name];
    if (value === undefined) throw new Error(`No value for the setting ${name} of ${definition.id}`);
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
      for (const limit of RATE_LIMIT_SETTINGS) provide(limit, resources.rateLimits[limit]);
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

  // Only the objects under the notification prefix (the uploads), in a policy of its own: its
  // object wildcard is acknowledged there (nag-suppressions.ts) and nowhere else.
  const BUCKET_ACTIONS: Record<BucketAccess, string[]> = {
    read: ['s3:GetObject'],
    presignPut: ['s3:PutObject'],
  };
  for (const [name, access] of Object.entries(definition.buckets ?? {}) as [BucketName, BucketAccess][]) {
    const bucket = resources.buckets[name];
    const prefix = buckets[name].notifies?.prefix ?? '';
    provide(buckets[name].envVar as EnvKey, bucket.bucketName, () => {
      const policy = new iam.Policy(fn, `${buckets[name].id}Objects`, {
        statements: [
          new iam.PolicyStatement({
            actions: BUCKET_ACTIONS[access],
            resources: [bucket.arnForObjects(`${prefix}*`)],
          }),
        ],
      });
      fn.role?.attachInlinePolicy(policy);
    });
  }

  if (definition.userPool) {
    const pool = resources.userPool;
    // Verifying tokens needs no permission: the JWKS is public.
    provide('COGNITO_ISSUER', pool.issuer);
    provide('COGNITO_CLIENT_ID', pool.clientId);
    if (definition.userPool === 'manage') {
      provide('COGNITO_USER_POOL_ID', pool.userPoolId, () =>
        fn.addToRolePolicy(
          new iam.PolicyStatement({ actions: [...USER_POOL_MANAGE_ACTIONS], resources: [pool.userPoolArn] }),
        ),
      );
    }
  }

  if (definition.sendsEmail) {
    const { email } = resources;
    const sendEmail = (sesResources: readonly string[]) => () =>
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [...sesResources],
        }),
      );
    provide('CHAPAR_FROM_EMAIL', email.fromEmail, sendEmail(email.identityArns));
    if (definition.sendsEmail === 'withEvents') {
      provide('SES_CONFIGURATION_SET', email.configurationSetName, sendEmail([email.configurationSetArn]));
      // Campaign email reads the account's MaxSendRate and sending state; GetAccount has no
      // resource-level permission (Resource "*", read only).
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    }
  }
}
