import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { deliveryItemKey } from '../../shared/adapters/dynamodb/delivery-keys';
import type { DeliveryKey } from '../../shared/domain/delivery';

/** The Deliveries table key of one delivery, as the adapters write it. */
export const deliveryKey = (key: DeliveryKey): { pk: string; sk: string } => deliveryItemKey(key);

/**
 * Every ledger item of one campaign, with its `contactId`. Deliveries live in their contacts'
 * partitions, so a test reads a campaign's across the (small) test table; the functions never do.
 */
export async function campaignDeliveries(
  client: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
): Promise<(Record<string, unknown> & { contactId: string; sk: string })[]> {
  const items: (Record<string, unknown> & { contactId: string; sk: string })[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(sk, :campaign)',
        ExpressionAttributeValues: { ':campaign': `${campaignId}#` },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? [])
      items.push({ ...item, contactId: String(item.pk), sk: String(item.sk) });
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => a.contactId.localeCompare(b.contactId));
}
