import type { DeliveryKey } from '../../domain/delivery';

/**
 * The one place that knows how a delivery is keyed in the Deliveries table. Every store that
 * reads or writes a delivery item by its key goes through here, so the layout can change in one
 * file.
 */
export function deliveryItemKey(key: DeliveryKey): { pk: string; sk: string } {
  return { pk: key.campaignId, sk: `${key.contactId}#${key.channel}` };
}
