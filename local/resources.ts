import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type KeySchemaElement,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  buckets,
  type KeyDefinition,
  type QueueDefinition,
  type QueueName,
  queues,
  type SecretName,
  secrets,
  type TableDefinition,
  type TableName,
  type TopicName,
  tables,
  topics,
} from '../shared/definitions';

/** Where the AWS-side emulators listen. */
export interface AwsEndpoints {
  readonly region: string;
  readonly dynamodb: string;
  readonly sqs: string;
  readonly ses: string;
  readonly secretsManager: string;
  /** cognito-local and the user pool it was given. */
  readonly cognito: {
    readonly url: string;
    readonly userPoolId: string;
    readonly clientId: string;
    readonly issuer: string;
  };
}

/** A queue and its dead-letter queue, as created. */
export interface QueueResource {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly dlq: { readonly name: string; readonly url: string; readonly arn: string };
}

/** An SNS topic, as created; its queues are subscribed with raw message delivery off. */
export interface TopicResource {
  readonly name: string;
  readonly arn: string;
}

/** What {@link createResources} made, by the names shared/definitions.ts gives them. */
export interface LocalResources {
  /** Every variable a function needs to reach these resources: see {@link createResources}. */
  readonly env: Record<string, string>;
  readonly tables: Readonly<Record<TableName, string>>;
  readonly queues: Readonly<Record<QueueName, QueueResource>>;
  readonly topics: Readonly<Record<TopicName, TopicResource>>;
  /** Secret names (what functions receive as ids). */
  readonly secrets: Readonly<Record<SecretName, string>>;
}

/** How to create the resources. */
export interface CreateResourcesOptions {
  readonly endpoints: AwsEndpoints;
  /** Put before every table, queue and secret name, so several sets share one emulator. Default ''. */
  readonly prefix?: string;
  /** The value seeded into each secret. */
  readonly secretValues: Readonly<Record<SecretName, string>>;
  /** Replaces every queue's visibility timeout (tests need seconds, not minutes). */
  readonly visibilityTimeoutSeconds?: number;
}

/** DLQ retention: SQS's maximum, so nothing dead-lettered expires before someone looks. */
const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * The SDK's own configuration for reaching the emulators: per-service endpoint variables,
 * the region and dummy credentials (the emulators accept any).
 */
export function endpointEnv(endpoints: AwsEndpoints): Record<string, string> {
  return {
    AWS_REGION: endpoints.region,
    AWS_DEFAULT_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    // fauxqs serves S3 on its SQS port; with this set, functions address buckets path-style.
    AWS_ENDPOINT_URL_S3: endpoints.sqs,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito.url,
  };
}

/**
 * Creates every table (keys, GSIs projecting ALL, TTL), queue (with its `<name>-dlq`,
 * RedrivePolicy and visibility timeout), topic (with its queues subscribed) and secret
 * (seeded) of shared/definitions.ts.
 * `env` maps each table's envVar to its name, each queue's envVar to its URL and each
 * secret's envVar to its name, plus {@link endpointEnv}.
 */
