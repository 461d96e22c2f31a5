import { createHash } from 'node:crypto';
import type { TransactWriteCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { STATS_SHARDS } from '../../definitions';
import type { Counter } from '../../domain/campaign';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Amounts to add to a campaign's counters; absent or zero counters are left alone. */
export type CounterDeltas = Partial<Record<Counter, number>>;

/** Spreads one campaign's counters over shards so a big campaign never heats one item. */
export function statsShard(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  return `stats#${digest.readUInt16BE(0) % STATS_SHARDS}`;
}

/**
 * The key of the stats shard `seed` falls on. The one place that knows where a campaign's
 * counters live; campaign-store.ts reads them back through statsKeys().
 */
export function statsKey(campaignId: string, seed: string): { pk: string; sk: string } {
  return { pk: campaignId, sk: statsShard(seed) };
}

/** Every stats shard key of a campaign. */
export function statsKeys(campaignId: string): { pk: string; sk: string }[] {
  return Array.from({ length: STATS_SHARDS }, (_, n) => ({ pk: campaignId, sk: `stats#${n}` }));
}

/**
 * One update that adds several counters at once to the shard `seed` falls on, or undefined
 * when there is nothing to add. Use it standalone, or inside a transaction (through
 * `{ Update: addCounts(...) }`) with the conditional write that makes the counted events
 * happen once.
 */
export function addCounts(
  campaignsTableName: string,
  campaignId: string,
  seed: string,
  deltas: CounterDeltas,
): (UpdateCommandInput & { UpdateExpression: string }) | undefined {
  const entries = Object.entries(deltas).filter(([, amount]) => typeof amount === 'number' && amount !== 0);
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = entries.map(([counter, amount], index) => {
    names[`#c${index}`] = counter;
    values[`:c${index}`] = amount as number;
    return `#c${index} :c${index}`;
  });
  return {
    TableName: campaignsTableName,
    Key: statsKey(campaignId, seed),
    UpdateExpression: `ADD ${adds.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
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
  const update = addCounts(campaignsTableName, campaignId, contactId, { [counter]: 1 });
  if (!update) throw new Error('unreachable: one is not zero');
  return { Update: update };
}
