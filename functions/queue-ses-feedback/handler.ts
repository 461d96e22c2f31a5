import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  campaignStore,
  consentStore,
  contactStore,
  erasureKey,
  feedbackStore,
  messageStore,
  secretSource,
  suppressionStore,
} from '../../shared/adapters/factory';
import { feedbackOf, type SesEvent, sesNotificationSchema } from '../../shared/adapters/ses/feedback-event';
import { readFunctionConfig } from '../../shared/config';
import { parseWith } from '../../shared/domain/validation';
import { createLogger, createMetrics, MetricAlarms } from '../../shared/observability';
import { MESSAGE_TAG, recordMessageFeedback } from '../../shared/use-cases/message-status';
import { recordSesFeedback } from '../../shared/use-cases/ses-feedback';

const config = readFunctionConfig('queue-ses-feedback');
const logger = createLogger();
const deps = {
  contacts: contactStore(config.CONTACTS_TABLE),
  consent: consentStore(config.CONSENT_TABLE),
  feedback: feedbackStore(config.DELIVERIES_TABLE, config.CAMPAIGNS_TABLE),
  now: () => new Date(),
  addressSuppressions: {
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secretSource(), config.ERASURE_KEY_SECRET_ID),
    now: () => new Date(),
  },
  // A campaign past 2.5 % bounces or 0.08 % complaints (500 sends on) pauses: the reputation breaker.
  breaker: {
    campaigns: campaignStore(config.CAMPAIGNS_TABLE),
    alarms: new MetricAlarms(logger, createMetrics),
  },
};

const messages = messageStore(config.MESSAGES_TABLE);

async function recordHandler(record: SQSRecord): Promise<void> {
  const event = parseEvent(record);
  const feedback = feedbackOf(event);
  const about = { eventType: event.eventType, sesMessageId: event.mail.messageId };
  if (!feedback) {
    logger.debug('SES event needs no action', about);
    return;
  }
  if (feedback.tags[MESSAGE_TAG]) {
    // A transactional email: its message's status, and the address's hard bounce.
    const result = await recordMessageFeedback({ ...deps, messages }, feedback);
    logger.info('SES feedback on a transactional message', { ...about, ...result });
    return;
  }
  const result = await recordSesFeedback(deps, feedback);
  if (result.outcome === 'untagged' || result.outcome === 'unknown_contact') {
    // Not a delivery of ours (or its contact was erased): acknowledged. The logger masks addresses.
    logger.warn('SES feedback names no Chapar delivery', {
      ...about,
      outcome: result.outcome,
      destination: event.mail.destination,
      tags: Object.keys(feedback.tags),
    });
    return;
  }
  logger.info('SES feedback', { ...about, ...result });
}

/**
 * The SES event in a record's SNS envelope. One that does not parse fails: retrying cannot
 * help, so after maxReceiveCount it waits in the DLQ, whose alarm calls someone.
 */
function parseEvent(record: SQSRecord): SesEvent {
  try {
    return parseWith(sesNotificationSchema, JSON.parse(record.body), 'SES event notification').Message;
  } catch (error) {
    logger.error('Not an SES event notification', { messageId: record.messageId, error: error as Error });
    throw error;
  }
}

/** Bounces and complaints SES publishes to the sesEvents topic become opt-outs and campaign stats. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      // One after another: a repeated event later in the batch then finds its delivery counted.
      processInParallel: false,
      throwOnFullBatchFailure: false,
    }),
  );
