import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  campaignStore,
  consentStore,
  contactSearch,
  contactStore,
  erasureKey,
  importFiles,
  importStore,
  insightsStore,
  listStore,
  personalDataStore,
  reportStore,
  secretSource,
  segmentStore,
  suppressionStore,
  templateStore,
  workQueue,
} from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { NotFoundError } from '../../shared/domain/errors';
import { parseQuietHours } from '../../shared/domain/quiet-hours';
import { smsLayout } from '../../shared/domain/sms-text';
import { httpErrors, requireApiKey } from '../../shared/http/middleware';
import type { HttpResult } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import { campaignRoutes } from './routes/campaigns';
import { contactRoutes } from './routes/contacts';
import { importRoutes } from './routes/imports';
import { insightRoutes } from './routes/insights';
import { listRoutes } from './routes/lists';
import { segmentRoutes } from './routes/segments';
import { templateRoutes } from './routes/templates';
import type { Routes } from './routes/types';

const config = readFunctionConfig('http-api');
const logger = createLogger();
const secrets = secretSource();
const now = () => new Date();
const contacts = contactStore(config.CONTACTS_TABLE);
const campaigns = campaignStore(config.CAMPAIGNS_TABLE);
const queue = workQueue({ dispatch: config.DISPATCH_QUEUE_URL });
const personalData = personalDataStore({
  contacts: config.CONTACTS_TABLE,
  consent: config.CONSENT_TABLE,
  deliveries: config.DELIVERIES_TABLE,
  reports: config.REPORTS_TABLE,
});

const consent = consentStore(config.CONSENT_TABLE);
const suppressions = suppressionStore(config.SUPPRESSIONS_TABLE);
const keyOfErasure = erasureKey(secrets, config.ERASURE_KEY_SECRET_ID);
const lists = listStore(config.AUDIENCES_TABLE);
const segments = segmentStore(config.AUDIENCES_TABLE);
const templates = templateStore(config.TEMPLATES_TABLE);
const layout = smsLayout({
  publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  optOutSuffix: config.CHAPAR_SMS_OPT_OUT_SUFFIX,
});

const routes: Routes = {
  ...contactRoutes({
    contacts,
    consent,
    suppressions,
    personalData,
    erasureKey: keyOfErasure,
    now,
    search: contactSearch(config.CONTACTS_TABLE),
    lists,
  }),
  ...listRoutes({ lists, contacts, now }),
  ...segmentRoutes({ segments, lists, contacts, consent, now }),
  ...campaignRoutes({
    campaigns,
    queue,
    now,
    audiences: { lists, segments },
    quietHours: parseQuietHours(config.CHAPAR_QUIET_HOURS),
    reach: {
      contacts,
      lists,
      segments,
      consent,
      addressSuppressions: { suppressions, erasureKey: keyOfErasure },
    },
    templates,
    smsLayout: layout,
  }),
  ...templateRoutes({
    templates,
    campaigns,
    contacts,
    now,
    smsLayout: layout,
    files: templateFile,
    publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  }),
  ...importRoutes({
    imports: importStore(config.IMPORTS_TABLE),
    files: importFiles(config.IMPORTS_BUCKET),
    now,
    lists,
  }),
  // smsCredit (Kavenegar account/info) is left to the preflight work; the overview answers null.
  ...insightRoutes({
    insights: insightsStore({
      campaigns: config.CAMPAIGNS_TABLE,
      consent: config.CONSENT_TABLE,
      reports: config.REPORTS_TABLE,
    }),
    reports: reportStore(config.REPORTS_TABLE),
    campaigns,
    now,
  }),
};

/** Marketer API: contacts (search, consent, export, erasure), lists, segments, templates and campaigns, behind the bearer API key. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  // Never log the raw event: its path, headers or body carry tokens, keys or the callback secret.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(httpErrors(logger))
  .use(requireApiKey(secrets, config.API_KEY_SECRET_ID))
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
    return route(event);
  });
