import { importView } from '../../../shared/domain/import-job';
import { jsonBody } from '../../../shared/http/body';
import { type HttpResult, json, pathParameter } from '../../../shared/http/respond';
import {
  type CreateImportDeps,
  createImport,
  getImport,
  importErrorsCsv,
} from '../../../shared/use-cases/imports';
import { API_BODY, type Routes } from './types';

/** Marketer routes of contact imports: create (with its upload URL), follow, and its invalid rows. */
export function importRoutes(deps: CreateImportDeps): Routes {
  return {
    'POST /v1/imports': async (event) => json(201, await createImport(deps, jsonBody(event, API_BODY))),
    'GET /v1/imports/{importId}': async (event) =>
      json(200, importView(await getImport(deps, pathParameter(event, 'importId')))),
    'GET /v1/imports/{importId}/errors': async (event) => {
      const id = pathParameter(event, 'importId');
      const { csv, cursor } = await importErrorsCsv(deps, id, event.queryStringParameters?.cursor);
      const result: HttpResult = {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="import-${id}-errors.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          // More rows than one answer holds: the next page is ?cursor=<this>.
          ...(cursor ? { 'x-next-cursor': cursor } : {}),
        },
        body: csv,
      };
      return result;
    },
  };
}
