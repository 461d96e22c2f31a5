import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  campaignStore,
  consentStore,
  contactStore,
  listStore,
  segmentStore,
  workQueue,
} from '../../shared/adapters/factory';
import { readFunctionConfig } from '../../shared/config';
import { DISPATCH_LEASE_MS, DISPATCH_PAGE_SIZE, DISPATCH_SCAN_SEGMENTS } from '../../shared/domain/dispatch';
import { dispatchMessageSchema } from '../../shared/domain/messages';
import { smsLayout } from '../../shared/domain/sms-text';
import { parseWith } from '../../shared/domain/validation';
import { createLogger } from '../../shared/observability';
import { campaignAudience } from '../../shared/use-cases/audience-source';
import { dispatchCampaign } from '../../shared/use-cases/dispatch-campaign';

const config = readFunctionConfig('queue-dispatch-campaign');
const logger = createLogger();
const deps = {
  campaigns: campaignStore(config.CAMPAIGNS_TABLE),
  audience: campaignAudience(
    {
      contacts: contactStore(config.CONTACTS_TABLE),
      lists: listStore(config.AUDIENCES_TABLE),
      segments: segmentStore(config.AUDIENCES_TABLE),
      consent: consentStore(config.CONSENT_TABLE),
    },
    DISPATCH_SCAN_SEGMENTS,
  ),
  queue: workQueue({
    dispatch: config.DISPATCH_QUEUE_URL,
    sms: config.SMS_QUEUE_URL,
    email: config.EMAIL_QUEUE_URL,
  }),
  now: () => new Date(),
  pageSize: DISPATCH_PAGE_SIZE,
  smsLayout: smsLayout({
    publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
    optOutSuffix: config.CHAPAR_SMS_OPT_OUT_SUFFIX,
  }),
  leaseMs: DISPATCH_LEASE_MS,
};

async function recordHandler(record: SQSRecord): Promise<void> {
  const message = parseWith(dispatchMessageSchema, JSON.parse(record.body), 'dispatch message');
  const result = await dispatchCampaign(deps, message);
  logger.info('Dispatch page', { campaignId: message.campaignId, unit: message.unit, result });
}

/** Fans a campaign's audience out to the SMS and email queues: one page of one unit per message. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    }),
  );
