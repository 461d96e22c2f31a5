import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DeliveryEnd, DeliveryKey, SentMessage } from '../../domain/delivery';
import type { DeliveryStore } from '../../ports';
import { chunk, isConditionFailure, isTransactionConditionFailure } from './client';
import { countOnce } from './counters';
import { deliveryItemKey, parseDeliveryItemKey } from './delivery-keys';

const ENDED = new Set(['sent', 'failed', 'suppressed']);
/** DynamoDB's TransactWriteItems takes at most 100 items. */
const MAX_TRANSACTION_ITEMS = 100;

const keyOf = deliveryItemKey;

/**
 * The send ledger. A delivery is claimed with a lease before its send and ended after it,
 * and the end is written with its counter in one transaction, so every outcome is counted
 * exactly once however often SQS delivers the message.
 */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly campaignsTableName: string,
  ) {}

  async claim(key: DeliveryKey, now: Date, leaseMs: number): Promise<ClaimResult> {
    const claimId = randomUUID();
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression:
            // The phase stays: an unresolved provider attempt must survive every later claim
            // until a lookup or an end resolves it, or a crash before the next mark resends.
            'SET #status = :sending, claimId = :claim, leaseUntil = :lease, updatedAt = :now, attempts = if_not_exists(attempts, :zero) + :one',
          ConditionExpression:
            'attribute_not_exists(pk) OR #status = :retry OR (#status = :sending AND leaseUntil < :nowMs)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':retry': 'retry',
            ':claim': claimId,
            ':lease': now.getTime() + leaseMs,
            ':nowMs': now.getTime(),
            ':now': now.toISOString(),
            ':zero': 0,
            ':one': 1,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = result.Attributes;
      if (previous?.phase !== 'provider') return { kind: 'claimed', claimId, takeover: false };
      // Items marked before attemptedAt existed: their last claim is the closest known time.
      const attemptedAt = previous.attemptedAt ?? previous.updatedAt;
      return {
        kind: 'claimed',
        claimId,
        takeover: true,
        ...(typeof attemptedAt === 'string' ? { attemptedAt } : {}),
      };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Record<string, { S?: string }> }).Item;
      const status = old?.status?.S;
      return status && ENDED.has(status) ? { kind: 'ended' } : { kind: 'held' };
    }
  }

  async markAttempts(claims: readonly { key: DeliveryKey; claimId: string }[], now: Date): Promise<void> {
    // One transaction per 100 (its limit): all of a part are marked, or none and it throws.
    for (const part of chunk(claims, MAX_TRANSACTION_ITEMS)) {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: part.map(({ key, claimId }) => ({
            Update: {
              TableName: this.tableName,
              Key: keyOf(key),
              // attemptedAt is kept from the first unresolved attempt: the lookup window runs from it.
              UpdateExpression: 'SET phase = :provider, attemptedAt = if_not_exists(attemptedAt, :now)',
              ConditionExpression: 'claimId = :claim',
              ExpressionAttributeValues: {
                ':provider': 'provider',
                ':claim': claimId,
                ':now': now.toISOString(),
              },
            },
          })),
        }),
      );
    }
  }

  async release(
    key: DeliveryKey,
    claimId: string,
    reason: string,
    options: { readonly outcomeUnknown?: boolean } = {},
  ): Promise<void> {
    const remove = options.outcomeUnknown ? 'claimId, leaseUntil' : 'claimId, leaseUntil, phase, attemptedAt';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: `SET #status = :retry, reason = :reason REMOVE ${remove}`,
          ConditionExpression: 'claimId = :claim',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':retry': 'retry', ':reason': reason, ':claim': claimId },
        }),
      );
    } catch (error) {
      // Our lease expired and another sender took the delivery over: it is theirs now.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async end(key: DeliveryKey, claimId: string, end: DeliveryEnd, now: Date): Promise<void> {
    // contactId feeds the byContact index: erasure and export find the message through it.
    const set = ['#status = :outcome', 'endedAt = :now', 'contactId = :contactId'];
    const values: Record<string, unknown> = {
      ':outcome': end.outcome,
      ':now': now.toISOString(),
      ':claim': claimId,
      ':contactId': key.contactId,
    };
    const optional: [string, unknown][] = [
      ['content', end.content],
      ['providerMessageId', end.providerMessageId],
      ['providerStatus', end.providerStatus],
      ['reason', end.reason],
    ];
    if (end.outcome === 'sent' && end.recipient) {
      optional.push(['recipient', end.recipient], ['sentAt', now.toISOString()]);
    }
    for (const [name, value] of optional) {
      if (value === undefined) continue;
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keyOf(key),
                UpdateExpression: `SET ${set.join(', ')} REMOVE claimId, leaseUntil, phase, attemptedAt`,
                ConditionExpression: 'claimId = :claim',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: values,
              },
            },
            countOnce(this.campaignsTableName, key.campaignId, key.contactId, end.outcome),
          ],
        }),
      );
    } catch (error) {
      // Lost the lease to another sender, which now owns the delivery and its count.
      if (!isTransactionConditionFailure(error)) throw error;
    }
  }

  async sentTo(recipient: string, since: Date): Promise<SentMessage[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byRecipient',
        KeyConditionExpression: 'recipient = :recipient AND sentAt >= :since',
        ExpressionAttributeValues: { ':recipient': recipient, ':since': since.toISOString() },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      campaignId: parseDeliveryItemKey(item).campaignId,
      channel: parseDeliveryItemKey(item).channel,
      content: String(item.content ?? ''),
      sentAt: item.sentAt as string,
    }));
  }
}
