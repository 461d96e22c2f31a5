import type { DeliveryKey } from '../../domain/delivery';
import type { Channel } from '../../domain/types';

/**
 * The one place that knows how a delivery is keyed in the Deliveries table. Every store that
 * reads or writes a delivery item by its key goes through here, so the layout can change in one
 * file.
 */
export function deliveryItemKey(key: DeliveryKey): { pk: string; sk: string } {
  return { pk: key.campaignId, sk: `${key.contactId}#${key.channel}` };
}

/** The delivery an item of the Deliveries table (or of one of its indexes) stands for. */
export function parseDeliveryItemKey(item: Record<string, unknown>): DeliveryKey {
  const pk = String(item.pk);
  const sk = String(item.sk);
  const cut = sk.lastIndexOf('#');
  return { campaignId: pk, contactId: sk.slice(0, cut), channel: sk.slice(cut + 1) as Channel };
}
