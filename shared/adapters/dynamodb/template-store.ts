import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors';
import { type Template, type TemplateSummary, templateSummary } from '../../domain/template';
import type { TemplateStore } from '../../ports';
import { chunk, decodeCursor, encodeCursor, isTransactionConditionFailure } from './client';

const templateKey = (id: string) => `template#${id}`;
const HEAD = 'head';
const versionKey = (version: number) => `v#${String(version).padStart(5, '0')}`;
const USE = 'use#';
const CATALOG = 'template';

type Item = Record<string, unknown>;

function toSummary(item: Item): TemplateSummary {
  return {
    id: item.id as string,
    name: item.name as string,
    channel: item.channel as Template['channel'],
    version: item.version as number,
    locales: item.locales as TemplateSummary['locales'],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

function toTemplate(item: Item): Template {
  return {
    id: item.id as string,
    name: item.name as string,
    channel: item.channel,
    version: item.version as number,
    variants: item.variants,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  } as Template;
}

/**
 * Templates in their own table, one partition each: the head (sk `head`: name, channel, latest
 * version; listed through the sparse `catalog` index), one item per version (sk `v#<00001>`,
 * never rewritten) and one per campaign that copied it (sk `use#<campaignId>`). Every read
 * starts at the head, so a template whose delete stopped half way is already gone to readers.
 */
export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(template: Template): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: this.headItem(template),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: this.versionItem(template) } },
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error)) throw new ConflictError(`Template ${template.id} exists`);
      throw error;
    }
  }

  async get(id: string, version?: number): Promise<Template | undefined> {
    const head = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: templateKey(id), sk: HEAD },
        ConsistentRead: true,
      }),
    );
    const latest = head.Item?.version as number | undefined;
    if (latest === undefined) return undefined;
    const wanted = version ?? latest;
    if (wanted < 1 || wanted > latest) return undefined;
    const item = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: templateKey(id), sk: versionKey(wanted) },
        ConsistentRead: true,
      }),
    );
    return item.Item ? toTemplate(item.Item) : undefined;
  }

  async putVersion(template: Template): Promise<void> {
    const head = this.headItem(template);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: head,
                // The head moves one version at a time: two PUTs at once cannot both win.
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': template.version - 1 },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: this.versionItem(template),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isTransactionConditionFailure(error)) {
        throw new ConflictError(
          `Template ${template.id} was changed or deleted meanwhile: read it again and retry`,
        );
      }
      throw error;
    }
  }

  async list(page: {
    cursor?: string;
    limit: number;
  }): Promise<{ items: TemplateSummary[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'catalog',
        KeyConditionExpression: '#catalog = :template',
        ExpressionAttributeNames: { '#catalog': 'catalog' },
        ExpressionAttributeValues: { ':template': CATALOG },
        // Ids are ULIDs: newest first.
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(toSummary), ...(cursor ? { cursor } : {}) };
  }

  async recordUse(templateId: string, campaignId: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: templateKey(templateId), sk: `${USE}${campaignId}`, campaignId },
      }),
    );
  }

  async uses(templateId: string): Promise<string[]> {
    const items = await this.queryAll(templateId, USE);
    return items.map((item) => item.campaignId as string);
  }

  async delete(id: string): Promise<boolean> {
    const head = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: templateKey(id), sk: HEAD },
        ReturnValues: 'ALL_OLD',
      }),
    );
    // The head is gone: readers see no template. Versions and uses follow.
    const rest = await this.queryAll(id);
    for (const part of chunk(rest, 25)) {
      let pending: Item[] = part.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      for (let round = 0; pending.length > 0 && round < 5; round++) {
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[this.tableName] as Item[] | undefined) ?? [];
      }
    }
    return head.Attributes !== undefined;
  }

  private headItem(template: Template): Item {
    return { pk: templateKey(template.id), sk: HEAD, catalog: CATALOG, ...templateSummary(template) };
  }

  private versionItem(template: Template): Item {
    return { pk: templateKey(template.id), sk: versionKey(template.version), ...template };
  }

  private async queryAll(id: string, prefix?: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': templateKey(id), ...(prefix ? { ':prefix': prefix } : {}) },
          ProjectionExpression: 'pk, sk, campaignId',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
