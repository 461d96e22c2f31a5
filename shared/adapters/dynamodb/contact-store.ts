import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { newRef } from '../../domain/ids';
import type { Contact, ContactFields } from '../../domain/types';
import type { ContactMatcher, ContactStore } from '../../ports';
import { batchGet } from './batch-get';
import { decodeCursor, encodeCursor } from './client';

const OPTIONAL_FIELDS = ['phone', 'email', 'name'] as const;

/** Attributes kept on a contact item for Chapar's own bookkeeping, never shown as the contact. */
export const CONTACT_BOOKKEEPING = ['importRow'] as const;

function toContact(item: Record<string, unknown>): Contact {
  const { pk, importRow: _importRow, ...rest } = item;
  return { id: pk as string, attributes: {}, ...rest } as Contact;
}

/** Contacts in DynamoDB, keyed by the marketer's contact id. */
export class DynamoContactStore implements ContactStore, ContactMatcher {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async upsert(id: string, fields: ContactFields, now: Date): Promise<Contact> {
    const set = ['locale = :locale', 'attributes = :attributes', 'updatedAt = :now'];
    set.push('createdAt = if_not_exists(createdAt, :now)', '#ref = if_not_exists(#ref, :ref)');
    const remove: string[] = [];
    const values: Record<string, unknown> = {
      ':locale': fields.locale,
      ':attributes': fields.attributes,
      ':now': now.toISOString(),
      ':ref': newRef(),
    };
    const names: Record<string, string> = { '#ref': 'ref' };
    for (const field of OPTIONAL_FIELDS) {
      names[`#${field}`] = field;
      const value = fields[field];
      if (value === undefined) remove.push(`#${field}`);
      else {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    const expression = `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`;
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: id },
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toContact(result.Attributes ?? {});
  }

  async get(id: string): Promise<Contact | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: id } }));
    return result.Item ? toContact(result.Item) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Contact[]> {
    const items = await batchGet(
      this.client,
      this.tableName,
      [...new Set(ids)].map((id) => ({ pk: id })),
    );
    return items.map(toContact);
  }

  async getByRef(ref: string): Promise<Contact | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byRef',
        KeyConditionExpression: '#ref = :ref',
        ExpressionAttributeNames: { '#ref': 'ref' },
        ExpressionAttributeValues: { ':ref': ref },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    return item ? toContact(item) : undefined;
  }

  async scan(page: { cursor?: string; limit: number }): Promise<{ contacts: Contact[]; cursor?: string }> {
    const result = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { contacts: (result.Items ?? []).map(toContact), ...(cursor ? { cursor } : {}) };
  }

  async scanSegment(
    segment: { readonly index: number; readonly of: number },
    page: { cursor?: string; limit: number },
  ): Promise<{ contacts: Contact[]; cursor?: string }> {
    const result = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        Segment: segment.index,
        TotalSegments: segment.of,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { contacts: (result.Items ?? []).map(toContact), ...(cursor ? { cursor } : {}) };
  }

  /** Contact ids by normalised phone (E.164), through the sparse byPhone index. */
  idsByPhone(phones: readonly string[]): Promise<Map<string, string[]>> {
    return this.idsByIndex('byPhone', 'phone', phones);
  }

  /** Contact ids by lower-cased email, through the sparse byEmail index. */
  idsByEmail(emails: readonly string[]): Promise<Map<string, string[]>> {
    return this.idsByIndex('byEmail', 'email', emails);
  }

  private async idsByIndex(
    index: string,
    attribute: string,
    values: readonly string[],
  ): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    // An index has no batch read: one small Query per value, a few at a time.
    const unique = [...new Set(values)];
    for (let start = 0; start < unique.length; start += 16) {
      await Promise.all(
        unique.slice(start, start + 16).map(async (value) => {
          const result = await this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: index,
              KeyConditionExpression: '#a = :v',
              ExpressionAttributeNames: { '#a': attribute },
              ExpressionAttributeValues: { ':v': value },
            }),
          );
          const ids = (result.Items ?? []).map((item) => item.pk as string).sort();
          if (ids.length > 0) found.set(value, ids);
        }),
      );
    }
    return found;
  }
}
