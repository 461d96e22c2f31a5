import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  consentStore,
  contactStore,
  erasureKey,
  importedContactWriter,
  importFiles,
  importQueue,
  importStore,
  listStore,
  secretSource,
  suppressionStore,
} from '../../shared/adapters/factory';
import { importTriggers } from '../../shared/adapters/s3/import-event';
import { readFunctionConfig } from '../../shared/config';
import { createLogger } from '../../shared/observability';
import { type RunImportDeps, runImport } from '../../shared/use-cases/import-contacts';

const config = readFunctionConfig('queue-import-contacts');
const logger = createLogger();
const deps: RunImportDeps = {
  imports: importStore(config.IMPORTS_TABLE),
  files: importFiles(config.IMPORTS_BUCKET),
  writer: importedContactWriter({ contacts: config.CONTACTS_TABLE, consent: config.CONSENT_TABLE }),
  matcher: contactStore(config.CONTACTS_TABLE),
  consent: consentStore(config.CONSENT_TABLE),
  suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
  erasureKey: erasureKey(secretSource(), config.ERASURE_KEY_SECRET_ID),
  queue: importQueue(config.IMPORTS_QUEUE_URL),
  now: () => new Date(),
  lists: listStore(config.AUDIENCES_TABLE),
};

/**
 * Imports uploaded contact files: S3's object-created events and the imports' own
 * continuations, one message a batch. A throw keeps the message, which comes back after the
 * visibility timeout and resumes from the saved checkpoint.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event, context) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        for (const trigger of importTriggers(record.body)) {
          const outcome = await runImport(deps, trigger, () => context.getRemainingTimeInMillis());
          logger.info('Import run', { trigger: trigger.kind, outcome });
        }
      } catch (error) {
        logger.error('Import run failed; the message will come back', {
          messageId: record.messageId,
          error: error as Error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
