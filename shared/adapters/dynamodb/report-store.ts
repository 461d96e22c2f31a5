import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors';
import { reportCounter, type SpoofReportSummary, VERDICTS } from '../../domain/insights';
import type { SpoofReport } from '../../domain/spoof-report';
import type {
  AbuseDigestStore,
  ReportListing,
  ReportPage,
  ReportPageRequest,
  ReportStore,
} from '../../ports';
import { addDayCounts } from './account-days';
import { decodeCursor, encodeCursor, isConditionFailure } from './client';

/** The value of the sparse `digestPending` key: every waiting report sits under it. */
const PENDING = 'pending';
/** The reports table's sparse index of reports waiting for a digest (shared/definitions). */
const PENDING_INDEX = 'pendingDigest';
/** The reports table's narrow index by verdict, newest first (shared/definitions). */
const VERDICT_INDEX = 'byVerdict';

/** The id a listing's cursor says to continue before. @throws ValidationError for a cursor no listing gave. */
function reportCursor(cursor: string): string {
  const key = decodeCursor(cursor);
  if (typeof key?.before === 'string' && /^[0-9A-Z]{26}$/.test(key.before)) return key.before;
  throw new ValidationError('Invalid cursor: it is not one this listing gave', [
    { field: 'cursor', message: 'is not one this listing gave' },
  ]);
}

function toSummary(item: Record<string, unknown>): SpoofReportSummary {
  const { pk, ...fields } = item;
  return { id: String(pk), ...fields } as unknown as SpoofReportSummary;
}

/**
 * Spoofed-SMS reports, one item each, and the abuse digests' pacing: one item per sending line
 * (`digest#<line>`) holding when its last digest went out. A report that waits for a digest
 * carries `digestPending`, which puts it in the sparse pending index until its digest is sent.
 * Each report also adds to the account's day (account-days.ts), and the console lists reports
 * through the narrow `byVerdict` index.
 */
export class DynamoReportStore implements ReportStore, AbuseDigestStore, ReportListing {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(report: SpoofReport, options: { readonly awaitsDigest?: boolean } = {}): Promise<void> {
    const { id, ...fields } = report;
    const day = addDayCounts(
      this.tableName,
      id,
      new Date(report.createdAt),
      { [reportCounter(report.verdict)]: 1 },
      'flat',
    );
    // The report and the account's count of the day, together: a retried put counts nothing twice.
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { pk: id, ...fields, ...(options.awaitsDigest ? { digestPending: PENDING } : {}) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(day ? [{ Update: day }] : []),
        ],
      }),
    );
  }

  async list(page: ReportPageRequest): Promise<ReportPage> {
    const verdicts = page.verdict ? [page.verdict] : VERDICTS;
    const before = page.cursor === undefined ? undefined : reportCursor(page.cursor);
    // Newest first in each verdict's partition (ids are ULIDs), merged: at most `limit` of each.
    const found = await Promise.all(
      verdicts.map(async (verdict) => {
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: VERDICT_INDEX,
            KeyConditionExpression: before ? 'verdict = :verdict AND pk < :before' : 'verdict = :verdict',
            ExpressionAttributeValues: { ':verdict': verdict, ...(before ? { ':before': before } : {}) },
            ScanIndexForward: false,
            Limit: page.limit + 1,
          }),
        );
        return result.Items ?? [];
      }),
    );
    const merged = found.flat().sort((a, b) => String(b.pk).localeCompare(String(a.pk)));
    const items = merged.slice(0, page.limit).map(toSummary);
    // limit + 1 asked of each: one more than a page anywhere means there is a next page.
    const more = merged.length > page.limit;
    const last = items.at(-1);
    return { items, ...(more && last ? { cursor: encodeCursor({ before: last.id }) } : {}) };
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
