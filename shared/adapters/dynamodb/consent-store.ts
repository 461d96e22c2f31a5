import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type ConsentEvent, type ConsentState, stateAfter } from '../../domain/consent';
import { optOutCounter } from '../../domain/insights';
import { ALL_TOPICS, type Channel } from '../../domain/types';
import type { ConsentRecordResult, ConsentStore } from '../../ports';
import { addDayCounts } from './account-days';
import { batchGet } from './batch-get';

const stateSk = (channel: Channel, topic: string) => `state#${channel}#${topic}`;

function toState(item: Record<string, unknown>): ConsentState {
  const { pk: _pk, sk: _sk, ...state } = item;
  return state as unknown as ConsentState;
}

function toEvent(item: Record<string, unknown>): ConsentEvent {
  const { pk, sk: _sk, ...event } = item;
  return { contactId: pk as string, ...event } as ConsentEvent;
}

/** True when a transaction was cancelled only because its `once#` marker (the last item) exists. */
function markerExists(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    reasons.at(-1)?.Code === 'ConditionalCheckFailed' && reasons.slice(0, -1).every((r) => r.Code === 'None')
  );
}

/**
 * The transaction items that record `event`: its state (none for an `imported` note), the
 * ledger event, and with `once` the marker that makes the write happen once per key (last, so
 * {@link markerExists} can tell it apart). Other writers (an import) put them in their own
 * transactions.
 */
/** A ledger event as its item: `event#<at>#<id>` in the contact's partition. */
export function eventItem(event: ConsentEvent): Record<string, unknown> {
  const { contactId, ...ledger } = event;
  return { pk: contactId, sk: `event#${event.at}#${event.id}`, ...ledger };
}

export function ledgerWrites(tableName: string, event: ConsentEvent, once?: string) {
  const state = stateAfter(event);
  const { contactId, ...ledger } = event;
  return [
    ...(state
      ? [
          {
            Put: {
              TableName: tableName,
              Item: { pk: contactId, sk: stateSk(event.channel, event.topic), ...state },
            },
          },
        ]
      : []),
    {
      Put: {
        TableName: tableName,
        Item: { pk: contactId, sk: `event#${event.at}#${event.id}`, ...ledger },
        ConditionExpression: 'attribute_not_exists(sk)',
      },
    },
    ...(once
      ? [
          {
            Put: {
              TableName: tableName,
              Item: { pk: contactId, sk: `once#${once}`, eventId: event.id, at: event.at },
              ConditionExpression: 'attribute_not_exists(sk)',
            },
          },
        ]
      : []),
  ];
}

/**
 * The account's daily opt-out count for the dashboard, added with the opt-out it counts (an
 * erasure's opt-outs are not a choice the person made, and are not counted).
 */
function optOutDayCount(
  tableName: string,
  event: ConsentEvent,
): { Update: NonNullable<ReturnType<typeof addDayCounts>> }[] {
  if (event.action !== 'opt_out' || event.source === 'erasure') return [];
  const update = addDayCounts(tableName, event.contactId, new Date(event.at), {
    [optOutCounter(event.channel)]: 1,
  });
  return update ? [{ Update: update }] : [];
}

/**
 * Consent per contact: current state items (`state#<channel>#<topic>`) and the append-only
 * ledger (`event#<at>#<id>`) under one partition, written together in one transaction. A
 * `once#<key>` marker in the same transaction makes a write idempotent by its cause. Opt-outs
 * also add to the account's day (`overview#<shard>`, account-days.ts) in that transaction.
 */
export class DynamoConsentStore implements ConsentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async states(contactId: string, channel: Channel): Promise<ConsentState[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': contactId, ':prefix': `state#${channel}#` },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(toState);
  }

  async statesForMany(
    contactIds: readonly string[],
    channel: Channel,
    topic: string,
  ): Promise<Map<string, ConsentState[]>> {
    const byContact = new Map<string, ConsentState[]>(contactIds.map((id) => [id, []]));
    // Only the two states that decide the topic, 100 keys a call, strongly consistent: a
    // 200-recipient message costs 4 calls instead of 200 queries.
    const sks = [...new Set([stateSk(channel, topic), stateSk(channel, ALL_TOPICS)])];
    const keys = [...byContact.keys()].flatMap((pk) => sks.map((sk) => ({ pk, sk })));
    for (const item of await batchGet(this.client, this.tableName, keys, { consistentRead: true })) {
      byContact.get(item.pk as string)?.push(toState(item));
    }
    return byContact;
  }

  async record(event: ConsentEvent, options: { readonly once?: string } = {}): Promise<ConsentRecordResult> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          // First, so the once# marker stays last for markerExists.
          TransactItems: [
            ...optOutDayCount(this.tableName, event),
            ...ledgerWrites(this.tableName, event, options.once),
          ],
        }),
      );
    } catch (error) {
      if (options.once !== undefined && markerExists(error)) return 'duplicate';
      throw error;
    }
    return 'recorded';
  }

  async history(contactId: string): Promise<ConsentEvent[]> {
    const events: ConsentEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': contactId, ':prefix': 'event#' },
          ExclusiveStartKey: startKey,
        }),
      );
      events.push(...(page.Items ?? []).map(toEvent));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  }
}
