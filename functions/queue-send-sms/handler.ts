import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  erasureKey,
  kavenegarRate,
  kavenegarRateOf,
  linkKey,
  linkStore,
  messageVisibility,
  secretSource,
  smsPollStore,
  suppressionStore,
} from '../../shared/adapters/factory';
import { KavenegarClient } from '../../shared/adapters/kavenegar/client';
import { KavenegarSmsLookup } from '../../shared/adapters/kavenegar/sms-lookup';
import { KavenegarSmsProvider } from '../../shared/adapters/kavenegar/sms-provider';
import { RateLimitedSmsProvider } from '../../shared/adapters/rate-limited-sms-provider';
import { readFunctionConfig } from '../../shared/config';
import { functions } from '../../shared/definitions/functions';
import { queues } from '../../shared/definitions/queues';
import { deferUntil, parseQuietHours } from '../../shared/domain/quiet-hours';
import { smsLayout } from '../../shared/domain/sms-text';
import { channelBatchHandler, channelDeliverDeps } from '../../shared/lambda/channel-batch-handler';
import { createLogger } from '../../shared/observability';
import { SmsChannel } from '../../shared/use-cases/send-sms';

// The sender is configuration only: missing or malformed, the function refuses to start.
const config = readFunctionConfig('queue-send-sms');
const logger = createLogger();
const secrets = secretSource();
// Messages per second to Kavenegar, one budget for every concurrent instance of this function.
// Kavenegar's calls per second too (451), shared with the status polls.
// Campaigns leave the transactional share free while transactional SMS flow (queue-send-message).
const smsRate = kavenegarRate(kavenegarRateOf(config, functions['queue-send-sms'].timeoutSeconds * 1000));

// Every SMS ends with its short unsubscribe link and the opt-out suffix (checked at cold start).
const layout = smsLayout({
  publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  optOutSuffix: config.CHAPAR_SMS_OPT_OUT_SUFFIX,
});
const links = linkStore(config.LINKS_TABLE, linkKey(secrets, config.TOKEN_KEYS_SECRET_ID));
// What Kavenegar accepted, recorded per provider attempt for status polling.
const statuses = smsPollStore({
  polls: config.SMS_POLLS_TABLE,
  deliveries: config.DELIVERIES_TABLE,
  campaigns: config.CAMPAIGNS_TABLE,
});
// Marketing SMS due in quiet hours wait on the queue until the window ends: never sent, never dropped.
const quietHours = parseQuietHours(config.CHAPAR_QUIET_HOURS);
const quietDeferral = {
  defer: (now: Date) => deferUntil(quietHours, now),
  visibility: messageVisibility(),
};

async function smsChannel(): Promise<SmsChannel> {
  const client = new KavenegarClient({
    baseUrl: config.KAVENEGAR_BASE_URL,
    apiKey: await secrets.getSecret(config.KAVENEGAR_API_KEY_SECRET_ID),
    timeoutMs: config.KAVENEGAR_TIMEOUT_MS,
  });
  return new SmsChannel({
    // A call never carries more than one second's budget: the rate caps the receptors per call.
    sms: new RateLimitedSmsProvider(
      new KavenegarSmsProvider({
        client,
        sender: config.CHAPAR_SMS_SENDER,
        maxPerCall: config.CHAPAR_SMS_RATE,
      }),
      smsRate,
      // A quarter of a second's budget at least per call when it comes within 100 ms: the
      // window freeing in pieces would otherwise make many small calls against Kavenegar's 451.
      { fill: { units: Math.ceil(config.CHAPAR_SMS_RATE / 4), withinMs: 100 } },
    ),
    lookup: new KavenegarSmsLookup(client),
    links,
    layout,
    statuses,
  });
}

const deps = {
  ...channelDeliverDeps(config, logger),
  // Opt-outs, status 14, bounces and complaints bound to the address, whoever holds it now.
  addressSuppressions: {
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secrets, config.ERASURE_KEY_SECRET_ID),
  },
};

/** Sends campaign SMS through Kavenegar from the one verified line. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(
    channelBatchHandler(deps, smsChannel, logger, quietDeferral, {
      visibility: quietDeferral.visibility,
      maxReceiveCount: queues.sms.maxReceiveCount,
    }),
  );
