import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { secretsEqual } from '../domain/constant-time';
import { UnauthorizedError } from '../domain/errors';
import type { SecretSource } from '../ports';
import { errorBody, type HttpResult, header, json } from './respond';

type HttpMiddleware = MiddlewareObj<APIGatewayProxyEventV2, HttpResult>;

/**
 * Turns every error into a response: 4xx with its message, 5xx with nothing internal. One log
 * line where the error is handled; 5xx with the error, 4xx as a warning without the body.
 */
export function httpErrors(
  logger: Logger,
  render: (status: number, body: Record<string, unknown>) => HttpResult = json,
): HttpMiddleware {
  return {
    onError: async (request) => {
      const { status, body } = errorBody(request.error);
      if (status >= 500) logger.error('Request failed', { status, error: request.error as Error });
      else logger.warn('Request refused', { status, reason: body.message, route: request.event.routeKey });
      request.response = render(status, body);
    },
  };
}

/** Requires `Authorization: Bearer <key>` matching the API key secret, compared in constant time. */
export function requireApiKey(secrets: SecretSource, secretId: string): HttpMiddleware {
  return {
    before: async (request) => {
      const given = /^Bearer\s+(\S+)$/i.exec(header(request.event, 'authorization') ?? '')?.[1];
      if (!given) throw new UnauthorizedError('Missing API key: send Authorization: Bearer <key>');
      const expected = await secrets.getSecret(secretId);
      if (!secretsEqual(given, expected)) throw new UnauthorizedError('Invalid API key');
    },
  };
}
