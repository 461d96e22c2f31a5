import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
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
import { FAILURE_COUNTER_PREFIX } from '../../domain/delivery';
import { type DispatchUnitState, dispatchTotals, roundDispatched } from '../../domain/dispatch';
import { ConflictError, ValidationError } from '../../domain/errors';
import type { Channel } from '../../domain/types';
import type { CampaignStore, IdPage, SendingCampaigns, TransitionExtra } from '../../ports';
import { batchGet } from './batch-get';
import { decodeCursor, encodeCursor, isConditionFailure } from './client';
import { statsKeys } from './counters';

/** Sort key of the campaign item; its counters live in partitions of their own (counters.ts). */
export const CAMPAIGN_SK = 'campaign';
const DUE_BUCKET = 'due';
/** The one partition of the `byCreated` listing index. */
const LIST_BUCKET = 'campaigns';

function toCampaign(item: Record<string, unknown>): Campaign {
  const {
    pk,
    sk: _sk,
    dueBucket: _due,
    dueAt: _dueAt,
    total: _total,
    segments: _segments,
    listBucket: _bucket,
    listKey: _key,
    ...rest
  } = item;
  return { id: pk as string, ...rest } as Campaign;
}

/** The item of a campaign not dispatched yet: listed, and due at its sendAt unless held. */
function campaignItem(campaign: Campaign): Record<string, unknown> {
  const { id, ...fields } = campaign;
  return {
    pk: id,
    sk: CAMPAIGN_SK,
    ...fields,
    total: 0,
    listBucket: LIST_BUCKET,
    listKey: id,
    ...(campaign.status === 'scheduled' && campaign.sendAt
      ? { dueBucket: DUE_BUCKET, dueAt: campaign.sendAt }
      : {}),
  };
}

/** A listing cursor: the index it pages (by status or not) and DynamoDB's key in it. */
interface ListCursor {
  readonly status: string | null;
  readonly key: Record<string, unknown>;
}

function listCursorKey(
  cursor: string | undefined,
  status: string | undefined,
): Record<string, unknown> | undefined {
  const decoded = decodeCursor(cursor) as Partial<ListCursor> | undefined;
  if (!decoded) return undefined;
  const key = decoded.key;
  const names = status ? ['pk', 'sk', 'status'] : ['pk', 'sk', 'listBucket', 'listKey'];
  const fits =
    (decoded.status ?? null) === (status ?? null) &&
    key !== null &&
    typeof key === 'object' &&
    Object.keys(key).length === names.length &&
    names.every((name) => typeof key[name] === 'string' && (key[name] as string).length <= 300);
  if (!fits) {
    throw new ValidationError('Invalid cursor: it is not one this listing gave (with this status)', [
      { field: 'cursor', message: 'is not one this listing gave, with this status' },
    ]);
  }
  return key;
}

