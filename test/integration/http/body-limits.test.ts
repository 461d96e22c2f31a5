import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../../shared/domain/webhook-signature';
import { BODY_LIMITS } from '../../../shared/http/body';
import { testSecretValues, useEmulators } from '../../support/emulators';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const context = {
  functionName: 'http-test',
  functionVersion: '$LATEST',
  memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:http-test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** A v2 event for `routeKey`, its body base64-encoded unless it is JSON, as API Gateway does. */
function event(
  routeKey: string,
  pathParameters: Record<string, string>,
  body: string,
  headers: Record<string, string>,
): APIGatewayProxyEventV2 {
  const [method = 'POST', template = '/'] = routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? '');
  const text = /json/.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'user-agent': 'chapar-tests', ...headers },
    pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.chapar.test',
      domainPrefix: 'api',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '198.51.100.7',
        userAgent: 'chapar-tests',
      },
      requestId: randomBytes(8).toString('hex'),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: text ? body : Buffer.from(body).toString('base64'),
    isBase64Encoded: !text,
  };
}

/** A body of exactly `bytes` bytes: `prefix` padded with a field nobody reads. */
const padded = (prefix: string, bytes: number, pad: (length: number) => string): string =>
  prefix + pad(bytes - Buffer.byteLength(prefix));

let api: Handler;
let spoof: Handler;
let unsubscribe: Handler;

beforeAll(async () => {
  await useEmulators();
  const load = async (name: string) =>
    ((await import(`../../../functions/${name}/handler`)) as { handler: Handler }).handler;
  api = await load('http-api');
  spoof = await load('http-spoof-report');
  unsubscribe = await load('http-unsubscribe');
});

describe('body size caps, checked on the raw bytes before anything else reads the body', () => {
  it(`marketer API: ${BODY_LIMITS.marketerApi} bytes are read, one more is a 413`, async () => {
    // Prepare
    const headers = {
      authorization: `Bearer ${testSecretValues.apiKey}`,
      'content-type': 'application/json',
    };
    const body = (bytes: number) => padded('{"pad":"', bytes, (length) => `${'x'.repeat(length - 2)}"}`);

    // Act
    const atCap = await api(
      event('POST /v1/campaigns/preview', {}, body(BODY_LIMITS.marketerApi), headers),
      context,
    );
    const over = await api(
      event('POST /v1/campaigns/preview', {}, body(BODY_LIMITS.marketerApi + 1), headers),
      context,
    );

    // Assess
    expect(atCap.statusCode).toBe(400);
    expect(over.statusCode).toBe(413);
    expect(JSON.parse(over.body ?? '{}')).toEqual({
      message: `Request body is ${BODY_LIMITS.marketerApi + 1} bytes; this route accepts at most ${BODY_LIMITS.marketerApi} bytes`,
    });
  });

  it(`spoof-report webhook: past ${BODY_LIMITS.spoofReport} bytes a 413, before the signature is checked`, async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const body = (bytes: number) => padded('{"pad":"', bytes, (length) => `${'x'.repeat(length - 2)}"}`);
    const big = body(BODY_LIMITS.spoofReport + 1);
    const atCap = body(BODY_LIMITS.spoofReport);
    const headers = (raw: string, secret = testSecretValues.webhookSecret) => ({
      'content-type': 'application/json',
      'x-chapar-signature': signatureHeader(secret, now, raw),
    });

    // Act
    const signedOver = await spoof(event('POST /v1/reports/spoofed-sms', {}, big, headers(big)), context);
    const unsignedOver = await spoof(
      event('POST /v1/reports/spoofed-sms', {}, big, headers(big, 'wrong')),
      context,
    );
    const unsignedAtCap = await spoof(
      event('POST /v1/reports/spoofed-sms', {}, atCap, headers(atCap, 'wrong')),
      context,
    );

    // Assess
    expect(signedOver.statusCode).toBe(413);
    expect(unsignedOver.statusCode).toBe(413);
    expect(JSON.parse(unsignedOver.body ?? '{}').message).toContain('at most 65536 bytes');
    expect(unsignedAtCap.statusCode).toBe(401);
  });

  it(`unsubscribe forms: past ${BODY_LIMITS.unsubscribeForm} bytes a 413 page`, async () => {
    // Prepare
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = (bytes: number) => padded('List-Unsubscribe=One-Click&pad=', bytes, (n) => 'x'.repeat(n));

    // Act
    const atCap = await unsubscribe(
      event('POST /u/{token}', { token: 'not.a.token' }, body(BODY_LIMITS.unsubscribeForm), form),
      context,
    );
    const over = await unsubscribe(
      event('POST /u/{token}', { token: 'not.a.token' }, body(BODY_LIMITS.unsubscribeForm + 1), form),
      context,
    );

    // Assess: at the cap the body is read and the bad link refused; past it the body is refused
    expect(atCap.statusCode).toBe(400);
    expect(over.statusCode).toBe(413);
    expect(over.headers?.['content-type']).toContain('text/html');
  });
});
