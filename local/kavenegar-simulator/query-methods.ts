import type { ApiMethod } from './context';
import { fail, ok, statusText } from './reply';
import type { SimMessage } from './state';

const MAX_IDS = 500;
const UNKNOWN = 100;
const CANCELLABLE = new Set([1, 2]);

/** sms/status: messageid comma separated, at most 500; unknown ids answer status 100. */
export const smsStatus: ApiMethod = (params, context) => {
  const ids = splitIds(params.messageid);
  if (typeof ids === 'number') return fail(ids);
  return ok(ids.map((id) => describe(id, context.state.find(Number(id)))));
};

/** sms/statuslocalmessageid: localid comma separated; the latest message sent with each. */
export const smsStatusLocal: ApiMethod = (params, context) => {
  const localids = splitIds(params.localid);
  if (typeof localids === 'number') return fail(localids);
  return ok(
    localids.map((localid) => {
      const message = context.state.findByLocalId(localid);
      return { ...describe(message === undefined ? '0' : String(message.messageid), message), localid };
    }),
  );
};

/** sms/cancel: only queued (1) or scheduled (2) messages become cancelled (13), refunded. */
export const smsCancel: ApiMethod = (params, context) => {
  const ids = splitIds(params.messageid);
  if (typeof ids === 'number') return fail(ids);
  return ok(
    ids.map((id) => {
      const message = context.state.find(Number(id));
      if (message !== undefined && CANCELLABLE.has(message.status)) context.lifecycle.cancel(message);
      return describe(id, message);
    }),
  );
};

/** account/info: remaining credit (Rial), expiry (unix seconds), account type. */
export const accountInfo: ApiMethod = (_params, context) =>
  ok({ remaincredit: context.state.credit, expiredate: context.state.expireDate, type: 'Master' });

/** The ids, or the error code: 400 absent, 406 empty, 414 past 500. */
function splitIds(value: string | undefined): string[] | number {
  if (value === undefined) return 400;
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) return 406;
  return ids.length > MAX_IDS ? 414 : ids;
}

function describe(id: string, message: SimMessage | undefined) {
  if (message === undefined) {
    const numeric = Number(id);
    return {
      messageid: Number.isSafeInteger(numeric) ? numeric : 0,
      status: UNKNOWN,
      statustext: statusText(UNKNOWN),
    };
  }
  return { messageid: message.messageid, status: message.status, statustext: statusText(message.status) };
}
