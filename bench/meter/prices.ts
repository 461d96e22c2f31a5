/**
 * AWS list prices in us-east-1 as known on 2026-12-01 (from AWS's public price pages as the
 * author knew them that day; not fetched, no free tier, no volume discount, no Savings Plan).
 * Check them against https://aws.amazon.com/pricing/ before quoting a figure outside the bench.
 */
export const PRICES_DATE = '2026-12-01';

export const prices = {
  /** DynamoDB on-demand, per write request unit (1 KB; transactional writes take 2). */
  dynamodbWriteUnit: 0.625 / 1e6,
  /** DynamoDB on-demand, per read request unit (4 KB strongly consistent; eventual takes 0.5). */
  dynamodbReadUnit: 0.125 / 1e6,
  /** SQS standard queue, per request; each 64 KB chunk of payload is one request. */
  sqsRequest: 0.4 / 1e6,
  /** SNS standard topic, per publish (per 64 KB chunk); SNS to SQS deliveries are free. */
  snsPublish: 0.5 / 1e6,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on arm64 (as AppFunction deploys), per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** API Gateway HTTP API, per request (first 300 M a month; requests are metered in 512 KB). */
  httpApiRequest: 1.0 / 1e6,
  /** CloudWatch Logs standard ingestion, per GB (Lambda's logs: the first tier). */
  logsIngestedGb: 0.5,
  /** Secrets Manager, per API call ($0.05 per 10,000). */
  secretsManagerCall: 0.05 / 1e4,
  /** SES outbound email, per message: printed for reference, outside the overhead. */
  sesEmail: 0.1 / 1e3,
  /** X-Ray, per trace recorded (AppFunction turns active tracing on): noted, not in the total. */
  xrayTrace: 5.0 / 1e6,
} as const;

/** CloudWatch Logs bills each event's bytes plus 26 bytes of its own per event. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

/**
 * What Lambda itself logs per invocation (START, END and REPORT lines, with X-Ray's trace
 * line): about 330 bytes in four events, an estimate from their documented text format.
 */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 330;
export const PLATFORM_LOG_EVENTS_PER_INVOCATION = 4;
