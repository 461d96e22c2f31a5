import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Campaign,
  type CampaignStats,
  type CampaignStatus,
  COUNTERS,
  type Counter,
  campaignStats,
} from '../../domain/campaign';
import { ConflictError } from '../../domain/errors';
import type { CampaignStore } from '../../ports';
import { batchGet } from './batch-get';
import { isConditionFailure } from './client';
import { statsKeys } from './counters';

/** Sort key of the campaign item; its counters live in partitions of their own (counters.ts). */
export const CAMPAIGN_SK = 'campaign';
const DUE_BUCKET = 'due';

function toCampaign(item: Record<string, unknown>): Campaign {
  const { pk, sk: _sk, dueBucket: _due, dueAt: _dueAt, total: _total, segments: _segments, ...rest } = item;
  return { id: pk as string, ...rest } as Campaign;
}

/** Campaigns in DynamoDB with their counters, sharded over distinct partition keys. */
export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(campaign: Campaign): Promise<void> {
    const { id, ...fields } = campaign;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: id,
            sk: CAMPAIGN_SK,
            ...fields,
            total: 0,
            ...(campaign.status === 'scheduled' ? { dueBucket: DUE_BUCKET, dueAt: campaign.sendAt } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Campaign ${id} already exists`);
      throw error;
    }
  }

  async get(id: string): Promise<Campaign | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: id, sk: CAMPAIGN_SK }, ConsistentRead: true }),
    );
    return result.Item ? toCampaign(result.Item) : undefined;
  }

  async getWithStats(id: string): Promise<{ campaign: Campaign; stats: CampaignStats } | undefined> {
    // The campaign item and its stats shards (each in a partition of its own) in one BatchGet.
    const items = await batchGet(
      this.client,
      this.tableName,
      [{ pk: id, sk: CAMPAIGN_SK }, ...statsKeys(id)],
      {
        consistentRead: true,
      },
    );
    const item = items.find((candidate) => candidate.pk === id && candidate.sk === CAMPAIGN_SK);
    if (!item) return undefined;
    const counters: { total: number; segments: number } & Partial<Record<Counter, number>> = {
      total: Number(item.total ?? 0),
      segments: Number(item.segments ?? 0),
    };
    for (const shard of items) {
      if (shard === item) continue;
      for (const name of COUNTERS) counters[name] = (counters[name] ?? 0) + Number(shard[name] ?? 0);
    }
    const campaign = toCampaign(item);
    return { campaign, stats: campaignStats(counters, campaign.status) };
  }

  async transition(
    id: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    now: Date,
    extra: { pausedReason?: string; leaseUntil?: Date; newRound?: boolean; resumeAfter?: Date } = {},
  ): Promise<Campaign | undefined> {
    if (from.length === 0) return undefined;
    const values: Record<string, unknown> = { ':to': to, ':now': now.toISOString() };
    from.forEach((status, index) => {
      values[`:from${index}`] = status;
    });
    const set = ['#status = :to', 'updatedAt = :now'];
    const remove: string[] = [];
    if (extra.leaseUntil) {
      // Dispatching: the sweep revives the page chain if it goes quiet past the lease.
      set.push('dueBucket = :due', 'dueAt = :lease');
      values[':due'] = DUE_BUCKET;
      values[':lease'] = extra.leaseUntil.toISOString();
    } else if (to === 'paused' && extra.resumeAfter) {
      // Paused for a while only: the sweep finds it in the due index once resumeAfter has come.
      set.push('dueBucket = :due', 'dueAt = :resume', 'resumeAfter = :resume');
      values[':due'] = DUE_BUCKET;
      values[':resume'] = extra.resumeAfter.toISOString();
    } else if (to !== 'scheduled') remove.push('dueBucket', 'dueAt');
    if (!(to === 'paused' && extra.resumeAfter)) remove.push('resumeAfter');
    if (extra.newRound) {
      // A resume dispatches the audience again: ended deliveries are skipped by their claims.
      set.push('#round = if_not_exists(#round, :one) + :one');
      values[':one'] = 1;
      remove.push('dispatchCursor', 'dispatchedAt');
    }
    if (to === 'paused') {
      set.push('pausedReason = :reason');
      values[':reason'] = extra.pausedReason ?? 'paused';
    } else remove.push('pausedReason');
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: CAMPAIGN_SK },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status', ...(extra.newRound ? { '#round': 'round' } : {}) },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toCampaign(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async listDue(
    now: Date,
    limit: number,
  ): Promise<{ campaignId: string; cursor: string | null; round: number; resume?: boolean }[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'due',
        KeyConditionExpression: 'dueBucket = :due AND dueAt <= :now',
        ExpressionAttributeValues: { ':due': DUE_BUCKET, ':now': now.toISOString() },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      campaignId: item.pk as string,
      cursor: typeof item.dispatchCursor === 'string' ? item.dispatchCursor : null,
      round: typeof item.round === 'number' ? item.round : 1,
      ...(item.status === 'paused' ? { resume: true } : {}),
    }));
  }

  async saveDispatchPage(
    id: string,
    page: {
      expected: string | null;
      next: string | null;
      added: number;
      segments?: number;
      leaseUntil: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':added': page.added,
      ':segments': page.segments ?? 0,
      ':now': now.toISOString(),
    };
    const set = ['updatedAt = :now'];
    const remove: string[] = [];
    if (page.next === null) {
      set.push('dispatchedAt = :now');
      remove.push('dispatchCursor', 'dueBucket', 'dueAt');
    } else {
      set.push('dispatchCursor = :next', 'dueAt = :lease');
      values[':next'] = page.next;
      values[':lease'] = page.leaseUntil.toISOString();
    }
    let condition = 'attribute_not_exists(dispatchedAt) AND ';
    if (page.expected === null) condition += 'attribute_not_exists(dispatchCursor)';
    else {
      condition += 'dispatchCursor = :expected';
      values[':expected'] = page.expected;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: CAMPAIGN_SK },
          UpdateExpression: `SET ${set.join(', ')} ADD #total :added, #segments :segments${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: condition,
          // SEGMENTS is a DynamoDB reserved word, like TOTAL.
          ExpressionAttributeNames: { '#total': 'total', '#segments': 'segments' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
