/** The contract about itself: the OpenAPI document and its reference page. */
import * as z from 'zod/mini';
import type { OperationDoc } from '../types';

export const docsOperations: readonly OperationDoc[] = [
  {
    method: 'GET',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document',
    description:
      'Public: the contract holds no data. Generated from the zod schemas the handlers validate with.',
    tags: ['docs'],
    auth: 'none',
    responses: {
      200: {
        description: 'The OpenAPI document.',
        schema: z.looseObject({
          openapi: z.string(),
          info: z.looseObject({ title: z.string(), version: z.string() }),
          paths: z.record(z.string(), z.unknown()),
        }),
        example: { openapi: '3.1.1', info: { title: 'Chapar API', version: '1.0.0' }, paths: {} },
      },
    },
  },
  {
    method: 'GET',
    path: '/docs',
    operationId: 'getApiReference',
    summary: 'The API reference page (Swagger UI, served by this API, no CDN)',
    tags: ['docs'],
    auth: 'none',
    responses: {
      200: {
        description:
          'The reference page; it loads its script and styles from /docs/{file} and reads /v1/openapi.json.',
        contentType: 'text/html',
        schema: z.string(),
        example:
          '<!doctype html><html lang="en"><head><title>Chapar API</title></head><body><div id="swagger-ui"></div></body></html>',
      },
    },
  },
  {
    method: 'GET',
    path: '/docs/{file}',
    operationId: 'getApiReferenceFile',
    summary: 'A file of the reference page (its script, styles, start-up script)',
    tags: ['docs'],
    auth: 'none',
    pathParameters: { file: 'swagger-ui-bundle.js, swagger-ui.css or reference.js.' },
    responses: {
      200: {
        description:
          'The file (JavaScript or CSS), cacheable for a year: the page names it with its version.',
        contentType: 'text/javascript',
        schema: z.string(),
        example: 'window.addEventListener("load", () => {});',
      },
      404: { description: 'No such file.' },
    },
  },
];
