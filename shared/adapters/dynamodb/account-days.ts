import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_SHARDS, type DayCounts, daysBetween, tehranDay } from '../../domain/insights';
import { batchGet } from './batch-get';

/**
 * The account's counters per Tehran day, for the dashboard: items `overview#<shard>` (sk
 * `day#<YYYY-MM-DD>`) in the table of the writes they count (sends and feedback in Campaigns,
 * opt-outs in Consent, spoof reports in Reports), each added in the same transaction as what it
 * counts. The shards are distinct partitions, so the account's counting spreads over
 * {@link ACCOUNT_SHARDS} of them; a period is one Query per shard. A table without a sort key
 * (Reports) keeps `overview#<shard>#day#<day>` instead, read by BatchGetItem. `#` never appears
 * in a contact id or a ULID, so these keys meet no other item.
 */

/** How a table holds the days: under a sort key (`sorted`), or one partition each (`flat`). */
export type DayLayout = 'sorted' | 'flat';

function dayKey(shard: number, day: string, layout: DayLayout): Record<string, string> {
  return layout === 'sorted'
    ? { pk: `overview#${shard}`, sk: `${DAY_PREFIX}${day}` }
    : { pk: `overview#${shard}#${DAY_PREFIX}${day}` };
}

const DAY_PREFIX = 'day#';

function accountShard(seed: string): number {
  return createHash('sha256').update(`account:${seed}`).digest().readUInt16BE(0) % ACCOUNT_SHARDS;
}

/** The update that adds `deltas` to the day `at` falls in (Tehran), or undefined when all are zero. */
export function addDayCounts(
  tableName: string,
  seed: string,
  at: Date,
  deltas: Readonly<Record<string, number | undefined>>,
  layout: DayLayout = 'sorted',
): (UpdateCommandInput & { UpdateExpression: string }) | undefined {
  const entries = Object.entries(deltas).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] !== 0,
  );
  if (entries.length === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const adds = entries.map(([counter, amount], index) => {
    names[`#d${index}`] = counter;
    values[`:d${index}`] = amount;
    return `#d${index} :d${index}`;
  });
  return {
    TableName: tableName,
    Key: dayKey(accountShard(seed), tehranDay(at), layout),
    UpdateExpression: `ADD ${adds.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The account's counters of `tableName` for the days `from` to `to` (inclusive), summed over the shards. */
export async function readDays(
  client: DynamoDBDocumentClient,
  tableName: string,
  from: string,
  to: string,
  layout: DayLayout = 'sorted',
): Promise<DayCounts[]> {
  const items =
    layout === 'flat'
      ? await batchGet(
          client,
          tableName,
          daysBetween(from, to).flatMap((day) =>
            Array.from({ length: ACCOUNT_SHARDS }, (_, shard) => dayKey(shard, day, layout)),
          ),
        )
      : (
          await Promise.all(
            Array.from({ length: ACCOUNT_SHARDS }, (_, shard) =>
              queryShard(client, tableName, shard, from, to),
            ),
          )
        ).flat();
  const byDay = new Map<string, Record<string, number>>();
  for (const item of items) {
    const key = String(layout === 'flat' ? item.pk : item.sk);
    const day = key.slice(key.indexOf(DAY_PREFIX) + DAY_PREFIX.length);
    const counts = byDay.get(day) ?? {};
    for (const [name, value] of Object.entries(item)) {
      if (name === 'pk' || name === 'sk' || typeof value !== 'number') continue;
      counts[name] = (counts[name] ?? 0) + value;
    }
    byDay.set(day, counts);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, counts]) => ({ day, counts }));
}

async function queryShard(
  client: DynamoDBDocumentClient,
  tableName: string,
  shard: number,
  from: string,
  to: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': `overview#${shard}`,
          ':from': `${DAY_PREFIX}${from}`,
          ':to': `${DAY_PREFIX}${to}`,
        },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
