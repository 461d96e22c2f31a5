import { createHash } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { STATS_SHARDS } from '../../definitions';
import type { Counter } from '../../domain/campaign';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Spreads one campaign's counters over shards so a big campaign never heats one item. */
export function statsShard(contactId: string): string {
  const digest = createHash('sha256').update(contactId).digest();
  return `stats#${digest.readUInt16BE(0) % STATS_SHARDS}`;
}

/**
 * The transaction item that counts one event of one delivery on its campaign's stats shard;
 * put it in the same TransactWriteItems as the conditional write that makes the event happen
 * once, so the count can never drift from the ledger.
 */
export function countOnce(
  campaignsTableName: string,
  campaignId: string,
  contactId: string,
  counter: Counter,
): TransactItem {
  return {
    Update: {
      TableName: campaignsTableName,
      Key: { pk: campaignId, sk: statsShard(contactId) },
      UpdateExpression: 'ADD #counter :one',
      ExpressionAttributeNames: { '#counter': counter },
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}
