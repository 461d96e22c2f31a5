import type { DeliveryKey } from '../../domain/delivery';
import type { Channel } from '../../domain/types';

/**
 * The one place that knows how a delivery is keyed in the Deliveries table. Every store that
 * reads or writes a delivery item by its key goes through here, so the layout can change in one
 * file.
 *
 * A contact's deliveries share its partition (pk = contactId, sk = `<campaignId>#<channel>`):
 * no partition grows with a campaign's size, however large, and export and erasure read one
 * partition instead of an index. Contact ids cannot hold `#`, so no other item of the table
 * (the `attempt#<run>` records) can share a contact's partition.
 */
export function deliveryItemKey(key: DeliveryKey): { pk: string; sk: string } {
  return { pk: deliveryPartition(key.contactId), sk: `${key.campaignId}#${key.channel}` };
}

/** The partition that holds every delivery of a contact. */
export function deliveryPartition(contactId: string): string {
  return contactId;
}

/** The delivery an item of the Deliveries table (or of one of its indexes) stands for. */
export function parseDeliveryItemKey(item: Record<string, unknown>): DeliveryKey {
  const sk = String(item.sk);
  const cut = sk.lastIndexOf('#');
  return { campaignId: sk.slice(0, cut), contactId: String(item.pk), channel: sk.slice(cut + 1) as Channel };
}

/** Partition of one sender run's attempt records: one item per provider call. */
export const ATTEMPT_PREFIX = 'attempt#';

export function attemptRecordKey(runId: string, call: number): { pk: string; sk: string } {
  return { pk: `${ATTEMPT_PREFIX}${runId}`, sk: String(call).padStart(6, '0') };
}

/**
 * One run's sent-email end record, next to its attempt records: `end#<part>`. The parts of a
 * run's one end (a record holds at most END_RECORD_CONTACTS deliveries) are written together.
 */
export function endRecordKey(runId: string, part: number): { pk: string; sk: string } {
  return { pk: `${ATTEMPT_PREFIX}${runId}`, sk: `${END_SK_PREFIX}${String(part).padStart(4, '0')}` };
}

export const END_SK_PREFIX = 'end#';
