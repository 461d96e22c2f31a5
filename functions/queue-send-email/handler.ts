import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limiter';
import {
  campaignStore,
  emailAccount,
  emailProvider,
  erasureKey,
  messageVisibility,
  secretSource,
  suppressionStore,
  tokenKeyring,
} from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { functions } from '../../shared/definitions/functions';
import { queues } from '../../shared/definitions/queues';
import { channelBatchHandler, channelDeliverDeps } from '../../shared/lambda/channel-batch-handler';
import { createLogger, createMetrics, MetricAlarms } from '../../shared/observability';
import { CoalescedSendRate } from '../../shared/use-cases/coalesced-send-rate';
import { pauseEmailCampaigns } from '../../shared/use-cases/email-pauses';
import { cachedReputation, EmailChannel, type SendRate } from '../../shared/use-cases/send-email';

const config = readFunctionConfig('queue-send-email');
const logger = createLogger();
const secrets = secretSource();
const campaigns = campaignStore(config.CAMPAIGNS_TABLE);
const alarms = new MetricAlarms(logger, createMetrics);

// SES's MaxSendRate (GetAccount) as one budget for every concurrent instance of this function;
// one limiter per rate, all on the same item, so a changed rate is measured against the same log.
// One waiter per container in front of it: this container's sends never race each other on the item.
const limiters = new Map<number, SendRate>();
function sesRate(perSecond: number): SendRate {
  let limiter = limiters.get(perSecond);
  if (!limiter) {
    const shared = new DynamoRateLimiter({
      client: dynamoDocumentClient(),
      tableName: config.RATE_LIMITS_TABLE,
      name: 'ses-email',
      limitPerSecond: perSecond,
      // An unreleased lease (a sender that died in its call) holds its units as long as the function may run.
      maxHoldMs: functions['queue-send-email'].timeoutSeconds * 1000,
    });
    // A window freeing in small pieces would become many small grants (a write, a release and an
    // attempt record each): wait once, up to 250 ms, for a whole second's budget. bench:cost at
    // 14/s: 0.30 limiter write units per email (within 150 ms: 0.56; a third of the budget within
    // 150 ms: 0.43); bench:email 4000 at 25/s: 94.6 % of the rate (within 150 ms: 94.4 %).
    const fill = { units: perSecond, withinMs: 250 };
    limiter = new CoalescedSendRate({ lease: (max, options) => shared.lease(max, { ...options, fill }) });
    limiters.set(perSecond, limiter);
  }
  return limiter;
}

/**
 * Waits for SES's rate end this long before the function's timeout: the last sends' answers
 * and their ledger ends must fit in it (a timeout mid-send would leave outcomes unknown).
 */
const END_MARGIN_MS = 10_000;
let sendsDeadline: number | undefined;

const channel = new EmailChannel({
  email: emailProvider({
    from: config.CHAPAR_FROM_EMAIL,
    ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
  }),
  keyring: tokenKeyring(secrets, config.TOKEN_KEYS_SECRET_ID),
  publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  templates: templateFile,
  // A whole queue message's recipients may go out at once after one grant.
  concurrency: queues.email.recipientsPerMessage,
  pacing: {
    account: emailAccount(),
    limiter: sesRate,
    // A message waits for SES's rate up to the invocation's end (its records go one after another).
    maxWaitMs: functions['queue-send-email'].timeoutSeconds * 1000 - END_MARGIN_MS,
    deadline: () => sendsDeadline,
  },
  pauseAll: async (reason) => {
    try {
      const paused = await pauseEmailCampaigns({ campaigns, alarms, now: () => new Date() }, reason);
      logger.error('SES stopped the account: email campaigns paused', { reason, paused: paused.length });
    } catch (error) {
      logger.error('SES stopped the account; pausing the email campaigns failed', {
        reason,
        error: error as Error,
      });
    }
  },
  reputation: cachedReputation(campaigns),
});

const deps = {
  ...channelDeliverDeps(config, logger),
  // Opt-outs, status 14, bounces and complaints bound to the address, whoever holds it now.
  addressSuppressions: {
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secrets, config.ERASURE_KEY_SECRET_ID),
  },
};

/** Sends campaign email through SES at the account's rate, with one-click unsubscribe. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .before((request) => {
    sendsDeadline = Date.now() + request.context.getRemainingTimeInMillis() - END_MARGIN_MS;
  })
  .handler(
    channelBatchHandler(deps, async () => channel, logger, undefined, {
      visibility: messageVisibility(),
      maxReceiveCount: queues.email.maxReceiveCount,
    }),
  );
