import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from './context';

/**
 * API Gateway HTTP API's payload format 2.0 on both sides of a local function: the request
 * as the event a function receives, and the function's result as the response API Gateway
 * would send.
 */

/** A response ready to write. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

const API_ID = 'local';

// AWS does not list them; HTTP APIs have been observed to pass only these as text. Everything
// else, application/x-www-form-urlencoded and a missing Content-Type included, is base64-encoded.
const TEXT_TYPES = /^(text\/[^;]+|application\/(json|xml|javascript))\s*(;|$)/i;

/** The route a request matched: its key, and its path parameters when it has any. */
export interface MatchedRoute {
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

/** HTTP request -> API Gateway HTTP API event, payload format 2.0. */
export function toEvent(
  request: IncomingMessage,
  url: URL,
  match: MatchedRoute,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values === undefined) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(';')).map((cookie) => cookie.trim());
      continue;
    }
    headers[name] = values.join(',');
  }
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';

  const rawQueryString = (request.url ?? '').split('?').slice(1).join('?');
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  }
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const rawPath = url.pathname.split('/').map(decode).join('/');
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(match.pathParameters === undefined ? {} : { pathParameters: match.pathParameters }),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: API_ID,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(11).toString('base64'),
      routeKey: match.routeKey,
      stage: '$default',
      time: formatTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length === 0 ? {} : { body: isText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** Lambda proxy result -> HTTP, as API Gateway reads payload format 2.0; undefined if malformed. */
export function toAnswer(result: unknown, requestId: string): HttpAnswer | undefined {
  if (typeof result === 'string') return textAnswer(200, 'application/json', result, requestId);
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return textAnswer(200, 'application/json', JSON.stringify(result ?? null), requestId);
  }
  const {
    statusCode,
    headers = {},
    cookies = [],
    body = '',
    isBase64Encoded = false,
  } = result as Record<string, unknown>;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return undefined;
  }
  if (
    typeof headers !== 'object' ||
    headers === null ||
    typeof body !== 'string' ||
    !Array.isArray(cookies)
  ) {
    return undefined;
  }
  const answerHeaders: Record<string, string> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(headers)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) return undefined;
    answerHeaders[name.toLowerCase()] = String(value);
  }
  if (!cookies.every((cookie) => typeof cookie === 'string')) return undefined;
  return {
    status: statusCode,
    headers: answerHeaders,
    cookies: cookies as string[],
    body: Buffer.from(body, isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}

export function jsonAnswer(status: number, body: unknown, requestId?: string): HttpAnswer {
  return textAnswer(status, 'application/json', JSON.stringify(body), requestId);
}

function textAnswer(status: number, contentType: string, body: string, requestId?: string): HttpAnswer {
  return {
    status,
    headers: {
      'content-type': contentType,
      ...(requestId === undefined ? {} : { 'apigw-requestid': requestId }),
    },
    cookies: [],
    body: Buffer.from(body, 'utf8'),
  };
}

export function write(response: ServerResponse, answer: HttpAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (answer.cookies.length > 0) response.setHeader('set-cookie', [...answer.cookies]);
  response.setHeader('content-length', answer.body.length);
  response.writeHead(answer.status);
  response.end(answer.body);
}

/** A path segment percent-decoded, or as it came when its encoding is malformed. */
export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestContext.time: `12/Mar/2020:19:03:58 +0000`. */
function formatTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const month = MONTHS[date.getUTCMonth()] ?? 'Jan';
  return `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}
