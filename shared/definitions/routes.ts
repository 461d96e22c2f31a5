/** HTTP API routes and the function serving each. */

import type { FunctionName } from './functions';
import type { QueueName } from './queues';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway route path with {parameters}. */
  readonly path: string;
  readonly function: FunctionName;
  /** Public routes carry their own proof (a signed token or signature) instead of the API key. */
  readonly public: boolean;
  /** For a public route: what protects it instead of the API key (cdk-nag's written reason). */
  readonly proof?: string;
  /** Requests per second (steady and burst) below the stage's default, for routes others call. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

const TOKEN_PROOF = 'Unsubscribe link: the path carries a signed, opaque token (RFC 8058 forbids auth on it)';
const CONTRACT_PROOF = 'Public contract, no data: the OpenAPI document and its reference page';
const SHORT_LINK_PROOF =
  'SMS unsubscribe link: the path carries an unguessable random code; a GET changes nothing';

export const routes: readonly RouteDefinition[] = [
  { method: 'PUT', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/campaigns/{campaignId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/cancel', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/resume', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/preview', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/campaigns', function: 'http-api', public: false },
  { method: 'PATCH', path: '/v1/campaigns/{campaignId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/pause', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/duplicate', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/test', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}/consent', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/contacts/{contactId}/consent', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}/export', function: 'http-api', public: false },
  { method: 'DELETE', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/lists', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/lists', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/lists/{listId}', function: 'http-api', public: false },
  { method: 'DELETE', path: '/v1/lists/{listId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/lists/{listId}/members', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/lists/{listId}/members', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/segments', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/segments', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/segments/{segmentId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/segments/preview', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/templates', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/templates', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/templates/{templateId}', function: 'http-api', public: false },
  { method: 'PUT', path: '/v1/templates/{templateId}', function: 'http-api', public: false },
  { method: 'DELETE', path: '/v1/templates/{templateId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/templates/{templateId}/render', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/imports', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/imports/{importId}', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/imports/{importId}/errors', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/messages', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/messages/{messageId}', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/reports', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/campaigns/{campaignId}/timeline', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/overview', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/settings', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/api-keys', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/api-keys', function: 'http-api', public: false },
  { method: 'DELETE', path: '/v1/api-keys/{keyId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/users', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/users', function: 'http-api', public: false },
  { method: 'PATCH', path: '/v1/users/{username}', function: 'http-api', public: false },
  { method: 'GET', path: '/u/{token}', function: 'http-unsubscribe', public: true, proof: TOKEN_PROOF },
  { method: 'POST', path: '/u/{token}', function: 'http-unsubscribe', public: true, proof: TOKEN_PROOF },
  { method: 'GET', path: '/s/{code}', function: 'http-unsubscribe', public: true, proof: SHORT_LINK_PROOF },
  { method: 'POST', path: '/s/{code}', function: 'http-unsubscribe', public: true, proof: SHORT_LINK_PROOF },
  { method: 'GET', path: '/v1/openapi.json', function: 'http-docs', public: true, proof: CONTRACT_PROOF },
  { method: 'GET', path: '/docs', function: 'http-docs', public: true, proof: CONTRACT_PROOF },
  { method: 'GET', path: '/docs/{file}', function: 'http-docs', public: true, proof: CONTRACT_PROOF },
  {
    method: 'POST',
    path: '/v1/reports/spoofed-sms',
    function: 'http-spoof-report',
    public: true,
    proof: 'Webhook: the body is verified by HMAC-SHA256 signature and timestamp inside the function',
    // One caller (the reporting app's backend): enough for real reports, far too little to flood.
    throttle: { rateLimit: 5, burstLimit: 20 },
  },
];

/**
 * A route API Gateway serves itself by sending the request to a queue (an `SQS-SendMessage`
 * integration: no Lambda per request). The body becomes the message body, and each of
 * `pathAttributes` a string message attribute of the same name, for the consumer to check.
 */
export interface QueueRouteDefinition {
  readonly method: HttpMethod;
  readonly path: string;
  readonly queue: QueueName;
  readonly pathAttributes: readonly string[];
  /** Public: what protects it instead of the API key (cdk-nag's written reason). */
  readonly proof: string;
  /** The CDK context flag (and local setting) that turns the route on; off by default. */
  readonly enabledBy: 'smsDeliveryCallback';
}

export const queueRoutes: readonly QueueRouteDefinition[] = [
  {
    method: 'POST',
    path: '/v1/callbacks/kavenegar/{secret}',
    queue: 'deliveryReports',
    pathAttributes: ['secret'],
    proof:
      'Delivery reports: Kavenegar cannot sign them, so the path carries a secret the consumer compares in constant time',
    enabledBy: 'smsDeliveryCallback',
  },
];
