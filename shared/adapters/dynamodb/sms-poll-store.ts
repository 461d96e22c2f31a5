import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AppliedStatus, PolledSms, SmsPollBatch, SmsPollChange } from '../../domain/sms';
import { firstPollAt, STATUS_WINDOW_MS } from '../../domain/sms-polling';
import type { SmsStatusPolls } from '../../ports';
import { batchGet } from './batch-get';
import { chunk, isConditionFailure, isTransactionConflict } from './client';
import { addCounts, countItems } from './counters';
import { deliveryItemKey } from './delivery-keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Shards of the sparse `due` index, so no single partition takes every batch. */
export const POLL_SHARDS = 4;
/** DynamoDB's TransactWriteItems takes at most 100 items: the batch, the counter and 98 deliveries. */
const DELIVERIES_PER_TRANSACTION = 96;
/** A status-14 opt-out left unfinished by a crash is taken up again this soon. */
const OPT_OUT_RETRY_MS = 60_000;
/** Batches outlive the status window by a day, then expire (TTL). */
const RETENTION_MS = STATUS_WINDOW_MS + 24 * 3600_000;
/** One attribute per SMS: `msg:<provider message id>` = contact id. */
const MESSAGE_PREFIX = 'msg:';

const batchKey = (campaignId: string, sentAt: Date) => ({ pk: `poll#${campaignId}#${sentAt.toISOString()}` });

function shardOf(pk: string): string {
  return `poll#${createHash('sha256').update(pk).digest().readUInt16BE(0) % POLL_SHARDS}`;
}

const stringSet = (value: unknown): Set<string> =>
  value instanceof Set
    ? new Set([...value].map(String))
    : new Set(Array.isArray(value) ? value.map(String) : []);

function toBatch(item: Record<string, unknown>): SmsPollBatch {
  const done = stringSet(item.done);
  const optOuts = stringSet(item.optOuts);
  const all: PolledSms[] = Object.entries(item)
    .filter(([name]) => name.startsWith(MESSAGE_PREFIX))
    .map(([name, contactId]) => ({
      messageId: name.slice(MESSAGE_PREFIX.length),
      contactId: String(contactId),
    }));
  return {
    id: String(item.pk),
    campaignId: String(item.campaignId),
    sentAt: String(item.sentAt),
    version: Number(item.version ?? 0),
    pending: all.filter((sms) => !done.has(sms.messageId)),
    optOutsPending: all.filter((sms) => optOuts.has(sms.messageId)),
    ...(typeof item.optOutAt === 'string' ? { optOutAt: item.optOutAt } : {}),
  };
}

/**
 * SMS status polling on DynamoDB: one item per provider attempt holding its SMS (a few KB for
 * 200), on a sparse, keys-only `due` index that is rewritten once per poll, not per SMS. A
 * poll's statuses, their counters and the undelivered SMS's deliveries are written in one
 * transaction conditioned on the batch's version, so a status is counted exactly once.
 */
