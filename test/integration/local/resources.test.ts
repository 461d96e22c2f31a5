import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EnvKey, readConfig } from '../../../shared/config';
import {
  type KeyDefinition,
  queues,
  secrets,
  type TableDefinition,
  tables,
} from '../../../shared/definitions';
import { eventually, type TestEmulators, useEmulators } from '../../support/emulators';

/** What the local platform provides: every resource variable of the definitions, plus the CHAPAR_* settings. */
const providedKeys = [
  ...[tables, queues, secrets].flatMap((group) => Object.values(group).map((resource) => resource.envVar)),
  'KAVENEGAR_BASE_URL',
  'CHAPAR_SMS_SENDER',
  'CHAPAR_FROM_EMAIL',
  'CHAPAR_ABUSE_EMAIL',
  'CHAPAR_PUBLIC_BASE_URL',
] as EnvKey[];

describe('local resources from shared/definitions.ts', () => {
  let emulators: TestEmulators;
  // Clients built with no endpoint: each must reach its emulator through AWS_ENDPOINT_URL_<SERVICE>.
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    emulators = await useEmulators();
    dynamodb = new DynamoDBClient({});
    sqs = new SQSClient({});
  });
  afterAll(() => {
    dynamodb.destroy();
    sqs.destroy();
  });

  it('gives functions every variable shared/config.ts reads for the resources', () => {
    // Act
    const config = readConfig(providedKeys);

    // Assess
    expect(config.CONTACTS_TABLE).toBe(emulators.names.tables.contacts);
    expect(config.SMS_QUEUE_URL).toBe(emulators.names.queues.sms.url);
    expect(config.TOKEN_KEYS_SECRET_ID).toBe(emulators.names.secrets.tokenKeys);
  });

  it('creates each table with its keys, GSIs with their projections, and TTL', async () => {
    // Act
    const described = await Promise.all(
      Object.values(emulators.names.tables).map((name) =>
        dynamodb.send(new DescribeTableCommand({ TableName: name })),
      ),
    );
    const ttl = await dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: emulators.names.tables.idempotency }),
    );

    // Assess
    const keys = (partitionKey: KeyDefinition, sortKey?: KeyDefinition) => [
      { AttributeName: partitionKey.name, KeyType: 'HASH' },
      ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' }]),
    ];
    const definitions: TableDefinition[] = Object.values(tables);
    expect(described).toHaveLength(definitions.length);
    for (const table of definitions) {
      const found = described.find(
        (d) => d.Table?.TableName === `${emulators.names.prefix}${table.id}`,
      )?.Table;
      expect(found?.KeySchema).toEqual(keys(table.partitionKey, table.sortKey));
      const indexes = found?.GlobalSecondaryIndexes ?? [];
      expect(indexes.map((index) => index.IndexName).sort()).toEqual(
        table.indexes.map((index) => index.name).sort(),
      );
      for (const index of table.indexes) {
        const created = indexes.find((candidate) => candidate.IndexName === index.name);
        expect(created?.KeySchema).toEqual(keys(index.partitionKey, index.sortKey));
        expect(created?.Projection?.ProjectionType).toBe(index.projection ?? 'ALL');
      }
    }
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: tables.idempotency.timeToLiveAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('creates each queue with its DLQ, redrive policy and visibility timeout', async () => {
    // Act
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: emulators.names.queues.sms.url, AttributeNames: ['All'] }),
    );

    // Assess
    expect(emulators.names.queues.sms.dlq.name).toBe(`${emulators.names.queues.sms.name}-dlq`);
    expect(attributes.Attributes?.VisibilityTimeout).toBe(String(queues.sms.visibilityTimeoutSeconds));
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: emulators.names.queues.sms.dlq.arn,
      maxReceiveCount: queues.sms.maxReceiveCount,
    });
  });

  it('lets a default SQS client use the queue URLs functions receive', async () => {
    // Prepare
    const queueUrl = process.env[queues.email.envVar] ?? '';

    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));

    // Assess
    expect(received.Messages?.map((message) => message.Body)).toEqual(['hello']);
  });

  it('lets a default SESv2 client send into the SES emulator', async () => {
    // Prepare
    const ses = new SESv2Client({});
    const to = `${emulators.names.prefix}reader@example.com`;

    // Act
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'news@chapar.test',
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
      }),
    );
    ses.destroy();

    // Assess
    const email = await eventually(async () =>
      (await emulators.sentEmails()).find((e) => e.destination.to.includes(to)),
    );
    expect(email.subject).toBe('Hi');
  });

  it('names every secret envVar after its secret', () => {
    // Assess
    for (const [key, secret] of Object.entries(secrets)) {
      expect(emulators.env[secret.envVar]).toBe(emulators.names.secrets[key as keyof typeof secrets]);
    }
  });
});
