import { parsePage } from '../../../shared/domain/paging';
import { jsonBody } from '../../../shared/http/body';
import { type HttpResult, json, pathParameter } from '../../../shared/http/respond';
import {
  changeMembers,
  createList,
  deleteList,
  getList,
  type ListDeps,
  listLists,
  listMembers,
} from '../../../shared/use-cases/lists';
import { API_BODY, type Routes } from './types';

const noContent: HttpResult = { statusCode: 204, headers: { 'cache-control': 'no-store' } };

/** Marketer routes about contact lists and their members. */
export function listRoutes(deps: ListDeps): Routes {
  return {
    'POST /v1/lists': async (event) => json(201, await createList(deps, jsonBody(event, API_BODY))),
    'GET /v1/lists': async (event) =>
      json(200, await listLists(deps, parsePage(event.queryStringParameters))),
    'GET /v1/lists/{listId}': async (event) => json(200, await getList(deps, pathParameter(event, 'listId'))),
    'DELETE /v1/lists/{listId}': async (event) => {
      await deleteList(deps, pathParameter(event, 'listId'));
      return noContent;
    },
    'POST /v1/lists/{listId}/members': async (event) =>
      json(200, await changeMembers(deps, pathParameter(event, 'listId'), jsonBody(event, API_BODY))),
    'GET /v1/lists/{listId}/members': async (event) => {
      const page = await listMembers(
        deps,
        pathParameter(event, 'listId'),
        parsePage(event.queryStringParameters),
      );
      return json(200, { items: page.ids, ...(page.cursor ? { cursor: page.cursor } : {}) });
    },
  };
}
