import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { deliveryStore, emailProvider, reportStore, secretSource } from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readConfig } from '../../shared/config';
import { UnauthorizedError } from '../../shared/domain/errors';
import { verifySignature } from '../../shared/domain/webhook-signature';
import { BODY_LIMITS, bodyText, jsonBody } from '../../shared/http/body';
import { httpErrors } from '../../shared/http/middleware';
import { type HttpResult, header, json } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import { reportSpoofedSms } from '../../shared/use-cases/report-spoofed-sms';

const config = readConfig([
  'REPORTS_TABLE',
  'DELIVERIES_TABLE',
  'CAMPAIGNS_TABLE',
  'IDEMPOTENCY_TABLE',
  'WEBHOOK_SECRET_ID',
  'CHAPAR_SMS_SENDER',
  'CHAPAR_FROM_EMAIL',
  'CHAPAR_ABUSE_EMAIL',
]);
const logger = createLogger();
const secrets = secretSource();
const deps = {
  reports: reportStore(config.REPORTS_TABLE),
  deliveries: deliveryStore(config.DELIVERIES_TABLE, config.CAMPAIGNS_TABLE),
  email: emailProvider({ from: config.CHAPAR_FROM_EMAIL }),
  templates: templateFile,
  verifiedSender: config.CHAPAR_SMS_SENDER,
  abuseEmail: config.CHAPAR_ABUSE_EMAIL,
  now: () => new Date(),
};

const LIMIT = { maxBytes: BODY_LIMITS.spoofReport };

// A webhook sender retries: the same report body within a day gets the same report back.
const idempotency = new IdempotencyConfig({ expiresAfterSeconds: 24 * 3600 });
const judgeOnce = makeIdempotent(async (body: { report: unknown }) => reportSpoofedSms(deps, body.report), {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.IDEMPOTENCY_TABLE }),
  config: idempotency,
});

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
    const report = jsonBody(event, LIMIT);
    idempotency.registerLambdaContext(context);
    const { reportId, verdict } = await judgeOnce({ report });
    logger.info('Spoof report judged', { reportId, verdict });
    return json(202, { reportId, verdict });
  });