export async function createResources(options: CreateResourcesOptions): Promise<LocalResources> {
  const { endpoints } = options;
  const prefix = options.prefix ?? '';
  const client = {
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamodb = new DynamoDBClient({ ...client, endpoint: endpoints.dynamodb });
  const sqs = new SQSClient({ ...client, endpoint: endpoints.sqs });
  const secretsManager = new SecretsManagerClient({ ...client, endpoint: endpoints.secretsManager });
  // fauxqs answers SNS on its SQS endpoint.
  const sns = new SNSClient({ ...client, endpoint: endpoints.sqs });
  try {
    const [tableNames, queueResources, secretNames] = await Promise.all([
      mapEntries(tables, (table) => createTable(dynamodb, `${prefix}${table.id}`, table)),
      mapEntries(queues, (queue) => createQueue(sqs, endpoints.sqs, `${prefix}${queue.id}`, queue, options)),
      mapEntries(secrets, async (secret, key) => {
        const name = `${prefix}${secret.name}`;
        await seedSecret(secretsManager, name, options.secretValues[key]);
        return name;
      }),
    ]);
    const topicResources = await mapEntries(topics, (topic) =>
      createTopic(sns, `${prefix}${topic.id}`, topic.subscribers, queueResources),
    );
    const env: Record<string, string> = { ...endpointEnv(endpoints) };
    for (const [key, table] of entries(tables)) env[table.envVar] = tableNames[key];
    for (const [key, queue] of entries(queues)) env[queue.envVar] = queueResources[key].url;
    for (const [key, secret] of entries(secrets)) env[secret.envVar] = secretNames[key];
    // The pool, as infra/ gives it to a function that verifies tokens or manages users.
    env.COGNITO_ISSUER = endpoints.cognito.issuer;
    env.COGNITO_CLIENT_ID = endpoints.cognito.clientId;
    env.COGNITO_USER_POOL_ID = endpoints.cognito.userPoolId;
    // Bucket names only: local/s3-events.ts creates the buckets and their notifications.
    for (const bucket of Object.values(buckets)) env[bucket.envVar] = bucket.localName;
    return { env, tables: tableNames, queues: queueResources, topics: topicResources, secrets: secretNames };
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    secretsManager.destroy();
    sns.destroy();
  }
}

async function createTable(client: DynamoDBClient, name: string, table: TableDefinition): Promise<string> {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map<string, AttributeDefinition>();
  for (const key of keys) {
    if (key !== undefined) attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  }
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes.values()],
      KeySchema: keySchema(table.partitionKey, table.sortKey),
      GlobalSecondaryIndexes:
        table.indexes.length === 0
          ? undefined
          : table.indexes.map((index) => ({
              IndexName: index.name,
              KeySchema: keySchema(index.partitionKey, index.sortKey),
              Projection: {
                ProjectionType: index.projection ?? 'ALL',
                ...(index.projection === 'INCLUDE' ? { NonKeyAttributes: [...(index.include ?? [])] } : {}),
              },
            })),
    }),
  );
  if (table.timeToLiveAttribute !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
  return name;
}

function keySchema(partitionKey: KeyDefinition, sortKey?: KeyDefinition): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey !== undefined) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

async function createQueue(
  client: SQSClient,
  endpoint: string,
  name: string,
  queue: QueueDefinition,
  options: CreateResourcesOptions,
): Promise<QueueResource> {
  const dlq = await createOneQueue(client, endpoint, `${name}-dlq`, {
    MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
  });
  const main = await createOneQueue(client, endpoint, name, {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: queue.maxReceiveCount }),
  });
  return { ...main, dlq };
}

async function createOneQueue(
  client: SQSClient,
  endpoint: string,
  name: string,
  attributes: Record<string, string>,
): Promise<{ name: string; url: string; arn: string }> {
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (created.QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  // fauxqs answers with an `sqs.<region>.localhost` host that not every resolver knows; the
  // same path on the endpoint reaches the same queue, and matching the endpoint's origin
  // keeps the SDK from switching endpoints per request.
  const url = `${endpoint.replace(/\/$/, '')}${new URL(created.QueueUrl).pathname}`;
  const described = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = described.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
  return { name, url, arn };
}

/** A topic with its queues subscribed, raw delivery off: they get SNS envelopes, as in the cloud. */
async function createTopic(
  client: SNSClient,
  name: string,
  subscribers: readonly QueueName[],
  queueResources: Readonly<Record<QueueName, QueueResource>>,
): Promise<TopicResource> {
  const created = await client.send(new CreateTopicCommand({ Name: name }));
  if (created.TopicArn === undefined) throw new Error(`CreateTopic ${name} returned no TopicArn`);
  for (const queue of subscribers) {
    await client.send(
      new SubscribeCommand({
        TopicArn: created.TopicArn,
        Protocol: 'sqs',
        Endpoint: queueResources[queue].arn,
        Attributes: { RawMessageDelivery: 'false' },
      }),
    );
  }
  return { name, arn: created.TopicArn };
}

async function seedSecret(client: SecretsManagerClient, name: string, value: string): Promise<void> {
  try {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
  }
}

function entries<K extends string, V>(record: Readonly<Record<K, V>>): [K, V][] {
  return Object.entries(record) as [K, V][];
}

async function mapEntries<K extends string, V, R>(
  record: Readonly<Record<K, V>>,
  map: (value: V, key: K) => Promise<R>,
): Promise<Record<K, R>> {
  const pairs = await Promise.all(
    entries(record).map(async ([key, value]) => [key, await map(value, key)] as const),
  );
  return Object.fromEntries(pairs) as Record<K, R>;
}
