import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryStatus, FinalStatus, TrackedSms } from '../../domain/sms';
import type { DeliveryStatusStore } from '../../ports';
import { decodeCursor, encodeCursor, isConditionFailure, isTransactionConditionFailure } from './client';
import { countOnce } from './counters';
import { deliveryItemKey, parseDeliveryItemKey } from './delivery-keys';
import { IN_FLIGHT_SHARDS } from './delivery-store';

// The same names inFlightShard() gives a sent SMS in delivery-store.ts.
const SHARDS = Array.from({ length: IN_FLIGHT_SHARDS }, (_, index) => `sms#${index}`);

function keyOf(sms: TrackedSms): { pk: string; sk: string } {
  return deliveryItemKey({ campaignId: sms.campaignId, contactId: sms.contactId, channel: 'sms' });
}

function toTracked(item: Record<string, unknown>): TrackedSms {
  const key = parseDeliveryItemKey(item);
  return {
    campaignId: key.campaignId,
    contactId: key.contactId,
    providerMessageId: String(item.providerMessageId ?? ''),
    sentAt: String(item.sentAt ?? ''),
    ...(item.deliveryStatus ? { deliveryStatus: item.deliveryStatus as DeliveryStatus } : {}),
    ...(item.deliveryStatusAt ? { deliveryStatusAt: String(item.deliveryStatusAt) } : {}),
    ...(item.optOutPending === true ? { optOutPending: true } : {}),
  };
}

/**
 * Final SMS statuses on the deliveries ledger. A final status is written together with its
 * campaign counter in one transaction, conditioned on the delivery having none yet, so a
 * report that arrives twice (or a report and a reconciliation) is counted once.
 */
export class DynamoDeliveryStatusStore implements DeliveryStatusStore {
  readonly inFlightShards: readonly string[] = SHARDS;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly campaignsTableName: string,
  ) {}

  async findByProviderMessage(messageId: string): Promise<TrackedSms | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byProviderMessage',
        KeyConditionExpression: 'providerMessageId = :id',
        ExpressionAttributeValues: { ':id': messageId },
      }),
    );
    // The index also holds email deliveries (SES ids): only an SMS can match a Kavenegar id.
    const item = (result.Items ?? []).find((candidate) => parseDeliveryItemKey(candidate).channel === 'sms');
    return item ? toTracked(item) : undefined;
  }

  async inFlight(
    shard: string,
    sentBefore: Date,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: TrackedSms[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'inFlight',
        KeyConditionExpression: 'inFlightShard = :shard AND sentAt < :before',
        ExpressionAttributeValues: { ':shard': shard, ':before': sentBefore.toISOString() },
        ScanIndexForward: true,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(toTracked), ...(cursor ? { cursor } : {}) };
  }

  async applyFinal(sms: TrackedSms, final: FinalStatus, now: Date): Promise<boolean> {
    // Status 14 stays in the in-flight index until its opt-out is recorded, so a crash in
    // between is finished by the next reconciliation instead of losing the opt-out.
    const update = final.optOut
      ? 'SET deliveryStatus = :status, deliveryStatusAt = :now, providerStatus = :code, optOutPending = :true'
      : 'SET deliveryStatus = :status, deliveryStatusAt = :now, providerStatus = :code REMOVE inFlightShard';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keyOf(sms),
                UpdateExpression: update,
                ConditionExpression:
                  'attribute_exists(pk) AND attribute_not_exists(deliveryStatus) AND providerMessageId = :id',
                ExpressionAttributeValues: {
                  ':status': final.status,
                  ':now': now.toISOString(),
                  ':code': final.providerStatus,
                  ':id': sms.providerMessageId,
                  ...(final.optOut ? { ':true': true } : {}),
                },
              },
            },
            countOnce(this.campaignsTableName, sms.campaignId, sms.contactId, final.counter),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error)) return false;
      throw error;
    }
  }

  async abandon(sms: TrackedSms, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(sms),
          UpdateExpression: 'SET deliveryStatusUnknownAt = :now REMOVE inFlightShard',
          ConditionExpression: 'attribute_exists(inFlightShard) AND attribute_not_exists(deliveryStatus)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settleOptOut(sms: TrackedSms): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(sms),
          UpdateExpression: 'REMOVE optOutPending, inFlightShard',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      // The delivery is gone (an erasure): nothing is left to settle.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
