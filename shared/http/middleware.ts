import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpMethod } from '../definitions/routes';
import { UnauthorizedError } from '../domain/errors';
import { requiredRole } from '../domain/roles';
import { type AuthenticateDeps, assertRole, authenticate, type Principal } from '../use-cases/authenticate';
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

/**
 * Authenticates every request (Cognito access token, API key or the bootstrap key) and checks the
 * role its route needs (shared/domain/roles.ts): 401 without valid credentials, 403 naming the
 * role otherwise. The principal is left on `request.context.principal`.
 */
export function requireRole(deps: AuthenticateDeps): HttpMiddleware {
  return {
    before: async (request) => {
      const { method, path } = routeOf(request.event.routeKey);
      const principal = await authenticate(deps, header(request.event, 'authorization'));
      assertRole(principal, requiredRole(method, path));
      (request.context as unknown as { principal?: Principal }).principal = principal;
    },
  };
}

function routeOf(routeKey: string): { method: HttpMethod; path: string } {
  const [method = '', path = ''] = routeKey.split(' ');
  if (!HTTP_METHODS.has(method)) throw new UnauthorizedError(`No route ${routeKey}`);
  return { method: method as HttpMethod, path };
}

const HTTP_METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
