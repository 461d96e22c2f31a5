import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import type { Segment, SegmentFilter } from '../../domain/segment-filter';
import type { SegmentStore } from '../../ports';
import { decodeCursor, encodeCursor, isConditionFailure } from './client';

const segmentKey = (id: string) => `segment#${id}`;
const META = 'meta';

function toSegment(item: Record<string, unknown>): Segment {
  return {
    id: item.id as string,
    name: item.name as string,
    filter: item.filter as SegmentFilter,
    createdAt: item.createdAt as string,
  };
}

/** Saved segments in the Audiences table, listed through its sparse `catalog` index. */
export class DynamoSegmentStore implements SegmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(segment: Segment): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: segmentKey(segment.id), sk: META, catalog: 'segment', ...segment },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Segment ${segment.id} exists`);
      throw error;
    }
  }

  async get(id: string): Promise<Segment | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: segmentKey(id), sk: META } }),
    );
    return result.Item ? toSegment(result.Item) : undefined;
  }

  async list(page: { cursor?: string; limit: number }): Promise<{ items: Segment[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'catalog',
        KeyConditionExpression: '#catalog = :segment',
        ExpressionAttributeNames: { '#catalog': 'catalog' },
        ExpressionAttributeValues: { ':segment': 'segment' },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(toSegment), ...(cursor ? { cursor } : {}) };
  }
}
