import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ApiKeyRecord, LAST_USE_RESOLUTION_MS } from '../../domain/api-key';
import type { ApiKeyStore } from '../../ports';
import { isConditionFailure } from './client';

type Item = Record<string, unknown>;

function toRecord(item: Item): ApiKeyRecord {
  return {
    id: item.id as string,
    name: item.name as string,
    role: item.role as ApiKeyRecord['role'],
    hash: item.hash as string,
    createdAt: item.createdAt as string,
    ...(typeof item.lastUsedAt === 'string' ? { lastUsedAt: item.lastUsedAt } : {}),
  };
}

/** API keys in their own table, one item per key (pk `id`): a lookup is one GetItem. */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(record: ApiKeyRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...record },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    // Eventually consistent is enough: a revoked key may be accepted for about a second.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { id } }));
    return Item ? toRecord(Item) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items.map(toRecord).sort((a, b) => b.id.localeCompare(a.id));
  }

  async delete(id: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.table, Key: { id }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async recordUse(id: string, at: Date): Promise<void> {
    // The condition keeps concurrent requests of one key to one write a minute, and a deleted
    // key deleted.
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression:
            'attribute_exists(id) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt <= :stale)',
          ExpressionAttributeValues: {
            ':at': at.toISOString(),
            ':stale': new Date(at.getTime() - LAST_USE_RESOLUTION_MS).toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
