import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { swaggerUiFile } from '../../shared/adapters/swagger-ui/asset-files';
import { templateFile } from '../../shared/adapters/templates/template-files';
import { httpErrors } from '../../shared/http/middleware';
import { type HttpResult, pathParameter } from '../../shared/http/respond';
import { staticFile } from '../../shared/http/static-file';
import { createLogger } from '../../shared/observability';
import { openApiDocument } from '../../shared/openapi/document';
import { contractFile, referenceFile, referencePage } from '../../shared/use-cases/api-reference';

const logger = createLogger();
const deps = { template: templateFile, rendererFile: swaggerUiFile, document: openApiDocument };

/**
 * What Swagger UI needs and nothing more: its own script and stylesheet (no inline script or
 * style), SVG icons as data: URLs, the document and "Try it out" on this origin only.
 */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The public contract: the OpenAPI document and its reference page, every file from this API. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger, { logEvent: false }))
  .use(httpErrors(logger))
  .handler(async (event) => {
    if (event.routeKey === 'GET /v1/openapi.json') return staticFile(event, contractFile(deps));
    if (event.routeKey === 'GET /docs')
      return staticFile(event, referencePage(deps), { 'content-security-policy': PAGE_CSP });
    return staticFile(event, referenceFile(deps, pathParameter(event, 'file')));
  });
