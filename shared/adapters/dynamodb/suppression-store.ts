import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SuppressionStore } from '../../ports';

/**
 * Do-not-contact tombstones in DynamoDB, one item per keyed hash (`pk`). The table never
 * holds an address: only what the erasure key makes of it.
 */
const MAX_BATCH_GET = 100;
const MAX_ROUNDS = 5;

export class DynamoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(hashes: readonly string[], now: Date): Promise<void> {
    await Promise.all(
      [...new Set(hashes)].map((hash) =>
        this.client.send(
          new PutCommand({ TableName: this.tableName, Item: { pk: hash, createdAt: now.toISOString() } }),
        ),
      ),
    );
  }

  async find(hashes: readonly string[]): Promise<Set<string>> {
    // Strongly consistent, so an import right after an erasure, or a send right after an
    // opt-out, already sees the hash; BatchGetItem takes 100 keys a request.
    const found = new Set<string>();
    const unique = [...new Set(hashes)];
    for (let start = 0; start < unique.length; start += MAX_BATCH_GET) {
      let keys: Record<string, unknown>[] = unique.slice(start, start + MAX_BATCH_GET).map((pk) => ({ pk }));
      for (let round = 0; keys.length > 0; round += 1) {
        if (round >= MAX_ROUNDS) throw new Error(`Suppressions: ${keys.length} keys left unprocessed`);
        // Unprocessed keys mean throttling: back off before asking again.
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.add(String(item.pk));
        keys = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  async remove(hashes: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(hashes)].map((hash) =>
        this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: hash } })),
      ),
    );
  }
}
