import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryOutcome } from '../../domain/campaign';
import type { ClaimResult, DeliveryEnd, DeliveryKey, EndedDelivery, EndStamp } from '../../domain/delivery';
import type { Channel } from '../../domain/types';
import type { DeliveryStore } from '../../ports';
import { batchGet } from './batch-get';
import { isConditionFailure } from './client';
import { countEndsOnce } from './counters';
import {
  ATTEMPT_PREFIX,
  attemptRecordKey,
  deliveryItemKey,
  END_SK_PREFIX,
  endRecordKey,
  parseDeliveryItemKey,
} from './delivery-keys';

const ENDED = new Set(['sent', 'failed', 'suppressed']);
const DAY_SECONDS = 24 * 3600;
/** Attempt records of this many runs are kept in memory: a dead run's records never change. */
const ATTEMPT_CACHE_RUNS = 64;

const keyOf = deliveryItemKey;
/** Deliveries in one end record: 100 ids of 36 and SES ids of ~60 characters stay near 10 KB. */
const END_RECORD_CONTACTS = 100;

/** A sent email as its run's end record keeps it. */
export interface RunEnd {
  readonly messageId: string;
  readonly runId: string;
  readonly endedAt: string;
  readonly providerMessageId?: string;
}

/** Sent emails of one run, keyed `<campaignId>#<channel>#<contactId>`, and whether all parts were read. */
export interface RunEnds {
  readonly ends: ReadonlyMap<string, RunEnd>;
  readonly complete: boolean;
}

const runEndKey = (key: DeliveryKey) => `${key.campaignId}#${key.channel}#${key.contactId}`;

/** Whether an item's delivery may be ended by its holder run's end record (email, not SMS). */
export function endsByRecord(channel: string): boolean {
  return channel !== 'sms';
}

/**
 * The end records of one run (a consistent query of its attempt partition). Shared with export
 * (personal-data-store.ts), which meets email deliveries still `sending` on their items.
 */
