import { json, pathParameter } from '../../../shared/http/respond';
import {
  campaignTimeline,
  type InsightsDeps,
  listReports,
  overview,
} from '../../../shared/use-cases/insights';
import type { Routes } from './types';

/** Read models for the console: spoof reports, a campaign's timeline, the dashboard. */
export function insightRoutes(deps: InsightsDeps): Routes {
  return {
    'GET /v1/reports': async (event) => json(200, await listReports(deps, event.queryStringParameters)),
    'GET /v1/campaigns/{campaignId}/timeline': async (event) =>
      json(200, await campaignTimeline(deps, pathParameter(event, 'campaignId'))),
    'GET /v1/overview': async () => json(200, await overview(deps)),
  };
}
