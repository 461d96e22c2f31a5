import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { STATS_SHARDS } from '../../definitions';
import type { Counter } from '../../domain/campaign';
import type { EndedDelivery } from '../../domain/delivery';
import { batchGet } from './batch-get';
import { isTransactionConditionFailure } from './client';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Amounts to add to a campaign's counters; absent or zero counters are left alone. */
export type CounterDeltas = Partial<Record<Counter, number>>;

/** Sort key of every stats shard item. */
const STATS_SK = 'stats';

/** The shard number `seed` falls on. */
export function statsShard(seed: string): number {
  const digest = createHash('sha256').update(seed).digest();
  return digest.readUInt16BE(0) % STATS_SHARDS;
}

function shardKey(campaignId: string, shard: number): { pk: string; sk: string } {
  return { pk: `${campaignId}#stats#${shard}`, sk: STATS_SK };
}

/**
 * The key of the stats shard `seed` falls on. The one place that knows where a campaign's
 * counters live; campaign-store.ts reads them back through statsKeys(). Each shard is a
 * partition of its own, so a campaign's counting spreads over as many partitions as shards.
 * Stats items carry no `expiresAt`: they outlive the deliveries they counted.
 */
export function statsKey(campaignId: string, seed: string): { pk: string; sk: string } {
  return shardKey(campaignId, statsShard(seed));
}

/** Every stats shard key of a campaign. */
export function statsKeys(campaignId: string): { pk: string; sk: string }[] {
  return Array.from({ length: STATS_SHARDS }, (_, n) => shardKey(campaignId, n));
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

/** The record of which runs of one queue message have had their ends counted. */
function countedKey(campaignId: string, messageId: string): { pk: string; sk: string } {
  return { pk: `${campaignId}#counted#${messageId}`, sk: 'counted' };
}

/** Runs of a transaction that lost a race with another count of the same message. */
const COUNT_ROUNDS = 5;
/** DynamoDB's TransactWriteItems takes at most 100 items: one is the stats shard. */
const MAX_MESSAGES_PER_COUNT = 99;

/**
 * Adds the outcomes of `ends` to the campaign's counters once per run of each queue message:
 * in one transaction, the message's counted record gains the runs counted (conditioned on
 * holding none of them yet) and one stats shard gains the counts. Runs already in their
 * message's record are skipped, so a redelivered message recounts exactly the runs whose count
 * never landed. A race with another count of the same message reads the records again.
 * `expiresAt` (epoch seconds) lets the counted records go with the deliveries; the stats
 * shards never expire.
 */
export async function countEndsOnce(
  client: DynamoDBDocumentClient,
  campaignsTableName: string,
  campaignId: string,
  ends: readonly EndedDelivery[],
  expiresAt: number,
): Promise<void> {
  const byMessage = new Map<string, EndedDelivery[]>();
  for (const end of ends) {
    const { messageId } = end.endedBy;
    byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), end]);
  }
  const messages = [...byMessage.keys()];
  for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_COUNT) {
    const part = messages.slice(start, start + MAX_MESSAGES_PER_COUNT);
    for (let round = 0; ; round++) {
      const records = await batchGet(
        client,
        campaignsTableName,
        part.map((messageId) => countedKey(campaignId, messageId)),
        { consistentRead: true },
      );
      const counted = new Map(
        records.map((record) => [String(record.pk), new Set((record.runs as Set<string> | undefined) ?? [])]),
      );
      const deltas: CounterDeltas = {};
      const items: TransactItem[] = [];
      for (const messageId of part) {
        const key = countedKey(campaignId, messageId);
        const done = counted.get(key.pk) ?? new Set<string>();
        const pending = (byMessage.get(messageId) ?? []).filter((end) => !done.has(end.endedBy.runId));
        if (pending.length === 0) continue;
        for (const end of pending) deltas[end.outcome] = (deltas[end.outcome] ?? 0) + 1;
        const runs = [...new Set(pending.map((end) => end.endedBy.runId))];
        const values: Record<string, unknown> = { ':runs': new Set(runs), ':expires': expiresAt };
        const unseen = runs.map((run, index) => {
          values[`:r${index}`] = run;
          return `NOT contains(runs, :r${index})`;
        });
        items.push({
          Update: {
            TableName: campaignsTableName,
            Key: key,
            UpdateExpression: 'ADD runs :runs SET expiresAt = :expires',
            ConditionExpression: `attribute_not_exists(runs) OR (${unseen.join(' AND ')})`,
            ExpressionAttributeValues: values,
          },
        });
      }
      // The message id spreads a campaign's counting over its shards.
      const add = addCounts(campaignsTableName, campaignId, part[0] ?? campaignId, deltas);
      if (!add || items.length === 0) break;
      try {
        await client.send(new TransactWriteCommand({ TransactItems: [...items, { Update: add }] }));
        break;
      } catch (error) {
        if (!isTransactionConditionFailure(error) || round + 1 >= COUNT_ROUNDS) throw error;
      }
    }
  }
}
