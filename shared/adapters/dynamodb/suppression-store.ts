import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SuppressionStore } from '../../ports';

/**
 * Do-not-contact tombstones in DynamoDB, one item per keyed hash (`pk`). The table never
 * holds an address: only what the erasure key makes of it.
 */
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
    // A person has one phone and one email: a few strongly consistent reads, so an import right
    // after an erasure already sees its tombstones.
    const found = await Promise.all(
      [...new Set(hashes)].map(async (hash) => {
        const result = await this.client.send(
          new GetCommand({ TableName: this.tableName, Key: { pk: hash }, ConsistentRead: true }),
        );
        return result.Item ? hash : undefined;
      }),
    );
    return new Set(found.filter((hash): hash is string => hash !== undefined));
  }

  async remove(hashes: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(hashes)].map((hash) =>
        this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: hash } })),
      ),
    );
  }
}
