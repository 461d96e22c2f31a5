import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { maskText } from './domain/mask';
import { toLatinDigits } from './domain/phone';
import type { Alarms } from './ports';

const NON_LATIN_DIGIT = /[\u06f0-\u06f9\u0660-\u0669]/;
// A mistyped address (`name@@host.tld`) is still someone's address.
const DOUBLED_AT_EMAIL = /[^\s@"'<>(),;:]+@{2,}[^\s@"'<>(),;:]+\.[a-z]{2,}/gi;
// Credentials that arrive in headers when an event is logged (POWERTOOLS_LOGGER_LOG_EVENT).
const SECRET_KEYS = /^(?:authorization|proxy-authorization|cookie|x-api-key)$/i;

/**
 * Masks phone numbers and email addresses in one logged string. Phones written in Persian or
 * Arabic-Indic digits are found too: such a string is masked in Latin digits.
 */
export function maskForLogs(text: string): string {
  if (NON_LATIN_DIGIT.test(text)) {
    const latin = toLatinDigits(text);
    const masked = maskText(latin);
    if (masked !== latin) return masked.replace(DOUBLED_AT_EMAIL, '***@***');
  }
  return maskText(text).replace(DOUBLED_AT_EMAIL, '***@***');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * What a transactional message's `data` and rendered content hold (order numbers, amounts,
 * names): never logged, whatever the values look like. Their keys stay, to tell records apart.
 */
const MESSAGE_DATA_KEYS = /^(?:data|content)$/;

function maskedData(value: unknown): unknown {
  if (isPlainObject(value))
    return Object.fromEntries(Object.keys(value).map((name) => [maskForLogs(name), '***']));
  return value === undefined || value === null ? value : '***';
}

/** JSON.stringify replacer: strings and object keys masked, message data and credentials dropped. */
function maskReplacer(key: string, value: unknown): unknown {
  if (SECRET_KEYS.test(key)) return '***';
  if (MESSAGE_DATA_KEYS.test(key)) return maskedData(value);
  if (typeof value === 'string') return maskForLogs(value);
  // A map keyed by address (`{ [email]: ... }`) would print its keys as they are.
  if (isPlainObject(value) && Object.keys(value).some((name) => maskForLogs(name) !== name)) {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [maskForLogs(name), inner]));
  }
  return value;
}

/** Structured JSON logs (Powertools) with personal data masked before anything is written. */
export function createLogger(serviceName = 'chapar'): Logger {
  return new Logger({ serviceName, jsonReplacerFn: maskReplacer });
}

/** Metric names the CloudWatch alarms in infra/ watch. */
export const METRICS = { campaignPaused: 'CampaignPaused' } as const;

/**
 * Alarms as a metric plus one error log line. Given a function rather than Metrics, it builds
 * them on the first alarm: a sender that never pauses a campaign never pays for them.
 */
export class MetricAlarms implements Alarms {
  #metrics: Metrics | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics | (() => Metrics),
  ) {}

  campaignPaused(campaignId: string, reason: string): void {
    this.logger.error('ALARM campaign paused: it will not heal by itself', { campaignId, reason });
    this.#metrics ??= typeof this.metrics === 'function' ? this.metrics() : this.metrics;
    this.#metrics.addMetric(METRICS.campaignPaused, MetricUnit.Count, 1);
    this.#metrics.publishStoredMetrics();
  }
}

export function createMetrics(): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Chapar',
    serviceName: 'chapar',
  });
}
