import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { campaignStore, contactStore, secretSource, workQueue } from '../../shared/adapters/factory';
import { readConfig } from '../../shared/config';
import type { Campaign, CampaignStats } from '../../shared/domain/campaign';
import { NotFoundError } from '../../shared/domain/errors';
import type { Contact } from '../../shared/domain/types';
import { httpErrors, requireApiKey } from '../../shared/http/middleware';
import { type HttpResult, json, jsonBody, pathParameter } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import {
  cancelCampaign,
  createCampaign,
  getCampaign,
  resumeCampaign,
} from '../../shared/use-cases/campaigns';
import { upsertContact } from '../../shared/use-cases/upsert-contact';

const config = readConfig(['CONTACTS_TABLE', 'CAMPAIGNS_TABLE', 'DISPATCH_QUEUE_URL', 'API_KEY_SECRET_ID']);
const logger = createLogger();
const secrets = secretSource();
const now = () => new Date();
const contacts = contactStore(config.CONTACTS_TABLE);
const campaigns = campaignStore(config.CAMPAIGNS_TABLE);
const queue = workQueue({ dispatch: config.DISPATCH_QUEUE_URL });
/** How long a dispatch page may take before the sweep revives the chain. */
const DISPATCH_LEASE_MS = 2 * 60 * 1000;

/** The contact as the API shows it: the token ref stays internal. */
function contactView({ ref: _ref, ...contact }: Contact) {
  return contact;
}

function campaignView(campaign: Campaign, stats?: CampaignStats) {
  const {
    audience: _audience,
    dispatchCursor: _cursor,
    round: _round,
    sms: _sms,
    email: _email,
    ...view
  } = campaign;
  return stats ? { ...view, stats } : view;
}

const routes: Record<string, (event: APIGatewayProxyEventV2) => Promise<HttpResult>> = {
  'PUT /v1/contacts/{contactId}': async (event) =>
    json(
      200,
      contactView(await upsertContact({ contacts, now }, pathParameter(event, 'contactId'), jsonBody(event))),
    ),
  'GET /v1/contacts/{contactId}': async (event) => {
    const id = pathParameter(event, 'contactId');
    const contact = await contacts.get(id);
    if (!contact) throw new NotFoundError(`Contact ${id} not found`);
    return json(200, contactView(contact));
  },
  'POST /v1/campaigns': async (event) => {
    const campaign = await createCampaign({ campaigns, queue, now }, jsonBody(event));
    return json(201, { id: campaign.id, status: campaign.status, sendAt: campaign.sendAt });
  },
  'GET /v1/campaigns/{campaignId}': async (event) => {
    const { campaign, stats } = await getCampaign({ campaigns }, pathParameter(event, 'campaignId'));
    return json(200, campaignView(campaign, stats));
  },
  'POST /v1/campaigns/{campaignId}/resume': async (event) => {
    const campaign = await resumeCampaign(
      { campaigns, queue, now },
      pathParameter(event, 'campaignId'),
      DISPATCH_LEASE_MS,
    );
    return json(200, { id: campaign.id, status: campaign.status });
  },
  'POST /v1/campaigns/{campaignId}/cancel': async (event) => {
    const campaign = await cancelCampaign({ campaigns, now }, pathParameter(event, 'campaignId'));
    return json(200, { id: campaign.id, status: campaign.status });
  },
};

/** Marketer API: contacts and campaigns, behind the bearer API key. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpErrors(logger))
  .use(requireApiKey(secrets, config.API_KEY_SECRET_ID))
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
    return route(event);
  });
