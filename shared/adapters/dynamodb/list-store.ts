import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { type ContactList, LIST_SHARDS, memberShard } from '../../domain/list';
import type { IdPage, ListStore } from '../../ports';
import { batchGet } from './batch-get';
import { chunk, decodeCursor, encodeCursor } from './client';

/**
 * Members one transaction adds or removes, all of one shard: each is two items (member and
 * reverse), plus the shard's counter: 97 of TransactWriteItems' 100.
 */
const MEMBERS_PER_TRANSACTION = 48;
/**
 * Shards written at once. Each transaction touches one shard's counter, so transactions on
 * different shards never conflict and can run side by side.
 */
const PARALLEL_SHARDS = 8;
const MAX_TRANSACTION_ATTEMPTS = 8;

const listKey = (id: string) => `list#${id}`;
const shardKey = (id: string, shard: number) => `list#${id}#${shard}`;
const contactKey = (contactId: string) => `contact#${contactId}`;
const META = 'meta';
const COUNT = 'count#';

type Item = Record<string, unknown>;

function toList(meta: Item, members: number): ContactList {
  return {
    id: meta.id as string,
    name: meta.name as string,
    ...(meta.description ? { description: meta.description as string } : {}),
    members,
    createdAt: meta.createdAt as string,
  };
}

/** Why a transaction was cancelled, item by item (DynamoDB's CancellationReasons). */
function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => (reason.Code === 'None' ? undefined : reason.Code));
}

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt + Math.random() * 20));

/**
 * Lists in the Audiences table. A member is an item in one of the list's shards and a reverse
 * item under the contact, written together with the shard's counter in one transaction whose
 * member write is conditional: a retried add (an API retry, an import's redelivered batch)
 * finds the member there, drops it and counts nothing twice.
 */
