import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  routes as definedRoutes,
  type QueueRouteDefinition,
  type RouteDefinition,
} from '../../shared/definitions';
import { listen } from '../http-listen';
import { type HandlerSource, invokeFunction } from './functions';
import { decode, jsonAnswer, toAnswer, toEvent, write } from './http-payload';

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
  /**
   * Routes API Gateway serves by sending the request to a queue (SQS-SendMessage): the body as
   * the message body and the route's path attributes as message attributes. Default: none.
   */
  readonly queueRoutes?: readonly QueueRoute[];
  /** A static site under its own path (the console), served before the routes as CloudFront would. */
  readonly site?: { serve(request: IncomingMessage, response: ServerResponse, url: URL): boolean };
}

/** A queue route and how to send its requests to the queue. */
export interface QueueRoute {
  readonly definition: QueueRouteDefinition;
  readonly send: (body: string, attributes: Readonly<Record<string, string>>) => Promise<void>;
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

/** API Gateway's payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Starts a node:http server that plays API Gateway (HTTP API, payload format 2.0): each
 * request matching a route of shared/definitions.ts becomes a v2 event for the route's
 * function, and the function's result (structured or plain) becomes the response. Also
 * answers GET /health (local only, no key).
 */
export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const host = options.host ?? '127.0.0.1';
  const compiled = compileRoutes(options.routes ?? definedRoutes);
  const queueRoutes = (options.queueRoutes ?? []).map((queueRoute) => ({
    queueRoute,
    ...compilePath(queueRoute.definition.path),
  }));
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
    if (options.site?.serve(request, response, url)) return;
    const queued = queueRoutes.find(
      (route) => route.queueRoute.definition.method === request.method && route.pattern.test(url.pathname),
    );
    if (queued) {
      await sendToQueue(request, response, queued.queueRoute, queued.pattern, queued.parameters, url);
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
    const event = toEvent(
      request,
      url,
      {
        routeKey: match.route.routeKey,
        ...(match.route.parameters.length === 0 ? {} : { pathParameters: match.pathParameters }),
      },
      body,
    );
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

  // Requests in flight finish on end; only idle keep-alive connections are dropped.
  const listening = await listen(server, host, options.port ?? 3000, 'HTTP gateway', 'idle');
  return { url: listening.url, port: listening.port, end: listening.end };
}

/**
 * What API Gateway's SQS-SendMessage integration does: the body becomes the message (an empty
 * one is refused, as SQS refuses it), path parameters its attributes; 200 once queued.
 */
async function sendToQueue(
  request: IncomingMessage,
  response: ServerResponse,
  route: QueueRoute,
  pattern: RegExp,
  parameters: readonly string[],
  url: URL,
): Promise<void> {
  const body = await readBody(request);
  if (body === 'too-large') {
    response.setHeader('connection', 'close');
    write(response, jsonAnswer(413, { message: 'Request Entity Too Large' }));
    return;
  }
  const found = pattern.exec(url.pathname);
  const values = Object.fromEntries(
    parameters.map((name, index) => [name, decode(found?.[index + 1] ?? '')]),
  );
  const attributes = Object.fromEntries(
    route.definition.pathAttributes.flatMap((name) => (values[name] ? [[name, values[name]]] : [])),
  );
  const text = body.toString('utf8');
  if (text.length === 0) {
    write(response, jsonAnswer(400, { message: 'Bad Request' }));
    return;
  }
  await route.send(text, attributes);
  write(response, jsonAnswer(200, {}));
}

/** A route path as a pattern, its {parameters} in order. */
function compilePath(path: string): { pattern: RegExp; parameters: string[] } {
  const parameters: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)(\+)?\}$/.exec(segment);
      if (parameter?.[1] === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameters.push(parameter[1]);
      return parameter[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), parameters };
}

function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  const compiled = routes.map((route) => ({
    route,
    routeKey: `${route.method} ${route.path}`,
    ...compilePath(route.path),
  }));
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
