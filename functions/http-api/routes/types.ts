import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BODY_LIMITS, type BodyOptions } from '../../../shared/http/body';
import type { HttpResult } from '../../../shared/http/respond';

/** Route key as API Gateway writes it (`PUT /v1/contacts/{contactId}`) → its glue. */
export type Routes = Record<string, (event: APIGatewayProxyEventV2) => Promise<HttpResult>>;

/** How much body a marketer route reads. */
export const API_BODY: BodyOptions = { maxBytes: BODY_LIMITS.marketerApi };
