import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord } from '../../domain/delivery';
import type { Reporter, SpoofReport } from '../../domain/spoof-report';
import type { PersonalDataStore } from '../../ports';
import { chunk, isConditionFailure } from './client';
import { deliveryPartition, parseDeliveryItemKey } from './delivery-keys';
import { endsByRecord, type RunEnds, readRunEnds, runEndOf } from './delivery-store';

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
 * Finds a person's data across Chapar's tables: deliveries in the contact's own partition of
 * the Deliveries table, spoof reports through `byReporterPhone` and `byReporterEmail`.
 * Scrubbing removes the address attributes, so a scrubbed item also leaves the indexes that
 * could find it by address.
 */
export class DynamoPersonalDataStore implements PersonalDataStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: PersonalDataTables,
  ) {}

  async deliveriesOf(contactId: string, addresses: readonly string[]): Promise<DeliveryRecord[]> {
    const items = await this.deliveryItems(contactId, addresses);
    // A sent email stays `sending` on its item: its run's end record (delivery-store.ts) says so.
    const runs = new Map<string, Promise<RunEnds>>();
    const resolved = await Promise.all(
      items.map(async (item) => {
        const key = parseDeliveryItemKey(item);
        if (item.status !== 'sending' || typeof item.claimId !== 'string' || !endsByRecord(key.channel))
          return item;
        let ends = runs.get(item.claimId);
        if (!ends) {
          ends = readRunEnds(this.client, this.tables.deliveries, item.claimId);
          runs.set(item.claimId, ends);
        }
        const end = runEndOf(await ends, key);
        return end ? { ...item, status: 'sent', sentAt: end.endedAt } : item;
      }),
    );
    const records = resolved.map(toDelivery);
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
      // sentTo goes too: SMS sent before 2026-12-02 carry the phone there (the key of a
      // byRecipient index since removed).
      UpdateExpression: 'REMOVE recipient, content, sentTo SET erasedAt = :now',
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
   * Every delivery of the contact, in its own partition (delivery-keys.ts), whatever addresses
   * they went to: messages to addresses the contact no longer has are found too.
   */
  private async deliveryItems(contactId: string, _addresses: readonly string[]): Promise<Item[]> {
    return this.queryAll({
      TableName: this.tables.deliveries,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': deliveryPartition(contactId) },
      ConsistentRead: true,
    });
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
