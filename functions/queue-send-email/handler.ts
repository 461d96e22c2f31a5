import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { emailProvider, secretSource, tokenKeyring } from '../../shared/adapters/factory';
import { SqsMessageVisibility } from '../../shared/adapters/sqs/message-visibility';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { queues } from '../../shared/definitions/queues';
import { channelBatchHandler, channelDeliverDeps } from '../../shared/lambda/channel-batch-handler';
import { createLogger } from '../../shared/observability';
import { EmailChannel } from '../../shared/use-cases/send-email';

const config = readFunctionConfig('queue-send-email');
const logger = createLogger();
const channel = new EmailChannel({
  email: emailProvider({
    from: config.CHAPAR_FROM_EMAIL,
    ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
  }),
  keyring: tokenKeyring(secretSource(), config.TOKEN_KEYS_SECRET_ID),
  publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  templates: templateFile,
  concurrency: 5,
});

const deps = channelDeliverDeps(config, logger);

/** Sends campaign email through SES with one-click unsubscribe. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(
    channelBatchHandler(deps, async () => channel, logger, undefined, {
      visibility: new SqsMessageVisibility(),
      maxReceiveCount: queues.email.maxReceiveCount,
    }),
  );
