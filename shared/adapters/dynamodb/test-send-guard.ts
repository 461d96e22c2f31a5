import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TestSendGuard } from '../../ports';
import { isConditionFailure } from './client';

/**
 * Test-send claims in the idempotency table: one item per key, `expiration` (epoch seconds,
 * the table's TTL attribute) the end of its window. DynamoDB's TTL deletes lazily, so an item
 * past its window is taken over by the condition, not waited for.
 */
export class DynamoTestSendGuard implements TestSendGuard {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, now: Date, until: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id: key, expiration: Math.ceil(until.getTime() / 1000), untilMs: until.getTime() },
          ConditionExpression: 'attribute_not_exists(id) OR untilMs <= :now',
          ExpressionAttributeValues: { ':now': now.getTime() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async release(key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { id: key } }));
  }
}
