import type { Context } from 'aws-lambda';
import { type ApiHandler, callApi } from '../consent/api';

export type { ApiHandler };

/**
 * Calls the http-api handler for `routeKey` as API Gateway would, with a query string when
 * given (test/integration/consent/api.ts builds the event; the query is added to it here).
 */
export async function call<T = Record<string, unknown>>(
  handler: ApiHandler,
  routeKey: string,
  options: { path?: Record<string, string>; json?: unknown; query?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const withQuery: ApiHandler = (event, context: Context) =>
    handler(
      options.query
        ? {
            ...event,
            rawQueryString: new URLSearchParams(options.query).toString(),
            queryStringParameters: options.query,
          }
        : event,
      context,
    );
  return callApi<T>(
    withQuery,
    routeKey,
    options.path ?? {},
    options.json === undefined ? {} : { json: options.json },
  );
}
