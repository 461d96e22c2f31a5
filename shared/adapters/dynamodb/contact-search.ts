import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact } from '../../domain/types';
import type { ContactSearch, ContactStore } from '../../ports';

/** Contacts by phone or email through the Contacts table's sparse, keys-only indexes. */
export class DynamoContactSearch implements ContactSearch {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly contacts: Pick<ContactStore, 'getMany'>,
  ) {}

  byPhone(e164: string): Promise<Contact[]> {
    return this.find('byPhone', 'phone', e164);
  }

  byEmail(email: string): Promise<Contact[]> {
    return this.find('byEmail', 'email', email);
  }

  private async find(index: string, attribute: string, value: string): Promise<Contact[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: '#a = :v',
        ExpressionAttributeNames: { '#a': attribute },
        ExpressionAttributeValues: { ':v': value },
        // Several contacts may share an address (a family phone); a search shows the first 25.
        Limit: 25,
      }),
    );
    const ids = (result.Items ?? []).map((item) => item.pk as string);
    // The index is eventually consistent: read the items themselves, and keep only those that
    // still hold the address.
    const contacts = await this.contacts.getMany(ids);
    return contacts
      .filter((contact) => contact[attribute as 'phone' | 'email'] === value)
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