/** Campaigns in DynamoDB with their counters, sharded over distinct partition keys. */
export class DynamoCampaignStore implements CampaignStore, SendingCampaigns {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(campaign: Campaign): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: campaignItem(campaign),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Campaign ${campaign.id} already exists`);
      throw error;
    }
  }

  async update(campaign: Campaign, expectedUpdatedAt: string): Promise<boolean> {
    // A scheduled campaign has no dispatch or counters yet: its item is all of it.
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: campaignItem({ ...campaign, status: 'scheduled' }),
          ConditionExpression: '#status = :scheduled AND updatedAt = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':scheduled': 'scheduled', ':expected': expectedUpdatedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async list(query: { status?: CampaignStatus; cursor?: string; limit: number }): Promise<IdPage> {
    const startKey = listCursorKey(query.cursor, query.status);
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        ...(query.status
          ? {
              IndexName: 'byStatus',
              KeyConditionExpression: '#status = :status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':status': query.status },
            }
          : {
              IndexName: 'byCreated',
              KeyConditionExpression: 'listBucket = :bucket',
              ExpressionAttributeValues: { ':bucket': LIST_BUCKET },
            }),
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const cursor = page.LastEvaluatedKey
      ? encodeCursor({ status: query.status ?? null, key: page.LastEvaluatedKey } satisfies ListCursor)
      : undefined;
    return { ids: (page.Items ?? []).map((item) => String(item.pk)), ...(cursor ? { cursor } : {}) };
  }

  async get(id: string): Promise<Campaign | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: id, sk: CAMPAIGN_SK }, ConsistentRead: true }),
    );
    return result.Item ? toCampaign(result.Item) : undefined;
  }

  async getWithStats(
    id: string,
  ): Promise<{ campaign: Campaign; stats: CampaignStats; failures: Record<string, number> } | undefined> {
    // The campaign's own partition (its item and its dispatch units) and its stats shards (each
    // in a partition of its own, read in one BatchGet), at once.
    const own = async () => {
      const found: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :id',
            ExpressionAttributeValues: { ':id': id },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        found.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return found;
    };
    const [mine, shards] = await Promise.all([
      own(),
      batchGet(this.client, this.tableName, statsKeys(id), { consistentRead: true }),
    ]);
    const items = [...mine, ...shards];
    const item = mine.find((candidate) => candidate.sk === CAMPAIGN_SK);
    if (!item) return undefined;
    const units = items.filter((candidate) => String(candidate.sk).startsWith(UNIT_SK_PREFIX));
    const dispatched = dispatchTotals(
      units.map((unit) => ({
        round: Number(unit.round),
        added: Number(unit.added ?? 0),
        segments: Number(unit.segments ?? 0),
      })),
    );
    // Campaigns dispatched before audience units counted their total on the campaign item.
    const legacy = Number(item.total ?? 0);
    const counters: { total: number; segments: number } & Partial<Record<Counter, number>> =
      legacy > dispatched.total ? { total: legacy, segments: Number(item.segments ?? 0) } : dispatched;
    const failures: Record<string, number> = {};
    for (const shard of items) {
      if (shard === item || units.includes(shard)) continue;
      for (const name of COUNTERS) counters[name] = (counters[name] ?? 0) + Number(shard[name] ?? 0);
      for (const [name, value] of Object.entries(shard)) {
        if (!name.startsWith(FAILURE_COUNTER_PREFIX)) continue;
        const kind = name.slice(FAILURE_COUNTER_PREFIX.length);
        failures[kind] = (failures[kind] ?? 0) + Number(value ?? 0);
      }
    }
    const campaign = toCampaign(item);
    return { campaign, stats: campaignStats(counters, campaign.status), failures };
  }

  async transition(
    id: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    now: Date,
    extra: TransitionExtra = {},
  ): Promise<Campaign | undefined> {
    if (from.length === 0) return undefined;
    const values: Record<string, unknown> = { ':to': to, ':now': now.toISOString() };
    let due = '';
    if (extra.dueBy) {
      due = ' AND sendAt <= :dueBy';
      values[':dueBy'] = extra.dueBy.toISOString();
    }
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
          ConditionExpression: `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})${due}`,
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

  /**
   * Every sending campaign with `channel`, for an account-wide stop (rare): a Scan of the
   * campaigns table, which also holds the stats shards, dispatch units and per-queue-message
   * counted records (the counted records expire); a sparse index would make it cheaper if
   * account stops ever become frequent.
   */
  async listSending(channel: Channel): Promise<Campaign[]> {
    const found: Campaign[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :sk AND #status = :sending AND contains(channels, :channel)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sk': CAMPAIGN_SK, ':sending': 'sending', ':channel': channel },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...(page.Items ?? []).map(toCampaign));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
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

  async planDispatch(
    id: string,
    round: number,
    units: number,
    leaseUntil: Date,
  ): Promise<number | undefined> {
    const values: Record<string, unknown> = {
      ':units': units,
      ':due': DUE_BUCKET,
      ':lease': leaseUntil.toISOString(),
      ':sending': 'sending',
    };
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: CAMPAIGN_SK },
          UpdateExpression:
            'SET dispatchUnits = if_not_exists(dispatchUnits, :units), dueBucket = :due, dueAt = :lease',
          ConditionExpression: `#status = :sending AND attribute_not_exists(dispatchedAt) AND ${roundIs(round, values)}`,
          ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.dispatchUnits ?? units);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async dispatchUnits(id: string, round: number): Promise<DispatchUnitState[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :id AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':id': id, ':prefix': unitPrefix(round) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.map(toUnitState);
  }

  async takeDispatchPage(
    id: string,
    page: { round: number; unit: number; expected: string | null; leaseId: string; leaseUntil: Date },
    now: Date,
  ): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':round': page.round,
      ':unit': page.unit,
      ':leaseId': page.leaseId,
      ':lease': page.leaseUntil.toISOString(),
      ':now': now.toISOString(),
    };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: unitSk(page.round, page.unit) },
          UpdateExpression:
            'SET #round = :round, #unit = :unit, leaseId = :leaseId, leaseUntil = :lease, updatedAt = :now',
          ConditionExpression: `${unitAt(page.expected, values)} AND (attribute_not_exists(leaseId) OR leaseUntil < :now)`,
          ExpressionAttributeNames: { '#round': 'round', '#unit': 'unit', '#cursor': 'cursor' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async saveDispatchPage(
    id: string,
    page: {
      round?: number;
      unit?: number;
      leaseId?: string;
      expected: string | null;
      next: string | null;
      added: number;
      segments?: number;
      leaseUntil: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const round = page.round ?? 1;
    const unit = page.unit ?? 0;
    const values: Record<string, unknown> = {
      ':round': round,
      ':unit': unit,
      ':added': page.added,
      ':segments': page.segments ?? 0,
      ':lease': page.leaseUntil.toISOString(),
      ':now': now.toISOString(),
    };
    const set = ['#round = :round', '#unit = :unit', 'leaseUntil = :lease', 'updatedAt = :now'];
    const remove = ['leaseId'];
    if (page.next === null) {
      set.push('doneAt = :now');
      remove.push('#cursor');
    } else {
      set.push('#cursor = :next');
      values[':next'] = page.next;
    }
    let condition = unitAt(page.expected, values);
    if (page.leaseId !== undefined) {
      condition += ' AND leaseId = :leaseId';
      values[':leaseId'] = page.leaseId;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: unitSk(round, unit) },
          UpdateExpression: `SET ${set.join(', ')} ADD #added :added, #segments :segments REMOVE ${remove.join(', ')}`,
          ConditionExpression: condition,
          // SEGMENTS is a DynamoDB reserved word, like CURSOR.
          ExpressionAttributeNames: {
            '#round': 'round',
            '#unit': 'unit',
            '#cursor': 'cursor',
            '#added': 'added',
            '#segments': 'segments',
          },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    if (page.next === null) await this.finishDispatch(id, round, now);
    return true;
  }

  async finishDispatch(id: string, round: number, now: Date): Promise<boolean> {
    const campaign = await this.get(id);
    if (campaign?.status !== 'sending' || campaign.dispatchedAt || (campaign.round ?? 1) !== round)
      return false;
    if (!roundDispatched(campaign.dispatchUnits ?? 1, await this.dispatchUnits(id, round))) return false;
    const values: Record<string, unknown> = { ':now': now.toISOString(), ':sending': 'sending' };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: CAMPAIGN_SK },
          UpdateExpression:
            'SET dispatchedAt = :now, updatedAt = :now REMOVE dispatchCursor, dueBucket, dueAt',
          ConditionExpression: `#status = :sending AND attribute_not_exists(dispatchedAt) AND ${roundIs(round, values)}`,
          ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
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

/** Sort keys of a round's dispatch units, beside the campaign: `dispatch#<round>#<unit>`. */
const UNIT_SK_PREFIX = 'dispatch#';
const unitPrefix = (round: number) => `${UNIT_SK_PREFIX}${String(round).padStart(4, '0')}#`;
const unitSk = (round: number, unit: number) => `${unitPrefix(round)}${String(unit).padStart(3, '0')}`;

function toUnitState(item: Record<string, unknown>): DispatchUnitState {
  return {
    unit: Number(item.unit),
    cursor: typeof item.cursor === 'string' ? item.cursor : null,
    done: typeof item.doneAt === 'string',
    ...(typeof item.leaseUntil === 'string' ? { leaseUntil: item.leaseUntil } : {}),
    added: Number(item.added ?? 0),
    segments: Number(item.segments ?? 0),
  };
}

/** A unit still at `expected` (null: not started) and unfinished; needs `#cursor` named. */
function unitAt(expected: string | null, values: Record<string, unknown>): string {
  if (expected === null) return 'attribute_not_exists(doneAt) AND attribute_not_exists(#cursor)';
  values[':expected'] = expected;
  return 'attribute_not_exists(doneAt) AND #cursor = :expected';
}

/** The campaign is in `round` (an absent round is round 1); needs `#round` named. */
function roundIs(round: number, values: Record<string, unknown>): string {
  values[':thisRound'] = round;
  return round === 1 ? '(attribute_not_exists(#round) OR #round = :thisRound)' : '#round = :thisRound';
}
