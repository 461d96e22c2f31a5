/** The import routes: a spreadsheet of contacts uploaded through a presigned URL. */
import * as z from 'zod/mini';
import { importRequestSchema } from '../../domain/import-job';
import { described } from '../schemas/common';
import { importCreatedSchema, importSchema } from '../schemas/imports';
import type { OperationDoc } from '../types';

const IMPORT_ID = 'The import id (a ULID Chapar made).';

export const importOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/imports',
    operationId: 'createImport',
    summary: 'Start an import: answers the URL to PUT the file to',
    description:
      'PUT the CSV or .xlsx file to `uploadUrl` (an S3 presigned URL, valid one hour); processing starts by itself. Files up to 100 MB. `mapping` names the header (as written) of each field when it is not the usual one.',
    tags: ['imports'],
    auth: 'bearer',
    request: {
      schema: importRequestSchema,
      example: {
        format: 'xlsx',
        listId: '01JEC0Y7B3D5F7H9K1M3P5R7T9',
        consent: { basis: 'implied', reference: 'شرایط خرید فروشگاه' },
        mapping: { phone: 'شماره همراه', name: 'نام' },
      },
    },
    responses: {
      201: {
        description: 'The import, waiting for its upload.',
        schema: importCreatedSchema,
        example: {
          id: '01JEC11111111111111111IMPT',
          uploadUrl:
            'https://chapar-imports.s3.amazonaws.com/imports/01JEC11111111111111111IMPT?X-Amz-Signature=abc',
          expiresAt: '2026-12-02T11:00:00.000Z',
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/imports/{importId}',
    operationId: 'getImport',
    summary: 'An import’s status and counts',
    tags: ['imports'],
    auth: 'bearer',
    pathParameters: { importId: IMPORT_ID },
    responses: {
      200: {
        description: 'The import, updated after every chunk of 200 rows.',
        schema: importSchema,
        example: {
          id: '01JEC11111111111111111IMPT',
          format: 'xlsx',
          status: 'done',
          listId: '01JEC0Y7B3D5F7H9K1M3P5R7T9',
          rows: 1200,
          created: 1100,
          updated: 60,
          unchanged: 20,
          invalid: 15,
          duplicatesInFile: 5,
          startedAt: '2026-12-02T10:01:00.000Z',
          finishedAt: '2026-12-02T10:01:40.000Z',
          progress: 1,
        },
      },
      404: { description: 'No such import.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/imports/{importId}/errors',
    operationId: 'getImportErrors',
    summary: 'The invalid rows as CSV (UTF-8 with BOM, for Excel)',
    description:
      '`line,column,value,reason`: the row number as a spreadsheet counts it (header = 1), the column’s header, the value as written, the reason in words. 10,000 rows an answer; the next page at `?cursor=` from the `x-next-cursor` header.',
    tags: ['imports'],
    auth: 'bearer',
    pathParameters: { importId: IMPORT_ID },
    query: z.object({
      cursor: z.optional(described(z.string(), 'The `x-next-cursor` of the previous answer.')),
    }),
    responses: {
      200: {
        description: 'CSV of the invalid rows.',
        headers: {
          'x-next-cursor': { description: 'When more rows follow: the `cursor` of the next answer.' },
        },
        contentType: 'text/csv',
        schema: z.string(),
        example: '\uFEFFline,column,value,reason\n7,شماره همراه,0912,is not an Iranian mobile number\n',
      },
      404: { description: 'No such import.' },
    },
  },
];
