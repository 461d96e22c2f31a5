import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryKey } from '../../domain/delivery';
import type { FeedbackCounter } from '../../domain/email-feedback';
import type { FeedbackCount, FeedbackStore } from '../../ports';
import { isTransactionConditionFailure, isTransactionConflict } from './client';
import { countOnce } from './counters';
import { deliveryItemKey } from './delivery-keys';

/** The attribute of a delivery item that records when SES feedback was counted under a counter. */
const MARK: Record<FeedbackCounter, string> = { bounced: 'bouncedAt', complained: 'complainedAt' };

const keyOf = deliveryItemKey;

/** Tries of a count that lost a conflict with another transaction on a shared counter. */
const CONFLICT_ATTEMPTS = 3;

/**
 * SES feedback on the send ledger: the delivery item carries one mark per counter, set in the
 * same transaction as the counter's ADD on the campaign's stats shard, under the condition that
 * the mark is not there yet. However often SNS and SQS deliver an event, it is counted once.
 */
export class DynamoFeedbackStore implements FeedbackStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly campaignsTableName: string,
  ) {}

  async isCounted(key: DeliveryKey, counter: FeedbackCounter): Promise<boolean> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keyOf(key),
        ProjectionExpression: '#mark',
        ExpressionAttributeNames: { '#mark': MARK[counter] },
        ConsistentRead: true,
      }),
    );
    return result.Item?.[MARK[counter]] !== undefined;
  }

  async count(key: DeliveryKey, counter: FeedbackCounter, now: Date): Promise<FeedbackCount> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.countOnceNow(key, counter, now);
      } catch (error) {
        // Another count met this one on a shared shard (the account's day): nothing was written.
        if (!isTransactionConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  private async countOnceNow(key: DeliveryKey, counter: FeedbackCounter, now: Date): Promise<FeedbackCount> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keyOf(key),
                UpdateExpression: 'SET #mark = :now',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#mark)',
                ExpressionAttributeNames: { '#mark': MARK[counter] },
                ExpressionAttributeValues: { ':now': now.toISOString() },
              },
            },
            // Bucketed by the minute (and Tehran day) the feedback was learned.
            ...countOnce(this.campaignsTableName, key.campaignId, key.contactId, counter, key.channel, now),
          ],
        }),
      );
      return 'counted';
    } catch (error) {
      if (!isTransactionConditionFailure(error)) throw error;
      // The only condition is on the delivery: it is missing, or counted already.
      const exists = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          ProjectionExpression: 'pk',
          ConsistentRead: true,
        }),
      );
      return exists.Item ? 'duplicate' : 'no_delivery';
    }
  }
}