export class DynamoListStore implements ListStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes the list and its shards' counters (at 0) in one transaction. The counters are the
   * list's existence for membership writes: each write's transaction updates its shard's
   * counter on condition that it exists, so nothing joins a deleted list, and transactions on
   * different shards share no item (a shared item would make them conflict).
   */
  async create(list: Omit<ContactList, 'members'>): Promise<void> {
    const counters = Array.from({ length: LIST_SHARDS }, (_, shard) => ({
      Put: { TableName: this.tableName, Item: { pk: listKey(list.id), sk: `${COUNT}${shard}`, members: 0 } },
    }));
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { pk: listKey(list.id), sk: META, catalog: 'list', shards: LIST_SHARDS, ...list },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...counters,
        ],
      }),
    );
  }

  async exists(id: string): Promise<boolean> {
    return (await this.getMany([id])).length > 0;
  }

  async get(id: string): Promise<ContactList | undefined> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': listKey(id) },
      ConsistentRead: true,
    });
    const meta = items.find((item) => item.sk === META);
    if (!meta) return undefined;
    const members = items
      .filter((item) => String(item.sk).startsWith(COUNT))
      .reduce((sum, item) => sum + Number(item.members ?? 0), 0);
    return toList(meta, members);
  }

  async getMany(ids: readonly string[]): Promise<Omit<ContactList, 'members'>[]> {
    const metas = await batchGet(
      this.client,
      this.tableName,
      [...new Set(ids)].map((id) => ({ pk: listKey(id), sk: META })),
    );
    return metas.map((meta) => {
      const { members: _members, ...list } = toList(meta, 0);
      return list;
    });
  }

  async list(page: { cursor?: string; limit: number }): Promise<{ items: ContactList[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'catalog',
        KeyConditionExpression: '#catalog = :list',
        ExpressionAttributeNames: { '#catalog': 'catalog' },
        ExpressionAttributeValues: { ':list': 'list' },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    // Each list's counters are one small Query; a page holds at most 100 lists.
    const items = await Promise.all(
      (result.Items ?? []).map(async (meta) => (await this.get(meta.id as string)) ?? toList(meta, 0)),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { items, ...(cursor ? { cursor } : {}) };
  }

  async delete(id: string, deadline: number): Promise<void> {
    const meta = await this.meta(id);
    if (!meta) return;
    // The counters go first: from then on every membership write's condition fails, so the
    // members purged below cannot be re-added meanwhile; then the list item (404 from then on).
    const counters = Array.from({ length: this.shardCount(meta) }, (_, shard) => ({
      DeleteRequest: { Key: { pk: listKey(id), sk: `${COUNT}${shard}` } },
    }));
    await this.writeAll(counters);
    await this.writeAll([{ DeleteRequest: { Key: { pk: listKey(id), sk: META } } }]);
    for (let shard = 0; shard < this.shardCount(meta); shard++) {
      let cursor: string | undefined;
      do {
        if (Date.now() > deadline) return;
        const page = await this.shardMembers(id, shard, { limit: 500, ...(cursor ? { cursor } : {}) });
        await this.writeAll(
          page.ids.flatMap((contactId) => [
            { DeleteRequest: { Key: { pk: shardKey(id, shard), sk: contactId } } },
            { DeleteRequest: { Key: { pk: contactKey(contactId), sk: listKey(id) } } },
          ]),
        );
        cursor = page.cursor;
      } while (cursor);
    }
  }

  async add(listId: string, contactIds: readonly string[], now: Date): Promise<number> {
    const meta = await this.meta(listId);
    if (!meta) throw new NotFoundError(`List ${listId} not found`);
    const shards = this.shardCount(meta);
    const unique = [...new Set(contactIds)];
    // Members already on the list (a re-import, a retried call) are read, not transacted: a
    // strongly consistent read per 100 instead of a failed transaction per 48. The
    // transaction's own condition still keeps a member added meanwhile from counting twice.
    const present = new Set(
      (
        await batchGet(
          this.client,
          this.tableName,
          unique.map((id) => ({ pk: shardKey(listId, memberShard(id, shards)), sk: id })),
          { consistentRead: true },
        )
      ).map((item) => item.sk as string),
    );
    return this.changeByShard(
      listId,
      shards,
      unique.filter((id) => !present.has(id)),
      'add',
      now,
    );
  }

  async remove(listId: string, contactIds: readonly string[]): Promise<number> {
    const meta = await this.meta(listId);
    if (!meta) throw new NotFoundError(`List ${listId} not found`);
    return this.changeByShard(listId, this.shardCount(meta), [...new Set(contactIds)], 'remove', new Date());
  }

  /** Groups members by shard and writes up to {@link PARALLEL_SHARDS} shards at once. */
  private async changeByShard(
    listId: string,
    shards: number,
    contactIds: readonly string[],
    kind: 'add' | 'remove',
    now: Date,
  ): Promise<number> {
    const byShard = new Map<number, string[]>();
    for (const id of contactIds) {
      const shard = memberShard(id, shards);
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    const groups = [...byShard.values()];
    let changed = 0;
    for (let i = 0; i < groups.length; i += PARALLEL_SHARDS) {
      const counts = await Promise.all(
        groups.slice(i, i + PARALLEL_SHARDS).map(async (ids) => {
          let count = 0;
          for (const part of chunk(ids, MEMBERS_PER_TRANSACTION))
            count += await this.change(listId, shards, part, kind, now);
          return count;
        }),
      );
      changed += counts.reduce((sum, count) => sum + count, 0);
    }
    return changed;
  }

  /**
   * One transaction over up to 48 members: conditional member writes, their reverse items and
   * the shards' counters. Members whose condition failed (already on, or already off) are
   * dropped and the rest written again; a conflict with a concurrent transaction is retried.
   * @returns how many members changed.
   */
  private async change(
    listId: string,
    shards: number,
    contactIds: readonly string[],
    kind: 'add' | 'remove',
    now: Date,
  ): Promise<number> {
    let pending = [...contactIds];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === MAX_TRANSACTION_ATTEMPTS)
        throw new Error(`List ${listId}: membership transaction kept conflicting`);
      const perShard = new Map<number, number>();
      for (const id of pending) {
        const shard = memberShard(id, shards);
        perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
      }
      const sign = kind === 'add' ? 1 : -1;
      const items = [
        ...pending.map((id) =>
          kind === 'add'
            ? {
                Put: {
                  TableName: this.tableName,
                  Item: { pk: shardKey(listId, memberShard(id, shards)), sk: id, addedAt: now.toISOString() },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              }
            : {
                Delete: {
                  TableName: this.tableName,
                  Key: { pk: shardKey(listId, memberShard(id, shards)), sk: id },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
        ),
        ...pending.map((id) =>
          kind === 'add'
            ? {
                Put: {
                  TableName: this.tableName,
                  Item: { pk: contactKey(id), sk: listKey(listId), listId, addedAt: now.toISOString() },
                },
              }
            : { Delete: { TableName: this.tableName, Key: { pk: contactKey(id), sk: listKey(listId) } } },
        ),
        ...[...perShard].map(([shard, count]) => ({
          Update: {
            TableName: this.tableName,
            Key: { pk: listKey(listId), sk: `${COUNT}${shard}` },
            UpdateExpression: 'ADD members :n',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':n': sign * count },
          },
        })),
      ];
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return pending.length;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        // Items: the members, their reverse items, then the counters (whose condition is the list's existence).
        if (codes.slice(2 * pending.length).includes('ConditionalCheckFailed'))
          throw new NotFoundError(`List ${listId} not found`);
        const unchanged = new Set(pending.filter((_, index) => codes[index] === 'ConditionalCheckFailed'));
        if (unchanged.size === 0) {
          // TransactionConflict or throttling: the same write again after a pause.
          await pause(attempt);
          continue;
        }
        if (kind === 'remove') {
          // Not on the list any more: a reverse item left by a half-purged delete goes too.
          await this.writeAll(
            [...unchanged].map((id) => ({
              DeleteRequest: { Key: { pk: contactKey(id), sk: listKey(listId) } },
            })),
          );
        }
        pending = pending.filter((id) => !unchanged.has(id));
      }
    }
    return 0;
  }

  async members(listId: string, page: { cursor?: string; limit: number }): Promise<IdPage> {
    const meta = await this.meta(listId);
    if (!meta) throw new NotFoundError(`List ${listId} not found`);
    const shards = this.shardCount(meta);
    const position = page.cursor ? parseMembersCursor(page.cursor, shards) : { shard: 0 };
    const ids: string[] = [];
    let shard = position.shard;
    let within = position.within;
    while (shard < shards && ids.length < page.limit) {
      const part = await this.shardMembers(listId, shard, {
        limit: page.limit - ids.length,
        ...(within ? { cursor: within } : {}),
      });
      ids.push(...part.ids);
      if (part.cursor) within = part.cursor;
      else {
        shard += 1;
        within = undefined;
      }
    }
    if (shard >= shards) return { ids };
    return {
      ids,
      cursor: Buffer.from(JSON.stringify({ s: shard, w: within ?? null })).toString('base64url'),
    };
  }

  async shardsOf(listId: string): Promise<number | undefined> {
    const meta = await this.meta(listId);
    return meta ? this.shardCount(meta) : undefined;
  }

  async shardMembers(
    listId: string,
    shard: number,
    page: { cursor?: string; limit: number },
  ): Promise<IdPage> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': shardKey(listId, shard) },
        ProjectionExpression: 'sk',
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: { pk: shardKey(listId, shard), sk: page.cursor } } : {}),
      }),
    );
    const ids = (result.Items ?? []).map((item) => item.sk as string);
    const last = result.LastEvaluatedKey?.sk as string | undefined;
    return { ids, ...(last ? { cursor: last } : {}) };
  }

  async listsOf(contactId: string): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': contactKey(contactId) },
      ProjectionExpression: 'listId',
    });
    return items.map((item) => item.listId as string);
  }

  async memberships(
    listIds: readonly string[],
    contactIds: readonly string[],
  ): Promise<Map<string, Set<string>>> {
    const found = new Map<string, Set<string>>();
    if (listIds.length === 0 || contactIds.length === 0) return found;
    const metas = await batchGet(
      this.client,
      this.tableName,
      [...new Set(listIds)].map((id) => ({ pk: listKey(id), sk: META })),
    );
    const keys: Item[] = [];
    const owner = new Map<string, string>();
    for (const meta of metas) {
      const id = meta.id as string;
      const shards = this.shardCount(meta);
      for (const contactId of new Set(contactIds)) {
        const pk = shardKey(id, memberShard(contactId, shards));
        owner.set(pk, id);
        keys.push({ pk, sk: contactId });
      }
    }
    for (const item of await batchGet(this.client, this.tableName, keys)) {
      const listId = owner.get(item.pk as string);
      if (!listId) continue;
      const contactId = item.sk as string;
      const lists = found.get(contactId) ?? new Set<string>();
      lists.add(listId);
      found.set(contactId, lists);
    }
    return found;
  }

  async removeEverywhere(contactId: string): Promise<void> {
    for (const listId of await this.listsOf(contactId)) {
      const meta = await this.meta(listId);
      if (meta) {
        try {
          await this.change(listId, this.shardCount(meta), [contactId], 'remove', new Date());
          continue;
        } catch (error) {
          // Deleted meanwhile: its leftovers go below.
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      const shards = meta ? this.shardCount(meta) : LIST_SHARDS;
      await this.writeAll([
        { DeleteRequest: { Key: { pk: shardKey(listId, memberShard(contactId, shards)), sk: contactId } } },
        { DeleteRequest: { Key: { pk: contactKey(contactId), sk: listKey(listId) } } },
      ]);
    }
  }

  private async meta(id: string): Promise<Item | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: listKey(id), sk: META }, ConsistentRead: true }),
    );
    return result.Item;
  }

  private shardCount(meta: Item): number {
    return Number(meta.shards ?? LIST_SHARDS);
  }

  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...input,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** BatchWriteItem over any number of requests, unprocessed ones retried. */
  private async writeAll(requests: readonly Item[]): Promise<void> {
    for (const part of chunk(requests, 25)) {
      let pending: Item[] = part;
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_TRANSACTION_ATTEMPTS)
          throw new Error(`BatchWriteItem on ${this.tableName} left items`);
        if (round > 0) await pause(round);
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[this.tableName] as Item[] | undefined) ?? [];
      }
    }
  }
}

function parseMembersCursor(cursor: string, shards: number): { shard: number; within?: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      s?: unknown;
      w?: unknown;
    };
    if (typeof value.s === 'number' && Number.isInteger(value.s) && value.s >= 0 && value.s < shards) {
      return { shard: value.s, ...(typeof value.w === 'string' ? { within: value.w } : {}) };
    }
  } catch {
    // falls through to the refusal below
  }
  throw new ValidationError('Invalid cursor: it is not one this listing gave', [
    { field: 'cursor', message: 'is not one this listing gave' },
  ]);
}
