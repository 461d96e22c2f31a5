import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord } from '../../domain/delivery';
import type { Reporter, SpoofReport } from '../../domain/spoof-report';
import { CHANNELS } from '../../domain/types';
import type { PersonalDataStore } from '../../ports';
import { batchGet } from './batch-get';
import { chunk, isConditionFailure } from './client';
import { parseDeliveryItemKey } from './delivery-keys';

/** The tables that hold personal data. */
export interface PersonalDataTables {
  readonly contacts: string;
  readonly consent: string;
  readonly deliveries: string;
  readonly reports: string;
}

type Item = Record<string, unknown>;

/** Writes in flight at once while scrubbing: a person has few items, a busy one a few hundred. */
const WRITE_CONCURRENCY = 10;

function toDelivery(item: Item): DeliveryRecord {
  const optional = ['recipient', 'content', 'sentAt', 'deliveryStatus'] as const;
  const record: Record<string, unknown> = {
    campaignId: parseDeliveryItemKey(item).campaignId,
    channel: parseDeliveryItemKey(item).channel,
    status: item.status,
  };
  for (const name of optional) if (typeof item[name] === 'string') record[name] = item[name];
  return record as unknown as DeliveryRecord;
}

function toReport(item: Item): SpoofReport {
  const { pk, ...rest } = item;
  return { id: pk as string, ...rest } as SpoofReport;
}

/**
 * Finds a person's data across Chapar's tables: deliveries through `byContact` (set when a
 * delivery ends) and `byRecipient` (set on every sent message), spoof reports through
 * `byReporterPhone` and `byReporterEmail`. Scrubbing removes the address attributes, so a
 * scrubbed item also leaves the indexes that could find it by address.
 */
export class DynamoPersonalDataStore implements PersonalDataStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: PersonalDataTables,
  ) {}

  async deliveriesOf(contactId: string, addresses: readonly string[]): Promise<DeliveryRecord[]> {
    const records = (await this.deliveryItems(contactId, addresses)).map(toDelivery);
    return records.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
  }

  async reportsBy(reporter: Reporter): Promise<SpoofReport[]> {
    return (await this.reportItems(reporter)).map(toReport);
  }

  async scrubDeliveries(contactId: string, addresses: readonly string[], now: Date): Promise<void> {
    const items = await this.deliveryItems(contactId, addresses);
    await this.updateEach(items, (item) => ({
      TableName: this.tables.deliveries,
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: 'REMOVE recipient, content SET erasedAt = :now',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }));
  }

  async scrubReports(reporter: Reporter, now: Date): Promise<void> {
    const items = await this.reportItems(reporter);
    await this.updateEach(items, (item) => ({
      TableName: this.tables.reports,
      Key: { pk: item.pk },
      UpdateExpression: 'REMOVE reporterPhone, reporterEmail, #text SET erasedAt = :now',
      ExpressionAttributeNames: { '#text': 'text' },
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }));
  }

  async scrubConsentEvidence(contactId: string): Promise<void> {
    const events = await this.queryAll({
      TableName: this.tables.consent,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': contactId, ':prefix': 'event#' },
      ProjectionExpression: 'pk, sk, evidence',
      ConsistentRead: true,
    });
    const withEvidence = events.filter(
      (item) => typeof item.evidence === 'object' && Object.keys(item.evidence ?? {}).length > 0,
    );
    await this.updateEach(withEvidence, (item) => ({
      TableName: this.tables.consent,
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: 'SET evidence = :none',
      ExpressionAttributeValues: { ':none': {} },
    }));
  }

  async deleteContact(contactId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tables.contacts, Key: { pk: contactId } }));
  }

  /**
   * Every delivery of the contact: the keys `byContact` holds (set whenever a delivery ends, so
   * messages to addresses the contact no longer has are found too), read in full, and the
   * contact's own items among those sent to its current addresses through `byRecipient`.
   */
  private async deliveryItems(contactId: string, addresses: readonly string[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    const id = (item: Item) => `${item.pk}\u0000${item.sk}`;
    const own = new Set(CHANNELS.map((channel) => `${contactId}#${channel}`));
    for (const address of new Set(addresses)) {
      const items = await this.queryAll({
        TableName: this.tables.deliveries,
        IndexName: 'byRecipient',
        KeyConditionExpression: 'recipient = :recipient',
        ExpressionAttributeValues: { ':recipient': address },
      });
      for (const item of items) if (own.has(String(item.sk))) found.set(id(item), item);
    }
    const keys = await this.queryAll({
      TableName: this.tables.deliveries,
      IndexName: 'byContact',
      KeyConditionExpression: 'contactId = :contactId',
      ExpressionAttributeValues: { ':contactId': contactId },
    });
    const missing = keys.filter((key) => !found.has(id(key))).map((key) => ({ pk: key.pk, sk: key.sk }));
    for (const item of await batchGet(this.client, this.tables.deliveries, missing))
      found.set(id(item), item);
    return [...found.values()];
  }

  private async reportItems(reporter: Reporter): Promise<Item[]> {
    const lookups: [index: string, attribute: string, value: string | undefined][] = [
      ['byReporterPhone', 'reporterPhone', reporter.phone],
      ['byReporterEmail', 'reporterEmail', reporter.email],
    ];
    const found = new Map<string, Item>();
    for (const [index, attribute, value] of lookups) {
      if (!value) continue;
      const items = await this.queryAll({
        TableName: this.tables.reports,
        IndexName: index,
        KeyConditionExpression: '#reporter = :reporter',
        ExpressionAttributeNames: { '#reporter': attribute },
        ExpressionAttributeValues: { ':reporter': value },
      });
      for (const item of items) found.set(String(item.pk), item);
    }
    return [...found.values()];
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Updates items that exist; one deleted meanwhile is skipped rather than recreated. */
  private async updateEach(
    items: readonly Item[],
    update: (item: Item) => ConstructorParameters<typeof UpdateCommand>[0],
  ): Promise<void> {
    for (const part of chunk(items, WRITE_CONCURRENCY)) {
      await Promise.all(
        part.map(async (item) => {
          const input = update(item);
          try {
            await this.client.send(
              new UpdateCommand({ ...input, ConditionExpression: 'attribute_exists(pk)' }),
            );
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
          }
        }),
      );
    }
  }
}
