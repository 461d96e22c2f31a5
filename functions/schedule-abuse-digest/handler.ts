import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { emailProvider, reportStore } from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { createLogger } from '../../shared/observability';
import { type AbuseDigestRun, sendAbuseDigests } from '../../shared/use-cases/abuse-digest';

const config = readFunctionConfig('schedule-abuse-digest');
const logger = createLogger();
const deps = {
  reports: reportStore(config.REPORTS_TABLE),
  email: emailProvider({ from: config.CHAPAR_FROM_EMAIL }),
  templates: templateFile,
  verifiedSender: config.CHAPAR_SMS_SENDER,
  abuseEmail: config.CHAPAR_ABUSE_EMAIL,
  windowMs: config.CHAPAR_ABUSE_DIGEST_MINUTES * 60_000,
  now: () => new Date(),
};

/** Every minute: emails each spoofing line's waiting reports, at most once per line per window. */
export const handler = middy<{ scheduledTime?: string }, AbuseDigestRun>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const run = await sendAbuseDigests(deps);
    if (run.digests > 0 || run.waiting > 0)
      logger.info('Abuse digests', { ...run, scheduledTime: event.scheduledTime });
    return run;
  });
