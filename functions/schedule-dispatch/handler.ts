import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { campaignStore, workQueue } from '../../shared/adapters/factory';
import { readFunctionConfig } from '../../shared/config';
import { createLogger } from '../../shared/observability';
import { dispatchDueCampaigns } from '../../shared/use-cases/campaigns';

const config = readFunctionConfig('schedule-dispatch');
const logger = createLogger();
const deps = {
  campaigns: campaignStore(config.CAMPAIGNS_TABLE),
  queue: workQueue({ dispatch: config.DISPATCH_QUEUE_URL }),
  now: () => new Date(),
};

/** The input EventBridge Scheduler sends (see infra/ and local/lambda/scheduler.ts). */
interface ScheduleInput {
  readonly schedule?: string;
  readonly scheduledTime?: string;
}

/** Every minute: hands due campaigns to the dispatcher and revives stalled dispatches. */
export const handler = middy<ScheduleInput, { dispatched: number }>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const dispatched = await dispatchDueCampaigns(deps);
    if (dispatched > 0)
      logger.info('Dispatched due campaigns', { dispatched, scheduledTime: event.scheduledTime });
    return { dispatched };
  });
