import type { ApiContext, ApiMethod } from './context';
import { countParts } from './parts';
import { validReceptor } from './receptor';
import { type ApiResult, fail, ok, statusText } from './reply';
import type { SimMessage } from './state';

const MAX_RECEPTORS = 200;
const MAX_MESSAGE_LENGTH = 900;
const QUEUED = 1;
const SCHEDULED = 2;

/** One SMS asked for, before validation. */
interface Draft {
  readonly receptor: string;
  readonly sender: string;
  readonly message: string;
  readonly localid?: string;
}

/** sms/send: receptor (comma separated), message, sender (default line when absent), date, localid. */
export const smsSend: ApiMethod = (params, context) => {
  const { receptor, message } = params;
  if (receptor === undefined || message === undefined) return fail(400);
  if (receptor.trim() === '') return fail(406);
  const receptors = receptor.split(',').map((value) => value.trim());
  if (receptors.length > MAX_RECEPTORS) return fail(414);
  const localids = params.localid?.split(',').map((value) => value.trim());
  if (localids !== undefined && localids.length !== receptors.length) return fail(400);
  const sender = params.sender?.trim() || context.lines[0] || '';
  const drafts = receptors.map((value, index) => ({
    receptor: value,
    sender,
    message,
    localid: localids?.[index],
  }));
  return accept(drafts, params.date, context);
};

/** sms/sendarray: receptor, sender and message as JSON arrays of equal length; localmessageids. */
export const smsSendArray: ApiMethod = (params, context) => {
  const receptors = parseArray(params.receptor);
  const senders = parseArray(params.sender);
  const messages = parseArray(params.message);
  if (receptors === undefined || senders === undefined || messages === undefined) return fail(400);
  if (receptors.length === 0) return fail(406);
  const localids = params.localmessageids === undefined ? undefined : parseIds(params.localmessageids);
  if (params.localmessageids !== undefined && localids === undefined) return fail(400);
  const lengths = [senders.length, messages.length, localids?.length ?? receptors.length];
  if (lengths.some((length) => length !== receptors.length)) return fail(419);
  if (receptors.length > MAX_RECEPTORS) return fail(414);
  const drafts = receptors.map((receptor, index) => ({
    receptor,
    sender: senders[index] ?? '',
    message: messages[index] ?? '',
    localid: localids?.[index],
  }));
  return accept(drafts, params.date, context);
};

/** Validates the whole request, then charges it and accepts every SMS, or none. */
function accept(drafts: readonly Draft[], dateParam: string | undefined, context: ApiContext): ApiResult {
  const now = Math.floor(Date.now() / 1000);
  const date = parseDate(dateParam);
  if (date === 'invalid' || (date !== undefined && date < now)) return fail(417);
  if (drafts.some((draft) => draft.message.length === 0 || draft.message.length > MAX_MESSAGE_LENGTH)) {
    return fail(413);
  }
  if (drafts.some((draft) => !context.lines.includes(draft.sender))) return fail(412);
  const receptors = drafts.map((draft) => validReceptor(draft.receptor));
  if (receptors.some((receptor) => receptor === undefined)) return fail(411);
  const costs = drafts.map((draft) => countParts(draft.message) * context.state.costPerPart);
  const total = costs.reduce((sum, cost) => sum + cost, 0);
  if (total > context.state.credit) return fail(418);
  context.state.credit -= total;
  const scheduled = date !== undefined && date > now;
  const entries = drafts.map((draft, index) => {
    const receptor = receptors[index] ?? '';
    const message: SimMessage = {
      messageid: context.state.nextMessageId(),
      sender: draft.sender,
      receptor,
      message: draft.message,
      status: scheduled ? SCHEDULED : QUEUED,
      date: date ?? now,
      ...(draft.localid === undefined || draft.localid === '' ? {} : { localid: draft.localid }),
      cost: costs[index] ?? 0,
    };
    context.state.add(message);
    const { status, localid: _, ...entry } = message;
    context.lifecycle.start(message, context.faults.finalStatusFor(receptor));
    return { ...entry, status, statustext: statusText(status) };
  });
  return ok(entries);
}

/** Unix seconds; absent, empty or 0 means now. */
function parseDate(value: string | undefined): number | undefined | 'invalid' {
  if (value === undefined || value.trim() === '' || value.trim() === '0') return undefined;
  const date = Number(value);
  return Number.isSafeInteger(date) && date > 0 ? date : 'invalid';
}

/** A JSON array of strings or numbers. */
function parseArray(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return undefined;
    if (!parsed.every((item) => typeof item === 'string' || typeof item === 'number')) return undefined;
    return parsed.map(String);
  } catch {
    return undefined;
  }
}

/** A JSON array or a comma-separated list. */
function parseIds(value: string): string[] | undefined {
  return value.trim().startsWith('[') ? parseArray(value) : value.split(',').map((id) => id.trim());
}
