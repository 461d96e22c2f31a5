import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from '../../../shared/http/respond';

/** Route key as API Gateway writes it (`PUT /v1/contacts/{contactId}`) → its glue. */
export type Routes = Record<string, (event: APIGatewayProxyEventV2) => Promise<HttpResult>>;
