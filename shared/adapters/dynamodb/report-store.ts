import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SpoofReport } from '../../domain/spoof-report';
import type { ReportStore } from '../../ports';

/** Spoofed-SMS reports, one item each. */
export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(report: SpoofReport): Promise<void> {
    const { id, ...fields } = report;
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: id, ...fields } }));
  }
}
