import { jsonBody } from '../../../shared/http/body';
import { type HttpResult, json, pathParameter } from '../../../shared/http/respond';
import { type ApiKeyDeps, createApiKey, deleteApiKey, listApiKeys } from '../../../shared/use-cases/api-keys';
import { inviteUser, listUsers, type UserDeps, updateUser } from '../../../shared/use-cases/users';
import { API_BODY, type Routes } from './types';

const noContent: HttpResult = { statusCode: 204, headers: { 'cache-control': 'no-store' } };

/** Admin routes about who may call the API: API keys and the people who sign in. */
export function accessRoutes(deps: ApiKeyDeps & UserDeps): Routes {
  return {
    'POST /v1/api-keys': async (event) => json(201, await createApiKey(deps, jsonBody(event, API_BODY))),
    'GET /v1/api-keys': async () => json(200, await listApiKeys(deps)),
    'DELETE /v1/api-keys/{keyId}': async (event) => {
      await deleteApiKey(deps, pathParameter(event, 'keyId'));
      return noContent;
    },
    'POST /v1/users': async (event) => json(201, await inviteUser(deps, jsonBody(event, API_BODY))),
    'GET /v1/users': async () => json(200, await listUsers(deps)),
    'PATCH /v1/users/{username}': async (event) =>
      json(200, await updateUser(deps, pathParameter(event, 'username'), jsonBody(event, API_BODY))),
  };
}
