import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ChaparError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';

export type HttpResult = APIGatewayProxyStructuredResultV2;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function json(statusCode: number, body: unknown): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS },
    body: JSON.stringify(body),
  };
}

export function html(statusCode: number, body: string): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      ...SECURITY_HEADERS,
    },
    body,
  };
}

/** The HTTP status of an error: the one place Chapar's errors meet HTTP. */
export function statusOf(error: unknown): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof PayloadTooLargeError) return 413;
  if (error instanceof UnsupportedMediaTypeError) return 415;
  if (error instanceof ProviderError && error.retryable) return 503;
  return 500;
}

/** A JSON error body: the message for 4xx; nothing internal for 5xx (middy's expose rule). */
export function errorBody(error: unknown): { status: number; body: Record<string, unknown> } {
  const status = statusOf(error);
  if (status >= 500) {
    const message = status === 503 ? 'A provider is unavailable; please retry later' : 'Internal error';
    return { status, body: { message } };
  }
  const message = error instanceof ChaparError ? error.message : 'Bad request';
  const issues = error instanceof ValidationError && error.issues.length > 0 ? { issues: error.issues } : {};
  // A 403 names the role needed in a field too, for a client to show or to hide what it cannot do.
  const needed = error instanceof ForbiddenError ? error.context.needed : undefined;
  const role = typeof needed === 'string' ? { requiredRole: needed } : {};
  return { status, body: { message, ...issues, ...role } };
}

/** A header by name, whatever its case. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * A path parameter, or a 400 when API Gateway did not give it. API Gateway has already
 * percent-decoded it once; decoding again would turn a literal `%2B` into `+`.
 */
export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new ValidationError(`Missing path parameter ${name}`);
  return value;
}
