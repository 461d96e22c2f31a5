import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  consentStore,
  contactStore,
  deliveryStatusStore,
  erasureKey,
  secretSource,
  suppressionStore,
} from '../../shared/adapters/factory';
import { KavenegarClient } from '../../shared/adapters/kavenegar/client';
import { KavenegarSmsStatusSource } from '../../shared/adapters/kavenegar/sms-status-source';
import { readFunctionConfig } from '../../shared/config';
import { createLogger } from '../../shared/observability';
import { type ReconcileSummary, reconcileSmsStatuses } from '../../shared/use-cases/delivery-status';

const config = readFunctionConfig('schedule-reconcile-sms');
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

/** No new sms/status batch starts with less time left: one call and its writes must fit. */
const SAFETY_MARGIN_MS = 20_000;

/** The input EventBridge Scheduler sends (see infra/ and local/lambda/scheduler.ts). */
interface ScheduleInput {
  readonly schedule?: string;
  readonly scheduledTime?: string;
}

export type ReconcileResult = Omit<ReconcileSummary, 'error'> & { stoppedByProvider: boolean };

/**
 * Every few minutes: asks Kavenegar for the status of SMS still in flight and applies the
 * final ones. A Kavenegar failure ends the run (logged); the next run tries again.
 */
export const handler = middy<ScheduleInput, ReconcileResult>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context: Context) => {
    const provider = new KavenegarSmsStatusSource(
      new KavenegarClient({
        baseUrl: config.KAVENEGAR_BASE_URL,
        apiKey: await secrets.getSecret(config.KAVENEGAR_API_KEY_SECRET_ID),
        timeoutMs: config.KAVENEGAR_TIMEOUT_MS,
      }),
    );
    const { error, ...summary } = await reconcileSmsStatuses(
      { ...deps, provider },
      { hasTime: () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS },
    );
    const details = { ...summary, scheduledTime: event.scheduledTime };
    if (error)
      logger.error('SMS reconciliation stopped by Kavenegar; the next run tries again', {
        ...details,
        error,
      });
    if (summary.abandoned > 0)
      logger.warn('Gave up on SMS past the status window: final status unknown', {
        abandoned: summary.abandoned,
      });
    if (summary.polled > 0 || summary.abandoned > 0) logger.info('SMS statuses reconciled', details);
    return { ...summary, stoppedByProvider: error !== undefined };
  });
