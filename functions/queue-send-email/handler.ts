import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  emailProvider,
  erasureKey,
  messageVisibility,
  secretSource,
  suppressionStore,
  tokenKeyring,
} from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { queues } from '../../shared/definitions/queues';
import { channelBatchHandler, channelDeliverDeps } from '../../shared/lambda/channel-batch-handler';
import { createLogger } from '../../shared/observability';
import { EmailChannel } from '../../shared/use-cases/send-email';

const config = readFunctionConfig('queue-send-email');
const logger = createLogger();
const secrets = secretSource();
const channel = new EmailChannel({
  email: emailProvider({
    from: config.CHAPAR_FROM_EMAIL,
    ...(config.SES_CONFIGURATION_SET ? { configurationSet: config.SES_CONFIGURATION_SET } : {}),
  }),
  keyring: tokenKeyring(secrets, config.TOKEN_KEYS_SECRET_ID),
  publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  templates: templateFile,
  concurrency: 5,
});

const deps = {
  ...channelDeliverDeps(config, logger),
  // Opt-outs, status 14, bounces and complaints bound to the address, whoever holds it now.
  addressSuppressions: {
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secrets, config.ERASURE_KEY_SECRET_ID),
  },
};

/** Sends campaign email through SES with one-click unsubscribe. */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(
    channelBatchHandler(deps, async () => channel, logger, undefined, {
      visibility: messageVisibility(),
      maxReceiveCount: queues.email.maxReceiveCount,
    }),
  );
