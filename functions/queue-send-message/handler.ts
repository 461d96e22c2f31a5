import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamoDocumentClient } from '../../shared/adapters/dynamodb/client';
import { DynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limiter';
import {
  emailAccount,
  emailProvider,
  erasureKey,
  kavenegarRate,
  kavenegarRateOf,
  messageStore,
  messageVisibility,
  secretSource,
  suppressionStore,
} from '../../shared/adapters/factory';
import { KavenegarClient } from '../../shared/adapters/kavenegar/client';
import { KavenegarSmsLookup } from '../../shared/adapters/kavenegar/sms-lookup';
import { KavenegarSmsProvider } from '../../shared/adapters/kavenegar/sms-provider';
import { RateLimitedEmailProvider } from '../../shared/adapters/rate-limited-email-provider';
import { RateLimitedSmsProvider } from '../../shared/adapters/rate-limited-sms-provider';
import { readFunctionConfig } from '../../shared/config';
import { functions } from '../../shared/definitions/functions';
import { retryDelaySeconds } from '../../shared/domain/retry-backoff';
import { messageRecordSchema } from '../../shared/domain/transactional-message';
import { parseWith } from '../../shared/domain/validation';
import { createLogger } from '../../shared/observability';
import {
  type DeliverMessageDeps,
  deliverMessage,
  MessageRetryError,
} from '../../shared/use-cases/deliver-message';

const config = readFunctionConfig('queue-send-message');
const logger = createLogger();
const secrets = secretSource();
// The same budget (item) as the campaign senders: one rate for the account. Priority leases may
// use the transactional share, which campaigns leave free while these flow.
const smsRate = kavenegarRate(kavenegarRateOf(config, functions['queue-send-message'].timeoutSeconds * 1000));
// SES's MaxSendRate, the budget the campaign email senders spend too (the `ses-email` item).
const sesLimiters = new Map<number, DynamoRateLimiter>();
function sesRate(perSecond: number): DynamoRateLimiter {
  let limiter = sesLimiters.get(perSecond);
  if (!limiter) {
    limiter = new DynamoRateLimiter({
      client: dynamoDocumentClient(),
      tableName: config.RATE_LIMITS_TABLE,
      name: 'ses-email',
      limitPerSecond: perSecond,
      maxHoldMs: functions['queue-send-message'].timeoutSeconds * 1000,
    });
    sesLimiters.set(perSecond, limiter);
  }
  return limiter;
}
/** Longer than a run may take (the function's timeout): a live run is never taken over. */
const CLAIM_LEASE_MS = 2 * functions['queue-send-message'].timeoutSeconds * 1000;
const visibility = messageVisibility();

let deps: DeliverMessageDeps | undefined;
async function deliverDeps(): Promise<DeliverMessageDeps> {
  if (deps) return deps;
  const client = new KavenegarClient({
    baseUrl: config.KAVENEGAR_BASE_URL,
    apiKey: await secrets.getSecret(config.KAVENEGAR_API_KEY_SECRET_ID),
    timeoutMs: config.KAVENEGAR_TIMEOUT_MS,
  });
  deps = {
    messages: messageStore(config.MESSAGES_TABLE),
    // Every SMS leaves from the one verified line: the provider is built with it, nothing else.
    sms: new RateLimitedSmsProvider(
      new KavenegarSmsProvider({ client, sender: config.CHAPAR_SMS_SENDER, maxPerCall: 1 }),
      smsRate,
      { priority: true, maxWaitMs: 10_000 },
    ),
    lookup: new KavenegarSmsLookup(client),
    email: new RateLimitedEmailProvider(
      emailProvider({
        from: config.CHAPAR_FROM_EMAIL,
        ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
      }),
      emailAccount(),
      sesRate,
      { priority: true },
    ),
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secrets, config.ERASURE_KEY_SECRET_ID),
    now: () => new Date(),
    leaseMs: CLAIM_LEASE_MS,
  };
  return deps;
}

async function handleRecord(record: SQSRecord): Promise<void> {
  const { messageId } = parseWith(messageRecordSchema, JSON.parse(record.body), 'transactional record');
  const receiveCount = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
  try {
    const outcome = await deliverMessage(await deliverDeps(), messageId, randomUUID());
    logger.info('Transactional message handled', { messageId, outcome });
  } catch (error) {
    if (!(error instanceof MessageRetryError)) {
      logger.error('Transactional message failed', { messageId, error: error as Error });
      throw error;
    }
    const seconds = retryDelaySeconds(
      receiveCount,
      error.outcomeUnknown ? { unknownLeaseMs: CLAIM_LEASE_MS } : {},
    );
    logger.warn(error.message, { messageId, receiveCount, retryInSeconds: seconds });
    await visibility
      .delay({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle }, seconds)
      .then(
        (delayed) => {
          if (!delayed)
            logger.warn('Retry backoff skipped: the message is no longer in flight', { messageId });
        },
        (delayError: unknown) =>
          logger.error('Retry backoff failed', { messageId, error: delayError as Error }),
      );
    throw error;
  }
}

/**
 * Sends transactional messages (their own queue, ahead of campaigns) through Kavenegar from the
 * one verified line, or SES: each record one message, exactly once, records of a batch at once.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler((event, context) =>
    processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: true,
      throwOnFullBatchFailure: false,
    }),
  );
