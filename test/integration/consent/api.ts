import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** The http-api handler as Lambda calls it. */
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const context = {
  functionName: 'http-api',
  functionVersion: '$LATEST',
  memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:http-api',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/**
 * Calls the http-api handler as API Gateway (HTTP API, payload 2.0) would for `routeKey`,
 * e.g. `POST /v1/contacts/{contactId}/consent`, with the test API key.
 */
export async function callApi<T = Record<string, unknown>>(
  handler: ApiHandler,
  routeKey: string,
  pathParameters: Record<string, string>,
  options: { json?: unknown; apiKey?: string } = {},
): Promise<{ status: number; body: T }> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => pathParameters[name] ?? '');
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {
      authorization: `Bearer ${options.apiKey ?? 'test-api-key'}`,
      'content-type': 'application/json',
      'user-agent': 'chapar-tests',
    },
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
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
  const result = await handler(event, context);
  const text = result.body ?? '';
  return { status: result.statusCode ?? 200, body: (text === '' ? undefined : JSON.parse(text)) as T };
}
