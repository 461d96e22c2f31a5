import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { campaignStore, consentStore, contactStore, deliveryStore } from '../adapters/factory';
import type { Env } from '../config';
import { CLAIM_LEASE_MS } from '../domain/dispatch';
import { recipientsMessageSchema } from '../domain/messages';
import { parseWith } from '../domain/validation';
import { createMetrics, MetricAlarms } from '../observability';
import type { ChannelSender, Deferral, DeliverDeps } from '../ports';
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

/**
 * The SQS side of a channel sender: each record is one recipients message; a record that must
 * come back later is reported in batchItemFailures, and the rest of the batch is deleted.
 * Records run one after another so a provider sees one call at a time per function. With a
 * `deferral`, a record due in a window where its channel must wait is neither handled nor
 * dropped: before any claim, its visibility is moved to the end of the window and it is
 * reported failed, so SQS hands it back then.
 */
export function channelBatchHandler(
  deps: DeliverDeps,
  sender: () => Promise<ChannelSender>,
  logger: Logger,
  deferral?: Deferral,
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
          .catch((error: unknown) => {
            logger.error('Deferral failed', { campaignId: message.campaignId, error: error as Error });
            throw error;
          });
        logger.info('Deferred', { campaignId: message.campaignId, until: until.toISOString(), seconds });
        throw new DeferredError(`Campaign ${message.campaignId} waits until ${until.toISOString()}`);
      }
      try {
        await deliverRecipients(deps, channel, message);
      } catch (error) {
        if (error instanceof RetryLaterError) logger.warn(error.message, { campaignId: message.campaignId });
        else logger.error('Delivery failed', { campaignId: message.campaignId, error: error as Error });
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
  config: Pick<Env, 'CONTACTS_TABLE' | 'CAMPAIGNS_TABLE' | 'CONSENT_TABLE' | 'DELIVERIES_TABLE'>,
  logger: Logger,
): DeliverDeps {
  return {
    campaigns: campaignStore(config.CAMPAIGNS_TABLE),
    contacts: contactStore(config.CONTACTS_TABLE),
    consent: consentStore(config.CONSENT_TABLE),
    deliveries: deliveryStore(config.DELIVERIES_TABLE, config.CAMPAIGNS_TABLE),
    alarms: new MetricAlarms(logger, createMetrics()),
    now: () => new Date(),
    leaseMs: CLAIM_LEASE_MS,
  };
}
