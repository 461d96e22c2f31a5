import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SpoofReport } from '../../domain/spoof-report';
import type { AbuseDigestStore, ReportStore } from '../../ports';
import { isConditionFailure } from './client';

/** The value of the sparse `digestPending` key: every waiting report sits under it. */
const PENDING = 'pending';
/** The reports table's sparse index of reports waiting for a digest (shared/definitions). */
const PENDING_INDEX = 'pendingDigest';

/**
 * Spoofed-SMS reports, one item each, and the abuse digests' pacing: one item per sending line
 * (`digest#<line>`) holding when its last digest went out. A report that waits for a digest
 * carries `digestPending`, which puts it in the sparse pending index until its digest is sent.
 */
export class DynamoReportStore implements ReportStore, AbuseDigestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(report: SpoofReport, options: { readonly awaitsDigest?: boolean } = {}): Promise<void> {
    const { id, ...fields } = report;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: id, ...fields, ...(options.awaitsDigest ? { digestPending: PENDING } : {}) },
      }),
    );
  }

  async pending(limit: number): Promise<SpoofReport[]> {
    const reports: SpoofReport[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: PENDING_INDEX,
          KeyConditionExpression: 'digestPending = :pending',
          ExpressionAttributeValues: { ':pending': PENDING },
          Limit: limit - reports.length,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      );
      for (const item of page.Items ?? []) reports.push(toReport(item));
      cursor = page.LastEvaluatedKey;
    } while (cursor && reports.length < limit);
    return reports;
  }

  async claimDigest(line: string, now: Date, windowMs: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `digest#${line}` },
          UpdateExpression: 'SET lastDigestAt = :now',
          ConditionExpression: 'attribute_not_exists(lastDigestAt) OR lastDigestAt <= :cutoff',
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':cutoff': new Date(now.getTime() - windowMs).toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markDigested(reportIds: readonly string[], now: Date): Promise<void> {
    for (const id of reportIds) {
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: id },
            UpdateExpression: 'REMOVE digestPending SET digestedAt = :now',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':now': now.toISOString() },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    }
  }
}

function toReport(item: Record<string, unknown>): SpoofReport {
  const { pk, digestPending: _pending, ...fields } = item;
  return { id: String(pk), ...fields } as unknown as SpoofReport;
}
