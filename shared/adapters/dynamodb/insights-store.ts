import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { COUNTERS, type Counter } from '../../domain/campaign';
import type { DayCounts } from '../../domain/insights';
import type { InsightsStore } from '../../ports';
import { readDays } from './account-days';
import { timelinePk } from './counters';

export interface InsightsTables {
  readonly campaigns: string;
  readonly consent: string;
  readonly reports: string;
}

/**
 * The console's read models, each kept beside what it counts: a campaign's timeline (one
 * partition of the campaigns table), the account's days (sends and feedback in Campaigns,
 * opt-outs in Consent, spoof reports in Reports), and the sending campaigns through the
 * keys-only `byStatus` index. Nothing here scans.
 */
export class DynamoInsightsStore implements InsightsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: InsightsTables,
  ) {}

  async timeline(
    campaignId: string,
  ): Promise<{ minute: string; counts: Partial<Record<Counter, number>> }[]> {
    const buckets: { minute: string; counts: Partial<Record<Counter, number>> }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tables.campaigns,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': timelinePk(campaignId) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const counts: Partial<Record<Counter, number>> = {};
        for (const counter of COUNTERS)
          if (typeof item[counter] === 'number') counts[counter] = item[counter];
        // sk `<minute>#<shard>`
        buckets.push({ minute: String(item.sk).split('#')[0] ?? '', counts });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return buckets;
  }

  async days(from: string, to: string): Promise<DayCounts[]> {
    const all = await Promise.all([
      readDays(this.client, this.tables.campaigns, from, to),
      readDays(this.client, this.tables.consent, from, to),
      // Reports has no sort key: its days are one item each (30 days × 8 shards in 3 BatchGets).
      readDays(this.client, this.tables.reports, from, to, 'flat'),
    ]);
    const byDay = new Map<string, Record<string, number>>();
    for (const day of all.flat()) {
      const counts = byDay.get(day.day) ?? {};
      for (const [name, value] of Object.entries(day.counts)) counts[name] = (counts[name] ?? 0) + value;
      byDay.set(day.day, counts);
    }
    return [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, counts]) => ({ day, counts }));
  }

  async sendingCampaignIds(limit: number): Promise<string[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tables.campaigns,
        IndexName: 'byStatus',
        KeyConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => String(item.pk));
  }
}
