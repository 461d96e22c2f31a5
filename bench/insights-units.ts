/**
 * `npx tsx bench/insights-units.ts`: the write units the console's read models add to the
 * counting writes, weighed by the capacity model of bench/meter/dynamo-units.ts (item sizes, as
 * on-demand DynamoDB bills them) against DynamoDB Local. Each counting write is made twice: as
 * Chapar makes it now (stats shard + timeline minute + account day in one transaction) and in
 * the shape it had before (counted record + stats shard), written here only to be weighed.
 * Prints figures; asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulators } from '../local/emulators';
import { createResources } from '../local/resources';
import { queues, type SecretName } from '../shared/definitions';
import type { EndedDelivery } from '../shared/domain/delivery';
import { newId } from '../shared/domain/ids';
import { dynamoCapacity, installDynamoCapacityModel, resetDynamoCapacity } from './meter/dynamo-units';
import { runInScope } from './meter/scope';
import { installSdkCounter } from './meter/sdk-counter';

const MESSAGES = 200;
const RECIPIENTS_PER_MESSAGE = 50;
const secretValues = Object.fromEntries(
  ['apiKey', 'webhookSecret', 'kavenegarApiKey', 'tokenKeys', 'deliveryCallbackSecret', 'erasureKey'].map(
    (name) => [name, 'bench'],
  ),
) as Record<SecretName, string>;

async function main(): Promise<void> {
  const emulators = await startEmulators({
    dynamodbPort: 0,
    sqsPort: 0,
    sesPort: 0,
    secretsPort: 0,
    cognitoPort: 0,
  });
  try {
    const resources = await createResources({ endpoints: emulators.endpoints, secretValues });
    Object.assign(process.env, resources.env);
    installSdkCounter();
    const reader = installDynamoCapacityModel(emulators.endpoints.dynamodb, emulators.endpoints.region);
    const { dynamoDocumentClient } = await import('../shared/adapters/dynamodb/client');
    const counters = await import('../shared/adapters/dynamodb/counters');
    const factory = await import('../shared/adapters/factory');
    const client = dynamoDocumentClient();
    const campaigns = resources.tables.campaigns;
    const campaignId = newId();
    const ends = (messageId: string): EndedDelivery[] =>
      Array.from({ length: RECIPIENTS_PER_MESSAGE }, (_, i) => ({
        outcome: i % 10 === 0 ? 'failed' : 'sent',
        endedBy: { messageId, runId: 'run-1' },
      }));

    resetDynamoCapacity();
    for (let m = 0; m < MESSAGES; m++) {
      const messageId = `now-${randomUUID()}`;
      await runInScope('now', () =>
        counters.countEndsOnce(client, campaigns, campaignId, ends(messageId), {
          expiresAt: 2_000_000_000,
          channel: 'sms',
          now: new Date(),
        }),
      );
      // The shape before: the message's counted record and the stats shard, nothing else.
      const before = `before-${randomUUID()}`;
      const add = counters.addCounts(campaigns, `${campaignId}-b`, before, { sent: 45, failed: 5 });
      await runInScope('before', () =>
        client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: campaigns,
                  Key: { pk: `${campaignId}-b#counted#${before}`, sk: 'counted' },
                  UpdateExpression: 'ADD runs :runs SET expiresAt = :expires',
                  ConditionExpression: 'attribute_not_exists(runs) OR (NOT contains(runs, :r0))',
                  ExpressionAttributeValues: {
                    ':runs': new Set(['run-1']),
                    ':expires': 2_000_000_000,
                    ':r0': 'run-1',
                  },
                },
              },
              ...(add ? [{ Update: add }] : []),
            ],
          }),
        ),
      );
    }
    const now = dynamoCapacity().get('now')?.writeUnits ?? 0;
    const before = dynamoCapacity().get('before')?.writeUnits ?? 0;
    console.log(`counting ${MESSAGES} queue messages of ${RECIPIENTS_PER_MESSAGE} recipients:`);
    console.log(`  before: ${before} write units (${before / MESSAGES} per message)`);
    console.log(`  now:    ${now} write units (${now / MESSAGES} per message)`);
    const extra = (now - before) / MESSAGES;
    console.log(`  extra:  ${extra} per queue message, whatever its size`);
    for (const [channel, size] of [
      ['SMS', queues.sms.recipientsPerMessage],
      ['email', queues.email.recipientsPerMessage],
    ] as const) {
      const perRecipient = extra / size;
      console.log(
        `  ${channel} (${size} a message): ${perRecipient.toFixed(3)} per recipient, ${(perRecipient * 1e6).toLocaleString('en')} per 1 M`,
      );
    }

    // One report and one opt-out, as their stores write them now.
    resetDynamoCapacity();
    const reports = factory.reportStore(resources.tables.reports);
    const consent = factory.consentStore(resources.tables.consent);
    const at = new Date().toISOString();
    await runInScope('report', () =>
      reports.put({
        id: newId(),
        sender: '+989001112233',
        text: 'x'.repeat(200),
        verdict: 'spoofed',
        createdAt: at,
      }),
    );
    await runInScope('optOut', () =>
      consent.record({
        id: newId(),
        contactId: 'bench-contact',
        action: 'opt_out',
        channel: 'sms',
        topic: '*',
        source: 'link',
        at,
        evidence: { linkCode: 'abcdefghij' },
      }),
    );
    console.log(
      `a spoof report: ${dynamoCapacity().get('report')?.writeUnits} write units (a plain put was 1 + its index writes)`,
    );
    console.log(
      `an opt-out: ${dynamoCapacity().get('optOut')?.writeUnits} write units (state + event in one transaction)`,
    );
    reader.destroy();
  } finally {
    await emulators.end();
  }
}

await main();
