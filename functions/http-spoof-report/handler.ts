import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { reportStore, secretSource, sentSmsLookup } from '../../shared/adapters/factory';
import { readFunctionConfig } from '../../shared/config';
import { UnauthorizedError } from '../../shared/domain/errors';
import { reportMeaning } from '../../shared/domain/spoof-report';
import { verifySignature } from '../../shared/domain/webhook-signature';
import { BODY_LIMITS, bodyText, jsonBody } from '../../shared/http/body';
import { httpErrors } from '../../shared/http/middleware';
import { type HttpResult, header, json } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import {
  parseSpoofReport,
  reportSpoofedSms,
  type SpoofReportInput,
} from '../../shared/use-cases/report-spoofed-sms';

const config = readFunctionConfig('http-spoof-report');
const logger = createLogger();
const secrets = secretSource();
const deps = {
  reports: reportStore(config.REPORTS_TABLE),
  sentSms: sentSmsLookup({ contacts: config.CONTACTS_TABLE, deliveries: config.DELIVERIES_TABLE }),
  verifiedSender: config.CHAPAR_SMS_SENDER,
  now: () => new Date(),
};

const LIMIT = { maxBytes: BODY_LIMITS.spoofReport };

// A webhook sender retries, and a replay may be re-spaced or re-signed: the same report by its
// meaning (line, text, reporter, receivedAt), not its bytes, within a day gets the same answer.
const idempotency = new IdempotencyConfig({ expiresAfterSeconds: 24 * 3600, eventKeyJmesPath: 'meaning' });
const judgeOnce = makeIdempotent(
  async (report: { meaning: unknown; input: SpoofReportInput }) => reportSpoofedSms(deps, report.input),
  {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.IDEMPOTENCY_TABLE }),
    config: idempotency,
  },
);

/** Signed webhook for reports of SMS received in the brand's name; each gets a verdict. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  // Never log the raw event: its path, headers or body carry tokens, keys or the callback secret.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(httpErrors(logger))
  .handler(async (event, context) => {
    // Capped before the signature is checked: an HMAC over megabytes is work for an attacker's asking.
    const raw = bodyText(event, LIMIT);
    const secret = await secrets.getSecret(config.WEBHOOK_SECRET_ID);
    const check = verifySignature(
      header(event, 'x-chapar-signature'),
      raw,
      secret,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) throw new UnauthorizedError(`Invalid webhook signature: ${check.reason}`);
    const input = parseSpoofReport(jsonBody(event, LIMIT));
    idempotency.registerLambdaContext(context);
    const meaning = reportMeaning({
      sender: input.sender,
      text: input.text,
      receivedAt: input.receivedAt,
      reporterPhone: input.phone,
      reporterEmail: input.email,
    });
    const { reportId, verdict } = await judgeOnce({ meaning, input });
    logger.info('Spoof report judged', { reportId, verdict });
    return json(202, { reportId, verdict });
  });
