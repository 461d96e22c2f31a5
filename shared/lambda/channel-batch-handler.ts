import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { recipientsMessageSchema } from '../domain/messages';
import { parseWith } from '../domain/validation';
import {
  type ChannelSender,
  type DeliverDeps,
  deliverRecipients,
  RetryLaterError,
} from '../use-cases/deliver-recipients';

/**
 * The SQS side of a channel sender: each record is one recipients message; a record that must
 * come back later is reported in batchItemFailures, and the rest of the batch is deleted.
 * Records run one after another so a provider sees one call at a time per function.
 */
export function channelBatchHandler(
  deps: DeliverDeps,
  sender: () => Promise<ChannelSender>,
  logger: Logger,
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    const channel = await sender();
    const recordHandler = async (record: SQSRecord) => {
      const message = parseWith(recipientsMessageSchema, JSON.parse(record.body), 'recipients message');
      try {
        await deliverRecipients(deps, channel, message);
      } catch (error) {
        if (error instanceof RetryLaterError) logger.warn(error.message, { campaignId: message.campaignId });
        else logger.error('Delivery failed', { campaignId: message.campaignId, error: error as Error });
        throw error;
      }
    };
    return processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      // Report every failed record rather than throw: the same retry, without a Lambda error.
      throwOnFullBatchFailure: false,
    });
  };
}
