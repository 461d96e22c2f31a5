import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { STATS_SHARDS } from '../../definitions';
import type { Counter } from '../../domain/campaign';
import { type EndedDelivery, FAILURE_COUNTER_PREFIX, failureKind } from '../../domain/delivery';
import { dayCounter, minuteBucket } from '../../domain/insights';
import type { Channel } from '../../domain/types';
import { addDayCounts } from './account-days';
import { batchGet } from './batch-get';
import { isTransactionConditionFailure, isTransactionConflict } from './client';

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

/** The partition of a campaign's timeline: one item per minute and stats shard. */
export function timelinePk(campaignId: string): string {
  return `${campaignId}#timeline`;
}

/**
 * The update that adds `deltas` to the minute `at` falls in on the campaign's timeline, beside
 * the stats shard `seed` falls on (sk `<minute>#<shard>`): it is written in the same transaction
 * as that shard's ADD, so it counts exactly what the shard counts, and the transactions that
 * meet on it are those that already meet on the shard (no new contention). The timeline is one
 * partition, read back in one Query; it never expires, like the stats.
 */
export function addMinuteCounts(
  campaignsTableName: string,
  campaignId: string,
  seed: string,
  at: Date,
  deltas: CounterDeltas,
): (UpdateCommandInput & { UpdateExpression: string }) | undefined {
  const add = addCounts(campaignsTableName, campaignId, seed, deltas);
  if (!add) return undefined;
  return {
    ...add,
    Key: { pk: timelinePk(campaignId), sk: `${minuteBucket(at)}#${statsShard(seed)}` },
  };
}

/**
 * The stats shard's ADD of `deltas`, the same counts on the campaign's timeline minute and on
 * the account's Tehran day (per channel): the items one counted event touches, all in one
 * transaction. Empty when there is nothing to add.
 */
export function countItems(
  campaignsTableName: string,
  campaignId: string,
  seed: string,
  channel: Channel,
  at: Date,
  deltas: CounterDeltas,
  /** Counters only the stats shard keeps (failures by kind: `failed#<kind>`). */
  shardOnly: Readonly<Record<string, number>> = {},
): TransactItem[] {
  const stats = addCounts(campaignsTableName, campaignId, seed, { ...deltas, ...shardOnly } as CounterDeltas);
  const minute = addMinuteCounts(campaignsTableName, campaignId, seed, at, deltas);
  const day = addDayCounts(
    campaignsTableName,
    seed,
    at,
    Object.fromEntries(
      Object.entries(deltas).map(([counter, amount]) => [dayCounter(channel, counter as Counter), amount]),
    ),
  );
  return [stats, minute, day].filter((update) => update !== undefined).map((update) => ({ Update: update }));
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
 * The transaction items that count one event of one delivery on its campaign's stats shard,
 * its timeline minute and the account's day; put them in the same TransactWriteItems as the conditional write that makes the event happen
 * once, so the count can never drift from the ledger.
 */
export function countOnce(
  campaignsTableName: string,
  campaignId: string,
  contactId: string,
  counter: Counter,
  channel: Channel,
  at: Date,
): TransactItem[] {
  return countItems(campaignsTableName, campaignId, contactId, channel, at, { [counter]: 1 });
}

/** The record of which runs of one queue message have had their ends counted. */
function countedKey(campaignId: string, messageId: string): { pk: string; sk: string } {
  return { pk: `${campaignId}#counted#${messageId}`, sk: 'counted' };
}

/** Runs of a transaction that lost a race with another count of the same message. */
const COUNT_ROUNDS = 5;
/**
 * DynamoDB's TransactWriteItems takes at most 100 items: three are the stats shard, the
 * timeline minute and the account's day.
 */
const MAX_MESSAGES_PER_COUNT = 97;

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
  options: { readonly expiresAt: number; readonly channel: Channel; readonly now: Date },
): Promise<void> {
  const { expiresAt, channel, now } = options;
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
      const failures: Record<string, number> = {};
      const items: TransactItem[] = [];
      for (const messageId of part) {
        const key = countedKey(campaignId, messageId);
        const done = counted.get(key.pk) ?? new Set<string>();
        const pending = (byMessage.get(messageId) ?? []).filter((end) => !done.has(end.endedBy.runId));
        if (pending.length === 0) continue;
        for (const end of pending) {
          deltas[end.outcome] = (deltas[end.outcome] ?? 0) + 1;
          if (end.outcome === 'failed') {
            const counter = `${FAILURE_COUNTER_PREFIX}${failureKind(end.reason)}`;
            failures[counter] = (failures[counter] ?? 0) + 1;
          }
        }
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
      // The message id spreads a campaign's counting over its shards (and the account's).
      const adds = countItems(
        campaignsTableName,
        campaignId,
        part[0] ?? campaignId,
        channel,
        now,
        deltas,
        failures,
      );
      if (adds.length === 0 || items.length === 0) break;
      try {
        await client.send(new TransactWriteCommand({ TransactItems: [...items, ...adds] }));
        break;
      } catch (error) {
        // A conflict with another transaction on a shared shard cancelled the whole of it:
        // reading the records again and retrying counts nothing twice.
        const again = isTransactionConditionFailure(error) || isTransactionConflict(error);
        if (!again || round + 1 >= COUNT_ROUNDS) throw error;
      }
    }
  }
}
