import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deliveryReportInbox, secretSource } from '../../shared/adapters/factory';
import { parseDeliveryReport } from '../../shared/adapters/kavenegar/delivery-report';
import { readFunctionConfig } from '../../shared/config';
import { secretsEqual } from '../../shared/domain/constant-time';
import type { SmsStatusReport } from '../../shared/domain/sms';
import { createLogger } from '../../shared/observability';
import { keepDeliveryReports, type QueuedReport } from '../../shared/use-cases/delivery-status';

const config = readFunctionConfig('queue-delivery-reports');
const logger = createLogger();
const secrets = secretSource();
const inbox = deliveryReportInbox(config.SMS_POLLS_TABLE);

/** A report's fields as Kavenegar posts them: a form, or JSON. */
function fieldsOf(body: string): unknown {
  const text = body.trim();
  if (text.startsWith('{')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

function reportOf(record: SQSRecord): SmsStatusReport | undefined {
  try {
    return parseDeliveryReport(fieldsOf(record.body));
  } catch {
    return undefined;
  }
}

/**
 * Kavenegar's delivery reports, as API Gateway queued them (the body, and the path secret as
 * the `secret` attribute): each checked against the callback secret in constant time, then the
 * batch's final reports kept for status polling in a few writes. Nothing here is retried but a
 * failed write (the whole batch comes back; keeping a report twice changes nothing).
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  // Never log the raw event: its attributes carry the callback secret.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .handler(async (event) => {
    const expected = await secrets.getSecret(config.DELIVERY_CALLBACK_SECRET_ID);
    const queued: QueuedReport[] = event.Records.map((record) => {
      const given = record.messageAttributes.secret?.stringValue ?? '';
      const secretMatches = secretsEqual(given, expected);
      const report = secretMatches ? reportOf(record) : undefined;
      return { secretMatches, ...(report ? { report } : {}) };
    });
    const outcomes = await keepDeliveryReports(inbox, queued, new Date());
    const counts = outcomes.reduce<Record<string, number>>((sum, outcome) => {
      sum[outcome] = (sum[outcome] ?? 0) + 1;
      return sum;
    }, {});
    if ((counts.wrong_secret ?? 0) > 0 || (counts.malformed ?? 0) > 0)
      logger.warn('Delivery reports dropped: wrong secret or unreadable fields', counts);
    else logger.info('Delivery reports kept for status polling', counts);
    return { batchItemFailures: [] };
  });
