import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamoDocumentClient } from '../adapters/dynamodb/client';
import { DynamoProviderHealth } from '../adapters/dynamodb/provider-health';
import { campaignStore, consentStore, contactStore, deliveryStore } from '../adapters/factory';
import type { Env } from '../config';
import { CLAIM_LEASE_MS } from '../domain/dispatch';
import { recipientsMessageSchema } from '../domain/messages';
import { retryDelaySeconds } from '../domain/retry-backoff';
import { parseWith } from '../domain/validation';
import { createMetrics, MetricAlarms } from '../observability';
import type { ChannelSender, Deferral, DeliverDeps, MessageVisibility } from '../ports';
import { deliverRecipients, RetryLaterError } from '../use-cases/deliver-recipients';

/**
 * SQS keeps a message in flight for at most 12 hours counted from its receive, moments before
 * this call: 5 minutes less leaves room for that. A longer wait simply comes back and waits again.
 */
const MAX_DEFER_SECONDS = 12 * 3600 - 5 * 60;

/** Reported as a batch item failure: the message waits on its queue, nothing was claimed. */
class DeferredError extends Error {
  override readonly name = 'DeferredError';
}

/** How a record that must be retried comes back: through its visibility, later each time. */
export interface RetryPolicy {
  readonly visibility: MessageVisibility;
  /** The queue's receives before its DLQ: the last one pauses the campaign instead of failing. */
  readonly maxReceiveCount: number;
  /** Multiplies the backoff's figures (tests); default 1. */
  readonly scale?: number;
}

/**
 * The SQS side of a channel sender: each record is one recipients message; a record that must
 * come back later is reported in batchItemFailures, and the rest of the batch is deleted.
 * Records run one after another so a provider sees one call at a time per function. With a
 * `deferral`, a record due in a window where its channel must wait is neither handled nor
 * dropped: before any claim, its visibility is moved to the end of the window and it is
 * reported failed, so SQS hands it back then. With a `retry` policy, a record whose recipients
 * met a passing failure comes back after a backoff that grows with its receive count (never
 * before the claim lease of a recipient left unknown), and on its last receive it is not
 * failed into the DLQ: deliverRecipients pauses the campaign instead.
 */
export function channelBatchHandler(
  deps: DeliverDeps,
  sender: () => Promise<ChannelSender>,
  logger: Logger,
  deferral?: Deferral,
  retry?: RetryPolicy,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const channel = await sender();
    const recordHandler = async (record: SQSRecord) => {
      const message = parseWith(recipientsMessageSchema, JSON.parse(record.body), 'recipients message');
      const now = deps.now();
      const until = deferral?.defer(now);
      if (deferral && until) {
        const seconds = Math.min(MAX_DEFER_SECONDS, Math.ceil((until.getTime() - now.getTime()) / 1000));
        // If this fails the record still fails: it comes back after its visibility timeout and waits again.
        await deferral.visibility
          .delay({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle }, seconds)
          .then(
            (delayed) => {
              if (!delayed)
                logger.warn('Deferral skipped: the message is no longer in flight', {
                  campaignId: message.campaignId,
                });
            },
            (error: unknown) => {
              logger.error('Deferral failed', { campaignId: message.campaignId, error: error as Error });
              throw error;
            },
          );
        logger.info('Deferred', { campaignId: message.campaignId, until: until.toISOString(), seconds });
        throw new DeferredError(`Campaign ${message.campaignId} waits until ${until.toISOString()}`);
      }
      const receiveCount = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
      try {
        await deliverRecipients(deps, channel, message, {
          lastReceive: retry !== undefined && receiveCount >= retry.maxReceiveCount,
          messageId: record.messageId,
          receiveCount,
        });
      } catch (error) {
        if (!(error instanceof RetryLaterError)) {
          logger.error('Delivery failed', { campaignId: message.campaignId, error: error as Error });
          throw error;
        }
        const seconds = retry
          ? retryDelaySeconds(receiveCount, {
              ...(retry.scale === undefined ? {} : { scale: retry.scale }),
              ...(error.unknown ? { unknownLeaseMs: deps.leaseMs } : {}),
            })
          : undefined;
        logger.warn(error.message, { campaignId: message.campaignId, receiveCount, retryInSeconds: seconds });
        if (retry && seconds !== undefined) {
          // If this fails the record comes back after the queue's visibility timeout (over the lease).
          await retry.visibility
            .delay({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle }, seconds)
            .then(
              (delayed) => {
                // Its visibility ran out while it was handled: another receive holds it now.
                if (!delayed)
                  logger.warn('Retry backoff skipped: the message is no longer in flight', {
                    campaignId: message.campaignId,
                  });
              },
              (delayError: unknown) =>
                logger.error('Retry backoff failed', {
                  campaignId: message.campaignId,
                  error: delayError as Error,
                }),
            );
        }
        throw error;
      }
    };
    // One processor per invocation: it holds the batch's failures, and invocations may overlap.
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: false,
      // Report every failed record rather than throw: the same retry, without a Lambda error.
      throwOnFullBatchFailure: false,
    });
  };
}

/** What every channel sender reads and writes, built from its function's configuration. */
export function channelDeliverDeps(
  config: Pick<
    Env,
    'CONTACTS_TABLE' | 'CAMPAIGNS_TABLE' | 'CONSENT_TABLE' | 'DELIVERIES_TABLE' | 'RATE_LIMITS_TABLE'
  > &
    Partial<Pick<Env, 'CHAPAR_DELIVERY_RETENTION_DAYS'>>,
  logger: Logger,
): DeliverDeps {
  return {
    campaigns: campaignStore(config.CAMPAIGNS_TABLE),
    contacts: contactStore(config.CONTACTS_TABLE),
    consent: consentStore(config.CONSENT_TABLE),
    deliveries: deliveryStore(
      config.DELIVERIES_TABLE,
      config.CAMPAIGNS_TABLE,
      config.CHAPAR_DELIVERY_RETENTION_DAYS,
    ),
    alarms: new MetricAlarms(logger, createMetrics),
    now: () => new Date(),
    leaseMs: CLAIM_LEASE_MS,
    // Failure runs are kept beside the rate limits: one small item per provider.
    health: new DynamoProviderHealth(dynamoDocumentClient(), config.RATE_LIMITS_TABLE),
  };
}
