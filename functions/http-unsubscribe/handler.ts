import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  consentStore,
  contactStore,
  erasureKey,
  linkStore,
  secretSource,
  suppressionStore,
  tokenKeyring,
} from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readFunctionConfig } from '../../shared/config';
import { ALL_TOPICS } from '../../shared/domain/types';
import { BODY_LIMITS, formBody } from '../../shared/http/body';
import { httpErrors } from '../../shared/http/middleware';
import { type HttpResult, header, html, pathParameter } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import {
  changeConsent,
  openLink,
  readChoice,
  readPreferences,
  type UnsubscribeLink,
} from '../../shared/use-cases/unsubscribe';
import {
  errorPage,
  invalidLinkPage,
  notOfferedPage,
  preferenceCentrePage,
} from '../../shared/use-cases/unsubscribe-pages';

const config = readFunctionConfig('http-unsubscribe');
const logger = createLogger();
const deps = {
  contacts: contactStore(config.CONTACTS_TABLE),
  consent: consentStore(config.CONSENT_TABLE),
  links: linkStore(config.LINKS_TABLE),
  keyring: tokenKeyring(secretSource(), config.TOKEN_KEYS_SECRET_ID),
  now: () => new Date(),
  addressSuppressions: {
    suppressions: suppressionStore(config.SUPPRESSIONS_TABLE),
    erasureKey: erasureKey(secretSource(), config.ERASURE_KEY_SECRET_ID),
    now: () => new Date(),
  },
};

/** `/u/{token}` carries a signed token, `/s/{code}` a short SMS code. */
function linkOf(event: APIGatewayProxyEventV2): UnsubscribeLink {
  return event.pathParameters?.code !== undefined
    ? { code: pathParameter(event, 'code') }
    : { token: pathParameter(event, 'token') };
}

async function show(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const link = await openLink(deps, linkOf(event));
  const preferences = await readPreferences(deps, link);
  return html(
    200,
    preferenceCentrePage(templateFile, { locale: link.contact.locale, action: event.rawPath, preferences }),
  );
}

async function change(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  // The body first: an oversized one is refused before the link costs a secret and a read.
  const form = await formBody(event, { maxBytes: BODY_LIMITS.unsubscribeForm });
  const link = await openLink(deps, linkOf(event));
  const choice = readChoice(form, link.claims.topic);
  const userAgent = header(event, 'user-agent');
  const outcome = await changeConsent(deps, link, choice, {
    ...(userAgent ? { userAgent } : {}),
    sourceIp: event.requestContext.http.sourceIp,
  });
  const page = { locale: link.contact.locale, action: event.rawPath };
  if (!outcome.recorded) {
    logger.warn('Consent change refused: not offered', { channel: link.claims.channel });
    return html(400, notOfferedPage(templateFile, page));
  }
  logger.info('Consent change recorded', {
    action: outcome.choice.action,
    source: outcome.choice.source,
    channel: link.claims.channel,
    allTopics: outcome.choice.topic === ALL_TOPICS,
  });
  return html(
    200,
    preferenceCentrePage(templateFile, {
      ...page,
      preferences: outcome.preferences,
      changed: outcome.choice,
    }),
  );
}

/**
 * The public preference centre behind unsubscribe links. GET only shows it (link scanners
 * follow links); POST records one change, including RFC 8058's one-click body, and answers
 * with a page, never a redirect.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  // Never log the raw event: its path, headers or body carry tokens, keys or the callback secret.
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(
    httpErrors(logger, (status) =>
      html(status, status >= 500 ? errorPage(templateFile) : invalidLinkPage(templateFile)),
    ),
  )
  .handler(async (event) => (event.requestContext.http.method === 'POST' ? change(event) : show(event)));
