import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../../local/lambda/http-gateway';

type Reply = (event: APIGatewayProxyEventV2) => APIGatewayProxyResultV2<unknown>;

describe('local HTTP gateway (API Gateway HTTP API, payload 2.0)', () => {
  let gateway: HttpGateway;
  let ready = true;
  const seen: { event: APIGatewayProxyEventV2; context: Context }[] = [];
  let reply: Reply = () => ({ statusCode: 204 });
  const handler = async (event: APIGatewayProxyEventV2, context: Context): Promise<unknown> => {
    seen.push({ event, context });
    return reply(event);
  };

  beforeAll(async () => {
    gateway = await startHttpGateway({
      port: 0,
      region: 'us-east-1',
      handlers: { 'http-api': handler, 'http-unsubscribe': handler, 'http-spoof-report': handler },
      isReady: () => ready,
    });
  });
  afterAll(() => gateway.end());
  afterEach(() => {
    seen.length = 0;
    reply = () => ({ statusCode: 204 });
    ready = true;
    vi.restoreAllMocks();
  });

  const lastEvent = (): APIGatewayProxyEventV2 => {
    const last = seen.at(-1);
    if (last === undefined) throw new Error('the handler was not called');
    return last.event;
  };

  it('turns a request into a v2 event for the route', async () => {
    // Prepare
    const body = JSON.stringify({ email: 'a@example.com' });

    // Act
    const response = await fetch(`${gateway.url}/v1/contacts/c%201?tag=a&tag=b&empty=`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'X-Api-Key': 'k',
        'User-Agent': 'chapar-test',
        Cookie: 'a=1; b=2',
      },
      body,
    });

    // Assess
    expect(response.status).toBe(204);
    const event = lastEvent();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'PUT /v1/contacts/{contactId}',
      rawPath: '/v1/contacts/c 1',
      rawQueryString: 'tag=a&tag=b&empty=',
      queryStringParameters: { tag: 'a,b', empty: '' },
      pathParameters: { contactId: 'c 1' },
      cookies: ['a=1', 'b=2'],
      body,
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 'k' });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      http: {
        method: 'PUT',
        path: '/v1/contacts/c 1',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'chapar-test',
      },
      routeKey: 'PUT /v1/contacts/{contactId}',
      stage: '$default',
    });
    expect(event.requestContext.requestId).toMatch(/\S{8,}/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.timeEpoch).toBeGreaterThan(0);
  });

  it('percent-decodes a path parameter exactly once, as API Gateway does', async () => {
    // Act
    await fetch(`${gateway.url}/v1/contacts/a%252Bb%20c`);

    // Assess
    expect(lastEvent().pathParameters).toEqual({ contactId: 'a%2Bb c' });
  });

  it('gives the handler a Lambda context with the time left before its timeout', async () => {
    // Act
    await fetch(`${gateway.url}/v1/campaigns`, { method: 'POST', body: '{}' });

    // Assess
    const context = seen.at(-1)?.context;
    expect(context).toMatchObject({
      functionName: 'http-api',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:http-api',
      memoryLimitInMB: '512',
    });
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(10_000);
  });

  it('base64-encodes form posts and binary bodies, as HTTP APIs do', async () => {
    // Prepare
    const bytes = Buffer.from([0, 255, 1, 254]);

    // Act
    await fetch(`${gateway.url}/u/tok`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    const form = lastEvent();
    await fetch(`${gateway.url}/v1/reports/spoofed-sms`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    const binary = lastEvent();

    // Assess
    expect(form.routeKey).toBe('POST /u/{token}');
    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body ?? '', 'base64').toString()).toBe('List-Unsubscribe=One-Click');
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? '', 'base64')).toEqual(bytes);
  });

  it('leaves out body, query and path parameters when there are none', async () => {
    // Act
    await fetch(`${gateway.url}/v1/campaigns`, { method: 'POST' });

    // Assess
    const event = lastEvent();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });

  it('writes a structured result back, with every cookie and a base64 body decoded', async () => {
    // Prepare
    reply = () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'application/octet-stream', 'X-Count': 3 },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from('raw bytes').toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const response = await fetch(`${gateway.url}/v1/campaigns/c1`);

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-count')).toBe('3');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await response.text()).toBe('raw bytes');
  });

  it('sends a plain object result as 200 JSON', async () => {
    // Prepare
    reply = () => ({ id: 'c1', status: 'draft' });

    // Act
    const response = await fetch(`${gateway.url}/v1/campaigns/c1`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 'c1', status: 'draft' });
  });

  it('answers 404 like API Gateway for an unknown path or method, without calling a handler', async () => {
    // Act
    const unknownPath = await fetch(`${gateway.url}/v1/nothing-here`);
    const wrongMethod = await fetch(`${gateway.url}/v1/campaigns`, { method: 'DELETE' });

    // Assess
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toEqual({ message: 'Not Found' });
    expect(wrongMethod.status).toBe(404);
    expect(seen).toHaveLength(0);
  });

  it('answers 500 without details when the handler throws, and logs the error', async () => {
    // Prepare
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    reply = () => {
      throw new Error('secret detail');
    };

    // Act
    const response = await fetch(`${gateway.url}/v1/campaigns/c1`);

    // Assess
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
    expect(text).not.toContain('secret detail');
    expect(stderr).toHaveBeenCalledWith(
      expect.stringContaining('GET /v1/campaigns/{campaignId}'),
      expect.any(Error),
    );
  });

  it('answers 413 to a body over 10 MB without calling the handler', async () => {
    // Prepare
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');

    // Act
    const response = await fetch(`${gateway.url}/v1/campaigns`, { method: 'POST', body });

    // Assess
    expect(response.status).toBe(413);
    expect(seen).toHaveLength(0);
  });

  it('answers /health with 200 once ready and 503 before', async () => {
    // Prepare
    ready = false;

    // Act
    const starting = await fetch(`${gateway.url}/health`);
    ready = true;
    const up = await fetch(`${gateway.url}/health`);

    // Assess
    expect(starting.status).toBe(503);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ok' });
  });
});
