import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routes as definedRoutes, type RouteDefinition } from '../../shared/definitions';
import { listen } from '../http-listen';
import { LOCAL_ACCOUNT_ID } from './context';
import { type HandlerSource, invokeFunction } from './functions';

/** How to start the HTTP gateway. */
export interface HttpGatewayOptions {
  readonly handlers: HandlerSource;
  readonly region: string;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Default 3000; 0 = any free port. */
  readonly port?: number;
  /** Default: `routes` from shared/definitions.ts. */
  readonly routes?: readonly RouteDefinition[];
  /** Until it returns true, /health and every route answer 503. Default: always ready. */
  readonly isReady?: () => boolean;
}

/** A running HTTP gateway. */
export interface HttpGateway {
  /** e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests and waits for those in flight; safe to call twice. */
  end(): Promise<void>;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly routeKey: string;
  readonly pattern: RegExp;
  readonly parameters: readonly string[];
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const API_ID = 'local';

// AWS does not list them; HTTP APIs have been observed to pass only these as text. Everything
// else, application/x-www-form-urlencoded and a missing Content-Type included, is base64-encoded.
const TEXT_TYPES = /^(text\/[^;]+|application\/(json|xml|javascript))\s*(;|$)/i;

/**
 * Starts a node:http server that plays API Gateway (HTTP API, payload format 2.0): each
 * request matching a route of shared/definitions.ts becomes a v2 event for the route's
 * function, and the function's result (structured or plain) becomes the response. Also
 * answers GET /health (local only, no key).
 */
export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  const compiled = compileRoutes(options.routes ?? definedRoutes);
  const isReady = options.isReady ?? (() => true);

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[http-gateway] could not answer a request:', error);
      if (!response.headersSent) write(response, jsonAnswer(500, { message: 'Internal Server Error' }));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway.local');
    if (request.method === 'GET' && url.pathname === '/health') {
      write(
        response,
        isReady() ? jsonAnswer(200, { status: 'ok' }) : jsonAnswer(503, { status: 'starting' }),
      );
      return;
    }
    if (!isReady()) {
      write(response, jsonAnswer(503, { message: 'Service Unavailable' }));
      return;
    }
    const match = matchRoute(compiled, request.method ?? 'GET', url.pathname);
    if (match === undefined) {
      request.resume();
      write(response, jsonAnswer(404, { message: 'Not Found' }));
      return;
    }
    const body = await readBody(request);
    if (body === 'too-large') {
      response.setHeader('connection', 'close');
      write(response, jsonAnswer(413, { message: 'Request Entity Too Large' }));
      return;
    }
    const event = toEvent(request, url, match, body);
    let result: unknown;
    try {
      result = await invokeFunction(options.handlers, match.route.route.function, event, {
        region: options.region,
      });
    } catch (error) {
      console.error(`[http-gateway] ${match.route.routeKey} -> ${match.route.route.function} failed:`, error);
      write(response, jsonAnswer(500, { message: 'Internal Server Error' }, event.requestContext.requestId));
      return;
    }
    const answer = toAnswer(result, event.requestContext.requestId);
    if (answer === undefined) {
      console.error(`[http-gateway] ${match.route.routeKey}: malformed Lambda proxy response`, result);
      write(response, jsonAnswer(500, { message: 'Internal Server Error' }, event.requestContext.requestId));
      return;
    }
    write(response, answer);
  }

  // Requests in flight finish on stop; only idle keep-alive connections are dropped.
  const listening = await listen(server, host, options.port ?? 3000, 'HTTP gateway', 'idle');
  return { url: listening.url, port: listening.port, end: listening.close };
}

function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  const compiled = routes.map((route) => {
    const parameters: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const parameter = /^\{(\w+)(\+)?\}$/.exec(segment);
        if (parameter?.[1] === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        parameters.push(parameter[1]);
        return parameter[2] === '+' ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return {
      route,
      routeKey: `${route.method} ${route.path}`,
      pattern: new RegExp(`^${source}$`),
      parameters,
    };
  });
  // API Gateway prefers the most specific route: fewer parameters first.
  return compiled.toSorted((a, b) => a.parameters.length - b.parameters.length);
}

function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (found === null) continue;
    const pathParameters: Record<string, string> = {};
    route.parameters.forEach((name, index) => {
      pathParameters[name] = decode(found[index + 1] ?? '');
    });
    return { route, pathParameters };
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    request.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      request.resume();
      return 'too-large';
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  match: { route: CompiledRoute; pathParameters: Record<string, string> },
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
    routeKey: match.route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(match.route.parameters.length === 0 ? {} : { pathParameters: match.pathParameters }),
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
      routeKey: match.route.routeKey,
      stage: '$default',
      time: formatTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length === 0 ? {} : { body: isText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** Lambda proxy result -> HTTP, as API Gateway reads payload format 2.0; undefined if malformed. */
function toAnswer(result: unknown, requestId: string): HttpAnswer | undefined {
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

function jsonAnswer(status: number, body: unknown, requestId?: string): HttpAnswer {
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

function write(response: ServerResponse, answer: HttpAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (answer.cookies.length > 0) response.setHeader('set-cookie', [...answer.cookies]);
  response.setHeader('content-length', answer.body.length);
  response.writeHead(answer.status);
  response.end(answer.body);
}

function decode(segment: string): string {
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