export async function readRunEnds(
  client: DynamoDBDocumentClient,
  tableName: string,
  runId: string,
): Promise<RunEnds> {
  const ends = new Map<string, RunEnd>();
  let parts = 0;
  let seen = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :end)',
        ExpressionAttributeValues: { ':pk': `${ATTEMPT_PREFIX}${runId}`, ':end': END_SK_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      seen += 1;
      parts = Number(item.parts ?? 1);
      const contactIds = Array.isArray(item.contactIds) ? item.contactIds.map(String) : [];
      const providerIds = Array.isArray(item.providerMessageIds) ? item.providerMessageIds.map(String) : [];
      contactIds.forEach((contactId, index) => {
        const providerMessageId = providerIds[index];
        ends.set(
          runEndKey({ campaignId: String(item.campaignId), channel: item.channel as Channel, contactId }),
          {
            messageId: String(item.messageId),
            runId,
            endedAt: String(item.endedAt),
            ...(providerMessageId ? { providerMessageId } : {}),
          },
        );
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { ends, complete: seen > 0 && seen >= parts };
}

/** The end a run's records give a delivery, if any. */
export function runEndOf(ends: RunEnds, key: DeliveryKey): RunEnd | undefined {
  return ends.ends.get(runEndKey(key));
}

export interface DeliveryStoreOptions {
  /** Days a delivery record (and an attempt record) is kept: its `expiresAt`. Default 180. */
  readonly retentionDays?: number;
}

type RawItem = Record<string, { S?: string; N?: string; L?: { S?: string }[] }>;

/** One provider call of a run, as its attempt record keeps it. */
interface AttemptRecord {
  readonly campaignId: string;
  readonly channel: string;
  readonly contactIds: readonly string[];
  readonly attemptedAt: string;
}

function endStamp(value: unknown): EndStamp | undefined {
  if (typeof value !== 'string') return undefined;
  const cut = value.indexOf(' ');
  return cut > 0 ? { messageId: value.slice(0, cut), runId: value.slice(cut + 1) } : undefined;
}

/**
 * The send ledger, one item per delivery in its contact's partition, written only with
 * single-item conditional writes: a claim (the lease that makes one sender own a delivery),
 * one attempt record per provider call (not per message), and an end stamped with the queue
 * message that ended it. Counting is left to {@link countEnds}, once per queue message.
 *
 * A takeover is told by the item itself: the claim that takes over an expired lease keeps the
 * dead run's id in `priorRuns`, and the attempt records of those runs say whether (and when)
 * the provider may have been reached. A release that keeps the outcome unknown adds its own run.
 */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly retentionSeconds: number;
  private readonly attemptCache = new Map<string, Promise<AttemptRecord[]>>();
  /** End records of runs whose end was read whole: final once written. A negative answer is never kept. */
  private readonly endCache = new Map<string, RunEnds>();
  private calls = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly campaignsTableName: string,
    options: DeliveryStoreOptions = {},
  ) {
    this.retentionSeconds = (options.retentionDays ?? 180) * DAY_SECONDS;
  }

  private expiresAt(now: Date): number {
    return Math.floor(now.getTime() / 1000) + this.retentionSeconds;
  }

  async claim(
    key: DeliveryKey,
    now: Date,
    leaseMs: number,
    claimId = randomUUID(),
    options: { readonly recipient?: string } = {},
  ): Promise<ClaimResult> {
    const values: Record<string, unknown> = {
      ':sending': 'sending',
      ':claim': claimId,
      ':lease': now.getTime() + leaseMs,
      ':now': now.toISOString(),
      ':expires': this.expiresAt(now),
      ':zero': 0,
      ':one': 1,
    };
    let set =
      'SET #status = :sending, claimId = :claim, leaseUntil = :lease, updatedAt = :now, expiresAt = :expires, attempts = if_not_exists(attempts, :zero) + :one';
    // An email's address goes with its claim: a sent email's item is never written again.
    if (options.recipient !== undefined) {
      set += ', recipient = :recipient';
      values[':recipient'] = options.recipient;
    }
    let old: RawItem | undefined;
    try {
      // A new delivery, or one given back: one write.
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: set,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :retry',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':retry': 'retry' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnValues: 'ALL_OLD',
        }),
      );
      const prior = result.Attributes?.priorRuns;
      return this.claimed(key, claimId, Array.isArray(prior) ? prior.map(String) : []);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      old = (error as { Item?: RawItem }).Item;
    }
    const status = old?.status?.S;
    if (status && ENDED.has(status)) {
      const endedBy = endStamp(old?.endedBy?.S);
      return { kind: 'ended', outcome: status as DeliveryOutcome, ...(endedBy ? { endedBy } : {}) };
    }
    const holder = old?.claimId?.S;
    // A sent email is ended by its holder run's end record, lease or not: never taken over.
    if (status === 'sending' && holder && endsByRecord(key.channel)) {
      const end = runEndOf(await this.runEnds(holder), key);
      if (end)
        return { kind: 'ended', outcome: 'sent', endedBy: { messageId: end.messageId, runId: holder } };
    }
    if (status !== 'sending' || !holder || Number(old?.leaseUntil?.N ?? 0) >= now.getTime())
      return { kind: 'held' };
    // The holder's lease ran out (it died): take over, keeping its run id, whose attempt
    // records tell whether it reached the provider. Rare, so two writes are fine here.
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: `${set}, priorRuns = list_append(if_not_exists(priorRuns, :none), :holder)`,
          ConditionExpression: '#status = :sending AND claimId = :holderId AND leaseUntil < :nowMs',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...values,
            ':none': [],
            ':holder': [holder],
            ':holderId': holder,
            ':nowMs': now.getTime(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const prior = result.Attributes?.priorRuns;
      return this.claimed(key, claimId, Array.isArray(prior) ? prior.map(String) : [holder]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another sender took it over first.
      return { kind: 'held' };
    }
  }

  /** A claim, a takeover when an earlier run's attempt records hold the delivery. */
  private async claimed(
    key: DeliveryKey,
    claimId: string,
    priorRuns: readonly string[],
  ): Promise<ClaimResult> {
    let attemptedAt: string | undefined;
    for (const runId of new Set(priorRuns)) {
      for (const record of await this.attemptsOf(runId)) {
        const holds =
          record.campaignId === key.campaignId &&
          record.channel === key.channel &&
          record.contactIds.includes(key.contactId);
        if (holds && (attemptedAt === undefined || record.attemptedAt < attemptedAt))
          attemptedAt = record.attemptedAt;
      }
    }
    return attemptedAt === undefined
      ? { kind: 'claimed', claimId, takeover: false }
      : { kind: 'claimed', claimId, takeover: true, attemptedAt };
  }

  private attemptsOf(runId: string): Promise<AttemptRecord[]> {
    let records = this.attemptCache.get(runId);
    if (!records) {
      records = this.readAttempts(runId);
      // A failed read is not kept: the next claim asks again.
      records.catch(() => this.attemptCache.delete(runId));
      this.attemptCache.set(runId, records);
      if (this.attemptCache.size > ATTEMPT_CACHE_RUNS) {
        const oldest = this.attemptCache.keys().next().value;
        if (oldest !== undefined) this.attemptCache.delete(oldest);
      }
    }
    return records;
  }

  private async readAttempts(runId: string): Promise<AttemptRecord[]> {
    const records: AttemptRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `${ATTEMPT_PREFIX}${runId}` },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (String(item.sk).startsWith(END_SK_PREFIX)) continue;
        records.push({
          campaignId: String(item.campaignId),
          channel: String(item.channel),
          contactIds: Array.isArray(item.contactIds) ? item.contactIds.map(String) : [],
          attemptedAt: String(item.attemptedAt),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  async markAttempts(claims: readonly { key: DeliveryKey; claimId: string }[], now: Date): Promise<void> {
    // One record per run and call (a call's recipients share their run's claim id), written
    // before the call: a takeover after a crash finds the call's recipients in it. The claims
    // are not checked again here: a claim's lease (CLAIM_LEASE_MS) outlives the sender's
    // timeout, so a live run never loses one to a takeover.
    const calls = new Map<string, { key: DeliveryKey; claimId: string }[]>();
    for (const claim of claims) {
      const id = `${claim.claimId} ${claim.key.campaignId} ${claim.key.channel}`;
      calls.set(id, [...(calls.get(id) ?? []), claim]);
    }
    await Promise.all(
      [...calls.values()].map(async (part) => {
        const first = part[0];
        if (!first) return;
        this.calls += 1;
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...attemptRecordKey(first.claimId, this.calls),
              campaignId: first.key.campaignId,
              channel: first.key.channel,
              contactIds: part.map(({ key }) => key.contactId),
              attemptedAt: now.toISOString(),
              expiresAt: this.expiresAt(now),
            },
            // Never overwrite another call's record (a second store of the same run).
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      }),
    );
  }

  async release(
    key: DeliveryKey,
    claimId: string,
    reason: string,
    options: { readonly outcomeUnknown?: boolean } = {},
  ): Promise<void> {
    // An unknown outcome stays with the item: our run joins the runs a takeover asks about.
    const update = options.outcomeUnknown
      ? 'SET #status = :retry, reason = :reason, priorRuns = list_append(if_not_exists(priorRuns, :none), :run) REMOVE claimId, leaseUntil'
      : 'SET #status = :retry, reason = :reason REMOVE claimId, leaseUntil, priorRuns';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: update,
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':retry': 'retry',
            ':reason': reason,
            ':claim': claimId,
            ...(options.outcomeUnknown ? { ':none': [], ':run': [claimId] } : {}),
          },
        }),
      );
    } catch (error) {
      // Our lease expired and another sender took the delivery over: it is theirs now.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async end(key: DeliveryKey, claimId: string, end: DeliveryEnd, now: Date): Promise<boolean> {
    const set = ['#status = :outcome', 'endedAt = :now', 'endedBy = :endedBy', 'expiresAt = :expires'];
    const values: Record<string, unknown> = {
      ':outcome': end.outcome,
      ':now': now.toISOString(),
      ':claim': claimId,
      ':endedBy': `${end.messageId ?? claimId} ${claimId}`,
      ':expires': this.expiresAt(now),
    };
    const optional: [string, unknown][] = [
      ['content', end.content],
      ['providerMessageId', end.providerMessageId],
      ['providerStatus', end.providerStatus],
      ['reason', end.reason],
    ];
    // No index holds them: spoof verdicts find a phone's SMS through its contacts' partitions
    // (sent-sms-lookup.ts), so an end is one write unit for one item.
    if (end.outcome === 'sent' && end.recipient)
      optional.push(['recipient', end.recipient], ['sentAt', now.toISOString()]);
    for (const [name, value] of optional) {
      if (value === undefined) continue;
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: `SET ${set.join(', ')} REMOVE claimId, leaseUntil, priorRuns`,
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      // Lost the lease to another sender, which now owns the delivery and its count.
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  private async runEnds(runId: string): Promise<RunEnds> {
    const cached = this.endCache.get(runId);
    if (cached) return cached;
    const read = await readRunEnds(this.client, this.tableName, runId);
    if (read.complete) {
      this.endCache.set(runId, read);
      if (this.endCache.size > ATTEMPT_CACHE_RUNS) {
        const oldest = this.endCache.keys().next().value;
        if (oldest !== undefined) this.endCache.delete(oldest);
      }
    }
    return read;
  }

  async endSent(
    claimId: string,
    messageId: string,
    sent: readonly { readonly key: DeliveryKey; readonly providerMessageId?: string }[],
    now: Date,
  ): Promise<void> {
    // One record per campaign and channel (a run has one of each), in parts of END_RECORD_CONTACTS.
    const byCampaign = new Map<string, (typeof sent)[number][]>();
    for (const one of sent) {
      const id = `${one.key.campaignId}#${one.key.channel}`;
      byCampaign.set(id, [...(byCampaign.get(id) ?? []), one]);
    }
    const parts: (typeof sent)[number][][] = [];
    for (const group of byCampaign.values())
      for (let from = 0; from < group.length; from += END_RECORD_CONTACTS)
        parts.push(group.slice(from, from + END_RECORD_CONTACTS));
    await Promise.all(
      parts.map(async (part, index) => {
        const first = part[0];
        if (!first) return;
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...endRecordKey(claimId, index),
              messageId,
              campaignId: first.key.campaignId,
              channel: first.key.channel,
              contactIds: part.map(({ key }) => key.contactId),
              providerMessageIds: part.map(({ providerMessageId }) => providerMessageId ?? ''),
              parts: parts.length,
              endedAt: now.toISOString(),
              expiresAt: this.expiresAt(now),
            },
            // A run ends once: never overwrite its end.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      }),
    );
  }

  countEnds(campaignId: string, ends: readonly EndedDelivery[], now: Date, channel: Channel): Promise<void> {
    return countEndsOnce(this.client, this.campaignsTableName, campaignId, ends, {
      expiresAt: this.expiresAt(now),
      channel,
      now,
    });
  }

  async endedOf(keys: readonly DeliveryKey[]): Promise<(EndedDelivery & { key: DeliveryKey })[]> {
    const items = await batchGet(this.client, this.tableName, keys.map(keyOf), { consistentRead: true });
    const ended: (EndedDelivery & { key: DeliveryKey })[] = [];
    // Emails still `sending` on their items: their holder runs' end records say which were sent.
    const holders = new Set<string>();
    for (const item of items)
      if (
        item.status === 'sending' &&
        typeof item.claimId === 'string' &&
        endsByRecord(parseDeliveryItemKey(item).channel)
      )
        holders.add(item.claimId);
    const runs = new Map<string, RunEnds>();
    await Promise.all([...holders].map(async (runId) => runs.set(runId, await this.runEnds(runId))));
    for (const item of items) {
      const runEnds = item.status === 'sending' ? runs.get(String(item.claimId)) : undefined;
      if (runEnds) {
        const key = parseDeliveryItemKey(item);
        const end = runEndOf(runEnds, key);
        if (end)
          ended.push({ key, outcome: 'sent', endedBy: { messageId: end.messageId, runId: end.runId } });
        continue;
      }
      const endedBy = endStamp(item.endedBy);
      if (endedBy && ENDED.has(String(item.status)))
        ended.push({
          key: parseDeliveryItemKey(item),
          outcome: item.status as DeliveryOutcome,
          endedBy,
          ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
        });
    }
    return ended;
  }
}
