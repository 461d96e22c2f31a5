import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  campaignStore,
  consentStore,
  contactStore,
  deliveryStore,
  secretSource,
} from '../../shared/adapters/factory';
import { KavenegarClient } from '../../shared/adapters/kavenegar/client';
import { KavenegarSmsLookup } from '../../shared/adapters/kavenegar/sms-lookup';
import { KavenegarSmsProvider } from '../../shared/adapters/kavenegar/sms-provider';
import { readConfig } from '../../shared/config';
import { channelBatchHandler } from '../../shared/lambda/channel-batch-handler';
import { createLogger, createMetrics, MetricAlarms } from '../../shared/observability';
import { SmsChannel } from '../../shared/use-cases/send-sms';

// The sender is configuration only: missing or malformed, the function refuses to start.
const config = readConfig([
  'CONTACTS_TABLE',
  'CAMPAIGNS_TABLE',
  'CONSENT_TABLE',
  'DELIVERIES_TABLE',
  'KAVENEGAR_API_KEY_SECRET_ID',
  'KAVENEGAR_BASE_URL',
  'KAVENEGAR_TIMEOUT_MS',
  'CHAPAR_SMS_SENDER',
]);
const logger = createLogger();
const secrets = secretSource();

async function smsChannel(): Promise<SmsChannel> {
  const client = new KavenegarClient({
    baseUrl: config.KAVENEGAR_BASE_URL,
    apiKey: await secrets.getSecret(config.KAVENEGAR_API_KEY_SECRET_ID),
    timeoutMs: config.KAVENEGAR_TIMEOUT_MS,
  });
  return new SmsChannel({
    sms: new KavenegarSmsProvider({ client, sender: config.CHAPAR_SMS_SENDER }),
    lookup: new KavenegarSmsLookup(client),
  });
}

const deps = {
  campaigns: campaignStore(config.CAMPAIGNS_TABLE),
  contacts: contactStore(config.CONTACTS_TABLE),
  consent: consentStore(config.CONSENT_TABLE),
  deliveries: deliveryStore(config.DELIVERIES_TABLE, config.CAMPAIGNS_TABLE),
  alarms: new MetricAlarms(logger, createMetrics()),
  now: () => new Date(),
  leaseMs: 2 * 60 * 1000,
};

/** Sends campaign SMS through Kavenegar from the one verified line. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(channelBatchHandler(deps, smsChannel, logger));
