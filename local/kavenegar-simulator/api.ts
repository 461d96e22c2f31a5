import type { ApiContext, ApiMethod, Params } from './context';
import { accountInfo, smsCancel, smsStatus, smsStatusLocal } from './query-methods';
import { type ApiResult, fail } from './reply';
import { smsSend, smsSendArray } from './send-methods';

const METHODS: ReadonlyMap<string, ApiMethod> = new Map([
  ['sms/send', smsSend],
  ['sms/sendarray', smsSendArray],
  ['sms/status', smsStatus],
  ['sms/statuslocalmessageid', smsStatusLocal],
  ['sms/cancel', smsCancel],
  ['account/info', accountInfo],
]);
const POST_ONLY: ReadonlySet<string> = new Set(['sms/sendarray']);
const API_PATH = /^\/v1\/([^/]+)\/([^/]+)\/([^/]+)\.json$/;

/** One call to `/v1/{apikey}/{scope}/{method}.json`. */
export interface ApiCall {
  /** HTTP verb. */
  readonly verb: string;
  readonly pathname: string;
  readonly params: Params;
}

/** The path with whatever sits in the key's place replaced by `***`. */
export function maskPath(pathname: string): string {
  return pathname.replace(/^\/v1\/[^/]+/, '/v1/***');
}

/**
 * Answers one API call in Kavenegar's order: route (404), key (403), verb (405), then the
 * faults (451 past the rate limit, failNext), then the method itself.
 */
export function answerApi(call: ApiCall, apiKey: string, context: ApiContext): ApiResult {
  const match = API_PATH.exec(call.pathname);
  if (match === null) return fail(404);
  const [, key = '', scope, method] = match;
  if (decode(key) !== apiKey) return fail(403);
  const name = `${scope}/${method}`;
  const handler = METHODS.get(name);
  if (handler === undefined) return fail(404);
  if ((call.verb !== 'GET' && call.verb !== 'POST') || (POST_ONLY.has(name) && call.verb !== 'POST')) {
    return fail(405);
  }
  if (!context.faults.admit(Date.now())) return fail(451);
  const forced = context.faults.takeFailNext();
  if (forced !== undefined) return fail(forced);
  return handler(call.params, context);
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
