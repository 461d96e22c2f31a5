import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  consentStore,
  contactStore,
  deliveryReportInbox,
  erasureKey,
  kavenegarRate,
  kavenegarRateOf,
  messageStore,
  secretSource,
  smsPollStore,
  suppressionStore,
} from '../../shared/adapters/factory';
import { KavenegarClient } from '../../shared/adapters/kavenegar/client';
import { KavenegarSmsStatusSource } from '../../shared/adapters/kavenegar/sms-status-source';
import { readFunctionConfig } from '../../shared/config';
import { functions } from '../../shared/definitions/functions';
import { createLogger } from '../../shared/observability';
import { type PollSummary, pollSmsStatuses } from '../../shared/use-cases/delivery-status';
import { type MessagePollSummary, pollMessageStatuses } from '../../shared/use-cases/message-status';

const config = readFunctionConfig('schedule-poll-sms-status');
const logger = createLogger();
const secrets = secretSource();
const deps = {
  polls: smsPollStore({
    polls: config.SMS_POLLS_TABLE,
    deliveries: config.DELIVERIES_TABLE,
    campaigns: config.CAMPAIGNS_TABLE,
  }),
  consent: consentStore(config.CONSENT_TABLE),
  // With the optional callback on, the reports it kept answer for their SMS.
  ...(config.CHAPAR_SMS_DELIVERY_CALLBACK === 'on'
    ? { reports: deliveryReportInbox(config.SMS_POLLS_TABLE) }
    : {}),
  now: () => new Date(),
  addressSuppressions: {
    contacts: contactStore(config.CONTACTS_TABLE),
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secrets, config.ERASURE_KEY_SECRET_ID),
    now: () => new Date(),
  },
};

// Each sms/status call takes one of Kavenegar's calls per second from the senders' shared budget
// (a 451 counts calls, not ids), and leaves the reserved call to transactional SMS.
const calls = kavenegarRate(
  kavenegarRateOf(config, functions['schedule-poll-sms-status'].timeoutSeconds * 1000),
);

/** No new page of batches starts with less time left: its calls and writes must fit. */
const SAFETY_MARGIN_MS = 20_000;

/** The input EventBridge Scheduler sends (see infra/ and local/lambda/scheduler.ts). */
interface ScheduleInput {
  readonly schedule?: string;
  readonly scheduledTime?: string;
}

export type PollResult = Omit<PollSummary, 'error'> & {
  stoppedByProvider: boolean;
  /** Transactional SMS polled on their own records. */
  messages?: MessagePollSummary;
};

const messages = messageStore(config.MESSAGES_TABLE);

/**
 * Every minute: asks Kavenegar about the SMS batches due for a poll and applies their final
 * statuses. A Kavenegar failure ends the run (logged); the next run tries again.
 */
export const handler = middy<ScheduleInput, PollResult>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context: Context) => {
    const provider = new KavenegarSmsStatusSource(
      new KavenegarClient({
        baseUrl: config.KAVENEGAR_BASE_URL,
        apiKey: await secrets.getSecret(config.KAVENEGAR_API_KEY_SECRET_ID),
        timeoutMs: config.KAVENEGAR_TIMEOUT_MS,
      }),
      { calls },
    );
    const { error, ...summary } = await pollSmsStatuses(
      { ...deps, provider },
      { hasTime: () => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS },
    );
    const details = { ...summary, scheduledTime: event.scheduledTime };
    if (error)
      logger.error('SMS status polling stopped by Kavenegar; the next run tries again', {
        ...details,
        error,
      });
    if (summary.unknown > 0)
      logger.warn('Gave up on SMS past the status window: final status unknown', {
        unknown: summary.unknown,
      });
    if (summary.polled > 0 || summary.unknown > 0) logger.info('SMS statuses polled', details);
    // Transactional SMS: few, polled sooner; a failure here is the next run's to retry.
    const transactional = await pollMessageStatuses({ messages, provider, now: () => new Date() }).catch(
      (pollError: unknown) => {
        logger.error('Transactional SMS status polling failed; the next run tries again', {
          error: pollError as Error,
        });
        return undefined;
      },
    );
    if (transactional && transactional.polled > 0)
      logger.info('Transactional SMS statuses polled', { ...transactional });
    return {
      ...summary,
      stoppedByProvider: error !== undefined,
      ...(transactional ? { messages: transactional } : {}),
    };
  });
