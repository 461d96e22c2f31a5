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
  listStore,
  messageStore,
  personalDataStore,
  secretSource,
  segmentStore,
  suppressionStore,
  transactionalQueue,
  workQueue,
} from '../../shared/adapters/factory';
import { readFunctionConfig } from '../../shared/config';
import { NotFoundError } from '../../shared/domain/errors';
import { smsLayout } from '../../shared/domain/sms-text';
import { httpErrors, requireApiKey } from '../../shared/http/middleware';
import type { HttpResult } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import { campaignRoutes } from './routes/campaigns';
import { contactRoutes } from './routes/contacts';
import { importRoutes } from './routes/imports';
import { listRoutes } from './routes/lists';
import { messageRoutes } from './routes/messages';
import { segmentRoutes } from './routes/segments';
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
const messages = messageStore(config.MESSAGES_TABLE);

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
    messages,
  }),
  ...listRoutes({ lists, contacts, now }),
  ...segmentRoutes({ segments, lists, contacts, consent, now }),
  ...campaignRoutes({
    campaigns,
    queue,
    now,
    audiences: { lists, segments },
    reach: {
      contacts,
      lists,
      segments,
      consent,
      addressSuppressions: { suppressions, erasureKey: keyOfErasure },
    },
    smsLayout: smsLayout({
      publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
      optOutSuffix: config.CHAPAR_SMS_OPT_OUT_SUFFIX,
    }),
  }),
  ...messageRoutes({
    messages,
    contacts,
    queue: transactionalQueue(config.TRANSACTIONAL_QUEUE_URL),
    suppressions,
    erasureKey: keyOfErasure,
    now,
    retentionDays: config.CHAPAR_MESSAGE_RETENTION_DAYS,
    // Templates come from the templates area once it is merged (a MessageTemplates store).
  }),
  ...importRoutes({
    imports: importStore(config.IMPORTS_TABLE),
    files: importFiles(config.IMPORTS_BUCKET),
    now,
    lists,
  }),
};

/** Marketer API: contacts (search, consent, export, erasure), lists, segments, campaigns and transactional messages, behind the bearer API key. */
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
