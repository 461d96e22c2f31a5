import { jsonBody } from '../../../shared/http/body';
import { header, json, pathParameter } from '../../../shared/http/respond';
import {
  type AcceptMessageDeps,
  acceptMessage,
  getMessage,
} from '../../../shared/use-cases/transactional-messages';
import { API_BODY, type Routes } from './types';

/** Transactional messages: accepted under an Idempotency-Key, then followed by id. */
export function messageRoutes(deps: AcceptMessageDeps): Routes {
  return {
    'POST /v1/messages': async (event) => {
      const key = header(event, 'idempotency-key');
      const accepted = await acceptMessage(deps, key, jsonBody(event, API_BODY));
      // A replay answers the message the key made: 200, never a second send.
      return json(accepted.created ? 202 : 200, { id: accepted.id, status: accepted.status });
    },
    'GET /v1/messages/{messageId}': async (event) =>
      json(200, await getMessage(deps, pathParameter(event, 'messageId'))),
  };
}
