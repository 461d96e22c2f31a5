import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FailureStreak } from '../../domain/retry-backoff';
import type { ProviderHealth } from '../../ports';

/** A run of failures nobody has touched for a day is stale: DynamoDB's TTL removes it. */
const STREAK_TTL_SECONDS = 24 * 3600;

/**
 * Provider failure runs in the rateLimits table, one item per provider (`provider-health#<name>`):
 * every concurrent sender adds to the same count in one atomic update, and the first success
 * deletes it.
 */
export class DynamoProviderHealth implements ProviderHealth {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordFailure(provider: string, now: Date): Promise<FailureStreak> {
    const answer = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: key(provider) },
        UpdateExpression: 'ADD failures :one SET since = if_not_exists(since, :now), expiresAt = :ttl',
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now.toISOString(),
          ':ttl': Math.floor(now.getTime() / 1000) + STREAK_TTL_SECONDS,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return {
      failures: Number(answer.Attributes?.failures ?? 1),
      since: new Date(String(answer.Attributes?.since ?? now.toISOString())),
    };
  }

  async recordSuccess(provider: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: key(provider) } }));
  }
}

const key = (provider: string) => `provider-health#${provider}`;
