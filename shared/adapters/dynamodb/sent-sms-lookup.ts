import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SentMessage } from '../../domain/delivery';
import type { SentSmsLookup } from '../../ports';
import { chunk } from './client';
import { deliveryPartition, parseDeliveryItemKey } from './delivery-keys';

/** The tables a lookup reads: contacts by phone, then each contact's deliveries. */
export interface SentSmsTables {
  readonly contacts: string;
  readonly deliveries: string;
}

/** At most this many SMS are given back, newest first. */
const MAX_MESSAGES = 100;
/** Contacts sharing one phone (a family phone) that are looked at. */
const MAX_CONTACTS = 100;
/** Partitions read at once. */
const CONCURRENCY = 10;
/**
 * Items a partition page evaluates, and pages read per contact: a contact's partition holds one
 * item per campaign and channel within the retention (a few hundred at most), so the bound only
 * keeps a webhook call from reading without end. Pages run newest campaign first (ULID ids).
 */
const PAGE_ITEMS = 500;
const MAX_PAGES = 20;

type Item = Record<string, unknown>;

/**
 * What Chapar sent to a phone, read without an index of its own on Deliveries (an index entry
 * per SMS cost a write unit each): the Contacts table's keys-only `byPhone` index names the
 * contacts that hold the phone, and each contact's partition (delivery-keys.ts) holds its
 * deliveries, filtered to the SMS whose `recipient` is that phone and whose `sentAt` is recent.
 *
 * The filter on `recipient`, not the contact's phone, keeps a verdict honest when a phone moves:
 * an SMS sent to a contact's earlier number is never taken as sent to its new one. An erased
 * contact is gone from Contacts and its deliveries carry no `recipient` or `content`: nothing of
 * it is found. The trade-off: a contact that no longer holds the phone is not asked, so an SMS
 * sent to the phone before its contact's phone changed is not found (README, *Spoof verdicts*).
 */
export class DynamoSentSmsLookup implements SentSmsLookup {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: SentSmsTables,
  ) {}

  async sentTo(phone: string, since: Date): Promise<SentMessage[]> {
    const contactIds = await this.contactsHolding(phone);
    const found: SentMessage[] = [];
    for (const part of chunk(contactIds, CONCURRENCY)) {
      const lists = await Promise.all(part.map((id) => this.smsOf(id, phone, since)));
      for (const list of lists) found.push(...list);
    }
    return found.sort((a, b) => b.sentAt.localeCompare(a.sentAt)).slice(0, MAX_MESSAGES);
  }

  /** Ids of the contacts whose phone is this one (the index is eventually consistent). */
  private async contactsHolding(phone: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tables.contacts,
          IndexName: 'byPhone',
          KeyConditionExpression: '#phone = :phone',
          ExpressionAttributeNames: { '#phone': 'phone' },
          ExpressionAttributeValues: { ':phone': phone },
          Limit: MAX_CONTACTS - ids.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.pk));
      startKey = page.LastEvaluatedKey;
    } while (startKey && ids.length < MAX_CONTACTS);
    return [...new Set(ids)];
  }

  /** The SMS of one contact's partition sent to `phone` since `since`. */
  private async smsOf(contactId: string, phone: string, since: Date): Promise<SentMessage[]> {
    const input: QueryCommandInput = {
      TableName: this.tables.deliveries,
      KeyConditionExpression: 'pk = :pk',
      // A filter reads the partition's items all the same; it only keeps others off the wire.
      FilterExpression: '#recipient = :phone AND #sentAt >= :since',
      ProjectionExpression: 'pk, sk, #content, #sentAt',
      ExpressionAttributeNames: { '#recipient': 'recipient', '#sentAt': 'sentAt', '#content': 'content' },
      ExpressionAttributeValues: {
        ':pk': deliveryPartition(contactId),
        ':phone': phone,
        ':since': since.toISOString(),
      },
      ScanIndexForward: false,
      Limit: PAGE_ITEMS,
    };
    const sent: SentMessage[] = [];
    let startKey: Item | undefined;
    let pages = 0;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        const key = parseDeliveryItemKey(item);
        if (key.channel !== 'sms' || typeof item.sentAt !== 'string') continue;
        sent.push({
          campaignId: key.campaignId,
          channel: key.channel,
          content: String(item.content ?? ''),
          sentAt: item.sentAt,
        });
      }
      startKey = page.LastEvaluatedKey;
      pages += 1;
    } while (startKey && pages < MAX_PAGES);
    return sent;
  }
}
