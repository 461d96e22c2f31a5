import { jsonBody } from '../../../shared/http/body';
import { json, pathParameter } from '../../../shared/http/respond';
import { type CampaignTestDeps, sendCampaignTest } from '../../../shared/use-cases/campaign-tests';
import { API_BODY, type Routes } from './types';

/** Marketer routes that try a campaign on a few people before it goes out. */
export function campaignTestRoutes(deps: CampaignTestDeps): Routes {
  return {
    'POST /v1/campaigns/{campaignId}/test': async (event) => {
      const results = await sendCampaignTest(
        deps,
        pathParameter(event, 'campaignId'),
        jsonBody(event, API_BODY),
      );
      return json(202, { results });
    },
  };
}
