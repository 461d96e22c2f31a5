import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MessageStatus, TransactionalMessage } from '../../domain/transactional-message';
import type { MessageEnd, MessageStore } from '../../ports';
import { isConditionFailure, isTransactionConditionFailure } from './client';

/** The sparse `due` index's one partition: sent SMS still waiting for a final status. */
const POLL_BUCKET = 'sms';

const messageKey = (id: string) => ({ pk: `message#${id}` });
const keyKey = (idempotencyKey: string) => ({ pk: `key#${idempotencyKey}` });

/**
 * Transactional messages in the `messages` table: the message (pk `message#<id>`) and the
 * Idempotency-Key that made it (pk `key#<key>`: its message id and body digest), written in one
 * transaction conditioned on the key being new, both expiring (TTL `expiresAt`) with the
 * message's retention. A sent SMS waiting for its status carries `pollBucket` and `dueAt`, the
 * sparse `due` index the status poll reads.
 */
export class DynamoMessageStore implements MessageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(
    message: TransactionalMessage,
    key: { readonly idempotencyKey: string; readonly digest: string },
  ): Promise<
    | { readonly outcome: 'created' }
    | { readonly outcome: 'exists'; readonly messageId: string; readonly digest: string }
  > {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keyKey(key.idempotencyKey),
                  messageId: message.id,
                  digest: key.digest,
                  expiresAt: message.expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...messageKey(message.id), ...message },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { outcome: 'created' };
    } catch (error) {
      if (!isTransactionConditionFailure(error)) throw error;
      const found = await this.findKey(key.idempotencyKey);
      if (!found) throw error;
      return { outcome: 'exists', ...found };
    }
  }

  async findKey(idempotencyKey: string): Promise<{ messageId: string; digest: string } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: keyKey(idempotencyKey), ConsistentRead: true }),
    );
    if (!Item || !expired(Item))
      return Item ? { messageId: String(Item.messageId), digest: String(Item.digest) } : undefined;
    return undefined;
  }

  async get(id: string): Promise<TransactionalMessage | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: messageKey(id), ConsistentRead: true }),
    );
    return Item && !expired(Item) ? toMessage(Item) : undefined;
  }

  async markEnqueued(id: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: messageKey(id),
        UpdateExpression: 'SET enqueued = :yes',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }

  async claim(
    id: string,
    claimId: string,
    now: Date,
    leaseMs: number,
  ): Promise<TransactionalMessage | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: messageKey(id),
          UpdateExpression: 'SET #status = :sending, claimId = :claim, claimUntil = :until, updatedAt = :now',
          ConditionExpression: '#status = :queued OR (#status = :sending AND claimUntil < :nowMs)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':claim': claimId,
            ':until': now.getTime() + leaseMs,
            ':nowMs': now.getTime(),
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? toMessage(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async markAttempt(id: string, claimId: string, now: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: messageKey(id),
        // An unresolved earlier attempt keeps its time: the lookup window counts from it.
        UpdateExpression: 'SET attemptedAt = if_not_exists(attemptedAt, :now)',
        ConditionExpression: 'claimId = :claim',
        ExpressionAttributeValues: { ':claim': claimId, ':now': now.toISOString() },
      }),
    );
  }

  async release(
    id: string,
    claimId: string,
    options: { readonly outcomeUnknown?: boolean } = {},
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: messageKey(id),
          UpdateExpression: options.outcomeUnknown
            ? 'SET #status = :queued REMOVE claimId, claimUntil'
            : 'SET #status = :queued REMOVE claimId, claimUntil, attemptedAt',
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claim': claimId, ':queued': 'queued' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async end(id: string, claimId: string, end: MessageEnd, now: Date): Promise<boolean> {
    const set = ['#status = :status', 'updatedAt = :now'];
    const values: Record<string, unknown> = {
      ':status': end.status,
      ':now': now.toISOString(),
      ':claim': claimId,
    };
    const optional = {
      reason: end.reason,
      providerMessageId: end.providerMessageId,
      providerStatus: end.providerStatus,
      sentAt: end.sentAt?.toISOString(),
      dueAt: end.pollAt?.toISOString(),
      pollBucket: end.pollAt ? POLL_BUCKET : undefined,
    };
    for (const [name, value] of Object.entries(optional)) {
      if (value === undefined) continue;
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: messageKey(id),
          UpdateExpression: `SET ${set.join(', ')} REMOVE claimId, claimUntil, attemptedAt`,
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async sentTo(address: string): Promise<TransactionalMessage[]> {
    const found: TransactionalMessage[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byAddress',
          KeyConditionExpression: 'address = :address',
          ExpressionAttributeValues: { ':address': address },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const messages = await Promise.all(
        (page.Items ?? []).map((item) => this.get(String(item.pk).slice('message#'.length))),
      );
      found.push(...messages.filter((message): message is TransactionalMessage => message !== undefined));
      start = page.LastEvaluatedKey;
    } while (start);
    return found.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  async scrubAddress(address: string, now: Date): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'byAddress',
          KeyConditionExpression: 'address = :address',
          ExpressionAttributeValues: { ':address': address },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { pk: item.pk },
              UpdateExpression: 'SET scrubbedAt = :now REMOVE address, content',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':now': now.toISOString() },
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async duePolls(now: Date, limit: number): Promise<TransactionalMessage[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'due',
        KeyConditionExpression: 'pollBucket = :bucket AND dueAt <= :now',
        ExpressionAttributeValues: { ':bucket': POLL_BUCKET, ':now': now.toISOString() },
        Limit: limit,
      }),
    );
    const messages = await Promise.all(
      Items.map((item) => this.get(String(item.pk).slice('message#'.length))),
    );
    return messages.filter((message): message is TransactionalMessage => message !== undefined);
  }

  async advance(
    id: string,
    from: readonly MessageStatus[],
    change: {
      readonly status: MessageStatus;
      readonly reason?: string;
      readonly providerStatus?: number;
      readonly pollAt?: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const set = ['#status = :status', 'updatedAt = :now'];
    const values: Record<string, unknown> = { ':status': change.status, ':now': now.toISOString() };
    from.forEach((status, index) => {
      values[`:from${index}`] = status;
    });
    if (change.reason !== undefined) {
      set.push('reason = :reason');
      values[':reason'] = change.reason;
    }
    if (change.providerStatus !== undefined) {
      set.push('providerStatus = :providerStatus');
      values[':providerStatus'] = change.providerStatus;
    }
    if (change.pollAt) {
      set.push('dueAt = :dueAt', 'pollBucket = :bucket');
      values[':dueAt'] = change.pollAt.toISOString();
      values[':bucket'] = POLL_BUCKET;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: messageKey(id),
          UpdateExpression: `SET ${set.join(', ')}${change.pollAt ? '' : ' REMOVE pollBucket, dueAt'}`,
          ConditionExpression: `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
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

/** TTL deletes within days of expiry: an expired item is gone already for every reader. */
function expired(item: Record<string, unknown>): boolean {
  return typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= Date.now();
}

function toMessage(item: Record<string, unknown>): TransactionalMessage {
  const { pk: _pk, claimId: _claim, claimUntil: _until, pollBucket: _bucket, dueAt: _due, ...message } = item;
  return message as unknown as TransactionalMessage;
}
