import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  consentStore,
  contactStore,
  deliveryStatusStore,
  erasureKey,
  secretSource,
  suppressionStore,
} from '../../shared/adapters/factory';
import { parseDeliveryReport } from '../../shared/adapters/kavenegar/delivery-report';
import { readFunctionConfig } from '../../shared/config';
import { secretsEqual } from '../../shared/domain/constant-time';
import { NotFoundError } from '../../shared/domain/errors';
import { BODY_LIMITS, requestFields } from '../../shared/http/body';
import { httpErrors } from '../../shared/http/middleware';
import { type HttpResult, json } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import { applyDeliveryReport } from '../../shared/use-cases/delivery-status';

const config = readFunctionConfig('http-delivery-report');
const logger = createLogger();
const secrets = secretSource();
const deps = {
  statuses: deliveryStatusStore(config.DELIVERIES_TABLE, config.CAMPAIGNS_TABLE),
  consent: consentStore(config.CONSENT_TABLE),
  now: () => new Date(),
  addressSuppressions: {
    contacts: contactStore(config.CONTACTS_TABLE),
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secretSource(), config.ERASURE_KEY_SECRET_ID),
    now: () => new Date(),
  },
};

/**
 * The path secret against the callback secret, in constant time. A mismatch answers 404 as
 * for any unknown route, so the endpoint's existence is not confirmed.
 */
async function requireCallbackSecret(event: APIGatewayProxyEventV2): Promise<void> {
  const given = event.pathParameters?.secret ?? '';
  const expected = await secrets.getSecret(config.DELIVERY_CALLBACK_SECRET_ID);
  if (!secretsEqual(given, expected)) throw new NotFoundError('Not Found');
}

/**
 * Kavenegar's delivery reports (`messageid`, `status`), unsigned: the URL carries a secret.
 * The route path is never logged. Every acknowledged report answers 200, an unknown message
 * id included, so Kavenegar does not retry what has nothing left to do.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  // Never log the raw event: its path, headers or body carry tokens, keys or the callback secret.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(httpErrors(logger))
  .handler(async (event) => {
    await requireCallbackSecret(event);
    // The report's fields: a form or JSON body, else the query string.
    const report = parseDeliveryReport(await requestFields(event, { maxBytes: BODY_LIMITS.deliveryReport }));
    const outcome = await applyDeliveryReport(deps, report);
    if (outcome === 'unknown_message')
      logger.warn('Delivery report for an unknown message id', { ...report });
    else logger.info('Delivery report handled', { ...report, outcome });
    return json(200, { outcome });
  });
