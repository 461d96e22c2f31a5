import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SmsStatusReport } from '../../domain/sms';
import { STATUS_WINDOW_MS } from '../../domain/sms-polling';
import type { DeliveryReportInbox } from '../../ports';
import { batchGet } from './batch-get';
import { chunk } from './client';

/** BatchWriteItem takes at most 25 requests. */
const MAX_WRITES_PER_CALL = 25;
const MAX_ROUNDS = 8;

const reportKey = (messageId: string) => ({ pk: `report#${messageId}` });

/**
 * Delivery reports kept in the SMS polls table, one small item per message id, until the poll
 * of their batch reads them; they expire with the provider's status window. Writing one twice
 * (SQS redelivers) writes the same item.
 */
export class DynamoDeliveryReportInbox implements DeliveryReportInbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async keep(reports: readonly SmsStatusReport[], now: Date): Promise<void> {
    const expiresAt = Math.ceil((now.getTime() + STATUS_WINDOW_MS) / 1000);
    // One item per message id: of two reports for the same SMS in one call, the last wins.
    const unique = [...new Map(reports.map((report) => [report.messageId, report])).values()];
    for (const part of chunk(unique, MAX_WRITES_PER_CALL)) {
      let pending: Record<string, unknown>[] = part.map((report) => ({
        PutRequest: {
          Item: {
            ...reportKey(report.messageId),
            status: report.status,
            optOut: report.optOut,
            providerStatus: report.providerStatus,
            expiresAt,
          },
        },
      }));
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS)
          throw new Error(`BatchWriteItem on ${this.tableName} left items unprocessed`);
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        );
        pending = (result.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined) ?? [];
      }
    }
  }

  async find(messageIds: readonly string[]): Promise<Map<string, SmsStatusReport>> {
    if (messageIds.length === 0) return new Map();
    const items = await batchGet(this.client, this.tableName, messageIds.map(reportKey));
    return new Map(
      items.map((item) => {
        const messageId = String(item.pk).slice('report#'.length);
        return [
          messageId,
          {
            messageId,
            status: item.status as SmsStatusReport['status'],
            optOut: item.optOut === true,
            providerStatus: Number(item.providerStatus),
          },
        ];
      }),
    );
  }
}
