import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  accessTokenVerifier,
  apiKeyStore,
  campaignStore,
  consentStore,
  contactSearch,
  contactStore,
  emailProvider,
  erasureKey,
  importFiles,
  importStore,
  insightsStore,
  kavenegarClient,
  kavenegarRateOf,
  linkKey,
  linkStore,
  listStore,
  messageStore,
  personalDataStore,
  rateLimitedSms,
  reportStore,
  secretSource,
  segmentStore,
  smsProviderAccount,
  suppressionStore,
  templateStore,
  testSendGuard,
  tokenKeyring,
  transactionalQueue,
  userDirectory,
  workQueue,
} from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { functions } from '../../shared/definitions/functions';
import { NotFoundError } from '../../shared/domain/errors';
import { platformFacts } from '../../shared/domain/platform-facts';
import { deferUntil, parseQuietHours } from '../../shared/domain/quiet-hours';
import { smsLayout } from '../../shared/domain/sms-text';
import { httpErrors, requireRole } from '../../shared/http/middleware';
import type { HttpResult } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import { accessRoutes } from './routes/access';
import { campaignTestRoutes } from './routes/campaign-tests';
import { campaignRoutes } from './routes/campaigns';
import { contactRoutes } from './routes/contacts';
import { importRoutes } from './routes/imports';
import { insightRoutes } from './routes/insights';
import { listRoutes } from './routes/lists';
import { messageRoutes } from './routes/messages';
import { segmentRoutes } from './routes/segments';
import { settingsRoutes } from './routes/settings';
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
const messages = messageStore(config.MESSAGES_TABLE);
const apiKeys = apiKeyStore(config.API_KEYS_TABLE);
const templates = templateStore(config.TEMPLATES_TABLE);
const layout = smsLayout({
  publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
  optOutSuffix: config.CHAPAR_SMS_OPT_OUT_SUFFIX,
});
const reach = {
  contacts,
  lists,
  segments,
  consent,
  addressSuppressions: { suppressions, erasureKey: keyOfErasure },
};
const kavenegar = kavenegarClient(secrets, {
  baseUrl: config.KAVENEGAR_BASE_URL,
  timeoutMs: config.KAVENEGAR_TIMEOUT_MS,
  apiKeySecretId: config.KAVENEGAR_API_KEY_SECRET_ID,
});
// Test sends spend the senders' SMS rate (the same item) and leave from the same one line; a
// test that cannot get its budget well inside the API's own timeout fails, unsent.
const providerAccount = smsProviderAccount(kavenegar);
const quietHours = parseQuietHours(config.CHAPAR_QUIET_HOURS);
// Test copies are marketing traffic: they leave the transactional share free, as campaigns do.
const testSms = rateLimitedSms(kavenegar, config.CHAPAR_SMS_SENDER, {
  ...kavenegarRateOf(config, functions['http-api'].timeoutSeconds * 1000),
  maxWaitMs: 4_000,
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
    messages,
  }),
  ...listRoutes({ lists, contacts, now }),
  ...segmentRoutes({ segments, lists, contacts, consent, now }),
  ...campaignRoutes({
    campaigns,
    queue,
    now,
    audiences: { lists, segments },
    quietHours,
    reach,
    smsLayout: layout,
    cost: {
      account: providerAccount,
      priceRial: config.CHAPAR_SMS_PRICE_RIAL,
      smsLayout: layout,
      reach,
    },
    templates,
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
  ...campaignTestRoutes({
    campaigns,
    contacts,
    search: contactSearch(config.CONTACTS_TABLE),
    consent,
    suppressions,
    erasureKey: keyOfErasure,
    sms: testSms,
    email: emailProvider({ from: config.CHAPAR_FROM_EMAIL }),
    links: linkStore(config.LINKS_TABLE, linkKey(secrets, config.TOKEN_KEYS_SECRET_ID)),
    layout,
    keyring: tokenKeyring(secrets, config.TOKEN_KEYS_SECRET_ID),
    publicBaseUrl: config.CHAPAR_PUBLIC_BASE_URL,
    templates: templateFile,
    guard: testSendGuard(config.IDEMPOTENCY_TABLE),
    quietUntil: (at) => deferUntil(quietHours, at),
    now,
  }),
  ...messageRoutes({
    messages,
    contacts,
    queue: transactionalQueue(config.TRANSACTIONAL_QUEUE_URL),
    suppressions,
    erasureKey: keyOfErasure,
    now,
    retentionDays: config.CHAPAR_MESSAGE_RETENTION_DAYS,
    // The templates area's store: a templateId renders its current version in the locale.
    templates,
  }),
  ...importRoutes({
    imports: importStore(config.IMPORTS_TABLE),
    files: importFiles(config.IMPORTS_BUCKET),
    now,
    lists,
  }),
  ...insightRoutes({
    insights: insightsStore({
      campaigns: config.CAMPAIGNS_TABLE,
      consent: config.CONSENT_TABLE,
      reports: config.REPORTS_TABLE,
    }),
    reports: reportStore(config.REPORTS_TABLE),
    campaigns,
    now,
    // Kavenegar's account/info through the same 30-second cache as pre-flight cost.
    smsCredit: { smsCreditRial: async () => (await providerAccount.smsCredit()).rial },
  }),
  ...settingsRoutes(() =>
    platformFacts(
      {
        smsSender: config.CHAPAR_SMS_SENDER,
        quietHours,
        smsRate: config.CHAPAR_SMS_RATE,
        transactionalShare: config.CHAPAR_SMS_TRANSACTIONAL_SHARE,
        fromEmail: config.CHAPAR_FROM_EMAIL,
      },
      now(),
    ),
  ),
  ...accessRoutes({ apiKeys, users: userDirectory(config.COGNITO_USER_POOL_ID), now }),
};

/**
 * Marketer API: contacts (search, consent, export, erasure), lists, segments, templates, campaigns
 * (pre-flight cost, test sends), transactional messages, insights, settings, API keys and users;
 * every route behind a sign-in or an API key with the role it needs.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  // Never log the raw event: its path, headers or body carry tokens, keys or the callback secret.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(httpErrors(logger))
  .use(
    requireRole({
      tokens: accessTokenVerifier({ issuer: config.COGNITO_ISSUER, clientId: config.COGNITO_CLIENT_ID }),
      apiKeys,
      bootstrapKey: () => secrets.getSecret(config.API_KEY_SECRET_ID),
      now,
    }),
  )
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
    return route(event);
  });