export class DynamoSmsPollStore implements SmsStatusPolls {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly deliveriesTableName: string,
    private readonly campaignsTableName: string,
  ) {}

  async record(campaignId: string, sentAt: Date, sent: readonly PolledSms[]): Promise<void> {
    if (sent.length === 0) return;
    const key = batchKey(campaignId, sentAt);
    // The message attributes are set, never removed: re-recording an attempt (a redelivery that
    // found its SMS by local id) rewrites the same values, and `done` keeps what was applied.
    // 200 SMS keep the expression well under DynamoDB's 4 KB.
    for (const part of chunk(sent, 200)) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {
        ':campaign': campaignId,
        ':sentAt': sentAt.toISOString(),
        ':zero': 0,
        ':due': firstPollAt(sentAt).toISOString(),
        ':bucket': shardOf(key.pk),
        ':expires': Math.ceil((sentAt.getTime() + RETENTION_MS) / 1000),
      };
      const sets = part.map((sms, index) => {
        names[`#${index}`] = `${MESSAGE_PREFIX}${sms.messageId}`;
        values[`:${index}`] = sms.contactId;
        return `#${index} = :${index}`;
      });
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          // pollBucket is set again: a batch that had finished polls the SMS it did not know yet.
          UpdateExpression: `SET campaignId = :campaign, sentAt = :sentAt, version = if_not_exists(version, :zero), dueAt = if_not_exists(dueAt, :due), pollBucket = :bucket, expiresAt = if_not_exists(expiresAt, :expires), ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  async due(now: Date, limit: number): Promise<SmsPollBatch[]> {
    const keys: Record<string, unknown>[] = [];
    for (let shard = 0; shard < POLL_SHARDS; shard++) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'due',
          KeyConditionExpression: 'pollBucket = :bucket AND dueAt <= :now',
          ExpressionAttributeValues: { ':bucket': `poll#${shard}`, ':now': now.toISOString() },
          ScanIndexForward: true,
          Limit: limit,
        }),
      );
      for (const item of result.Items ?? []) keys.push({ pk: item.pk });
    }
    if (keys.length === 0) return [];
    // The index is keys only: the batches themselves, strongly consistent, with their version.
    const items = await batchGet(this.client, this.tableName, keys, { consistentRead: true });
    return items
      .filter((item) => typeof item.pollBucket === 'string')
      .sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)))
      .slice(0, limit)
      .map(toBatch);
  }

  async apply(batch: SmsPollBatch, change: SmsPollChange, now: Date): Promise<boolean> {
    const delivered = change.finals.filter((final) => final.status === 'delivered');
    const others = change.finals.filter((final) => final.status !== 'delivered');
    const parts = others.length === 0 ? [[]] : chunk(others, DELIVERIES_PER_TRANSACTION);
    let version = batch.version;
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      const finals = index === 0 ? [...delivered, ...part] : part;
      const applied = await this.applyPart(batch, version, {
        finals,
        unknown: last ? change.unknown : [],
        // Only the last part moves the due time: a crash between parts leaves the rest due.
        due: last ? dueAfter(change, now) : 'keep',
        now,
      });
      if (!applied) return false;
      version += 1;
    }
    return true;
  }

  private async applyPart(
    batch: SmsPollBatch,
    version: number,
    part: {
      finals: readonly AppliedStatus[];
      unknown: readonly PolledSms[];
      due: Date | 'keep' | 'done';
      now: Date;
    },
  ): Promise<boolean> {
    const { finals, unknown, due, now } = part;
    const optOuts = finals.filter((final) => final.optOut).map((final) => final.sms.messageId);
    const done = [...finals.map((final) => final.sms.messageId), ...unknown.map((sms) => sms.messageId)];
    const sets = ['version = :next'];
    const adds: string[] = [];
    const values: Record<string, unknown> = { ':version': version, ':next': version + 1 };
    if (due instanceof Date) {
      sets.push('dueAt = :due');
      values[':due'] = due.toISOString();
    }
    if (done.length > 0) {
      adds.push('done :done');
      values[':done'] = new Set(done);
    }
    if (optOuts.length > 0) {
      adds.push('optOuts :optOuts');
      sets.push('optOutAt = :now');
      values[':optOuts'] = new Set(optOuts);
      values[':now'] = now.toISOString();
    }
    if (unknown.length > 0) {
      adds.push('unknownIds :unknown');
      values[':unknown'] = new Set(unknown.map((sms) => sms.messageId));
    }
    const update = [
      `SET ${sets.join(', ')}`,
      ...(adds.length > 0 ? [`ADD ${adds.join(', ')}`] : []),
      ...(due === 'done' ? ['REMOVE pollBucket'] : []),
    ].join(' ');
    const deltas = {
      delivered: finals.filter((final) => final.status === 'delivered').length,
      undelivered: finals.filter((final) => final.status !== 'delivered').length,
    };
    const counts = addCounts(this.campaignsTableName, batch.campaignId, batch.id, deltas);
    // The same counts on the campaign's timeline and the account's day, by when they were learned.
    const learned = counts
      ? countItems(this.campaignsTableName, batch.campaignId, batch.id, 'sms', now, deltas).slice(1)
      : [];
    let deliveries = finals.filter((final) => final.status !== 'delivered');
    // One retry without the deliveries that are gone (erased or expired): their counts still hold.
    for (let attempt = 0; attempt < 2; attempt++) {
      const items: TransactItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: { pk: batch.id },
            UpdateExpression: update,
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: values,
          },
        },
        ...(counts ? [{ Update: counts }] : []),
        ...deliveries.map((final) => this.deliveryUpdate(batch, final, now)),
        ...learned,
      ];
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        // Another count met this one on a shared shard (the account's day): nothing was written.
        if (isTransactionConflict(error) && attempt === 0) continue;
        if (reasons[0] === 'ConditionalCheckFailed') return false;
        const offset = counts ? 2 : 1;
        const missing = new Set(
          deliveries.filter((_, index) => reasons[index + offset] === 'ConditionalCheckFailed'),
        );
        if (missing.size === 0 || attempt > 0) throw error;
        deliveries = deliveries.filter((final) => !missing.has(final));
      }
    }
    return false;
  }

  private deliveryUpdate(batch: SmsPollBatch, final: AppliedStatus, now: Date): TransactItem {
    return {
      Update: {
        TableName: this.deliveriesTableName,
        Key: deliveryItemKey({
          campaignId: batch.campaignId,
          contactId: final.sms.contactId,
          channel: 'sms',
        }),
        UpdateExpression: `SET deliveryStatus = :status, deliveryStatusAt = :now, providerStatus = :code${final.optOut ? ', optOutPending = :true' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':status': final.status,
          ':now': now.toISOString(),
          ':code': final.providerStatus,
          ...(final.optOut ? { ':true': true } : {}),
        },
      },
    };
  }

  async settleOptOut(batch: SmsPollBatch, sms: PolledSms): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.deliveriesTableName,
          Key: deliveryItemKey({ campaignId: batch.campaignId, contactId: sms.contactId, channel: 'sms' }),
          UpdateExpression: 'REMOVE optOutPending',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      // The delivery is gone (an erasure): only the batch is left to settle.
      if (!isConditionFailure(error)) throw error;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: batch.id },
        UpdateExpression: 'DELETE optOuts :id',
        ExpressionAttributeValues: { ':id': new Set([sms.messageId]) },
      }),
    );
  }
}

/** The batch's next due time: its next poll, soon while an opt-out is unfinished, or none. */
function dueAfter(change: SmsPollChange, now: Date): Date | 'done' {
  const retry = change.finals.some((final) => final.optOut)
    ? new Date(now.getTime() + OPT_OUT_RETRY_MS)
    : undefined;
  const next = change.nextPollAt;
  if (next && retry) return next < retry ? next : retry;
  return next ?? retry ?? 'done';
}

/** The cancellation codes of a cancelled transaction, one per item (`None` for those that passed). */
function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((reason) => reason.Code ?? 'None');
}
