import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { maskText } from './domain/mask';
import type { Alarms } from './ports';

/** Structured JSON logs (Powertools) with personal data masked before anything is written. */
export function createLogger(serviceName = 'chapar'): Logger {
  return new Logger({
    serviceName,
    jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? maskText(value) : value),
  });
}

/** Metric names the CloudWatch alarms in infra/ watch. */
export const METRICS = { campaignPaused: 'CampaignPaused' } as const;

/** Alarms as a metric plus one error log line. */
export class MetricAlarms implements Alarms {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  campaignPaused(campaignId: string, reason: string): void {
    this.logger.error('ALARM campaign paused: it will not heal by itself', { campaignId, reason });
    this.metrics.addMetric(METRICS.campaignPaused, MetricUnit.Count, 1);
    this.metrics.publishStoredMetrics();
  }
}

export function createMetrics(): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Chapar',
    serviceName: 'chapar',
  });
}
