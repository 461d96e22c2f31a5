import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { consentStore, contactStore, secretSource, tokenKeyring } from '../../shared/adapters/factory';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { readConfig } from '../../shared/config';
import { httpErrors } from '../../shared/http/middleware';
import { type HttpResult, header, html, pathParameter, rawBody } from '../../shared/http/respond';
import { createLogger } from '../../shared/observability';
import { resolveToken, unsubscribe } from '../../shared/use-cases/unsubscribe';
import { confirmPage, donePage, invalidLinkPage } from '../../shared/use-cases/unsubscribe-pages';

const config = readConfig(['CONTACTS_TABLE', 'CONSENT_TABLE', 'TOKEN_KEYS_SECRET_ID']);
const logger = createLogger();
const deps = {
  contacts: contactStore(config.CONTACTS_TABLE),
  consent: consentStore(config.CONSENT_TABLE),
  keyring: tokenKeyring(secretSource(), config.TOKEN_KEYS_SECRET_ID),
  now: () => new Date(),
};

async function show(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const { claims, contact } = await resolveToken(deps, pathParameter(event, 'token'));
  const action = event.rawPath;
  return html(
    200,
    confirmPage(templateFile, {
      locale: contact.locale,
      channel: claims.channel,
      topic: claims.topic,
      action,
    }),
  );
}

async function confirm(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const form = new URLSearchParams(rawBody(event));
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  const scope = !oneClick && form.get('scope') === 'all' ? 'all' : 'topic';
  const userAgent = header(event, 'user-agent');
  const { claims, contact } = await unsubscribe(deps, {
    token: pathParameter(event, 'token'),
    scope,
    source: oneClick ? 'one-click' : 'link',
    ...(userAgent ? { userAgent } : {}),
    sourceIp: event.requestContext.http.sourceIp,
  });
  logger.info('Opt-out recorded', {
    source: oneClick ? 'one-click' : 'link',
    scope,
    channel: claims.channel,
  });
  return html(
    200,
    donePage(templateFile, { locale: contact.locale, channel: claims.channel, topic: claims.topic, scope }),
  );
}

/**
 * Public unsubscribe pages. GET only shows a confirm page (link scanners follow links); POST
 * records the opt-out, including RFC 8058's one-click body, and never answers with a redirect.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpErrors(logger, (status) => html(status, invalidLinkPage(templateFile))))
  .handler(async (event) => (event.requestContext.http.method === 'POST' ? confirm(event) : show(event)));
