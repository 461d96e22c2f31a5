import * as z from 'zod/mini';
import { KavenegarError } from './errors';
import { fromKavenegarReceptor, toKavenegarReceptor } from './phone';
import {
  accountInfoSchema,
  localStatusEntriesSchema,
  sendEntriesSchema,
  statusEntriesSchema,
} from './schemas';
import { badResponse, callKavenegar, type KavenegarOperation, type TransportConfig } from './transport';
import {
  type KavenegarAccountInfo,
  type KavenegarDate,
  type KavenegarLocalStatusEntry,
  type KavenegarSendArrayInput,
  type KavenegarSendEntry,
  type KavenegarSendInput,
  type KavenegarStatusEntry,
  MAX_IDS_PER_STATUS_CALL,
  MAX_RECEPTORS_PER_CALL,
} from './types';

/** How to reach Kavenegar. */
export interface KavenegarClientOptions {
  /** API root without a trailing `/v1`, e.g. `https://api.kavenegar.com` or the simulator's url. */
  readonly baseUrl: string;
  /** Secret: it travels in the URL path, so the URL is never logged nor put in an error. */
  readonly apiKey: string;
  /** Milliseconds before a call is abandoned (request and reply body together). */
  readonly timeoutMs: number;
  /** Defaults to the global fetch; injectable for tests. */
  readonly fetch?: typeof fetch;
}

/**
 * A typed HTTPS client for the Kavenegar methods Chapar needs. It never retries: every
 * failure is a {@link KavenegarError} whose failureClass tells the caller what to do, and
 * whose `outcomeUnknown` says whether sms/send or sms/sendarray may have gone through.
 * Inputs past Kavenegar's limits are refused before any request, with the code Kavenegar
 * would have answered (414, 419, 411 ...) and `context.local` set.
 */
export class KavenegarClient {
  readonly #transport: TransportConfig;

  constructor(options: KavenegarClientOptions) {
    this.#transport = {
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch ?? globalThis.fetch,
    };
  }

  /** sms/send: one text to at most 200 receptors; one entry per receptor, in order. */
  async send(input: KavenegarSendInput): Promise<KavenegarSendEntry[]> {
    const operation = 'sms/send';
    const receptors = toReceptors(input.receptors, operation);
    const params = new URLSearchParams({
      receptor: receptors.join(','),
      message: input.message,
      sender: input.sender,
    });
    if (input.localIds !== undefined)
      params.set('localid', joinIds(input.localIds, receptors.length, operation));
    if (input.date !== undefined) params.set('date', String(unixSeconds(input.date)));
    return this.#sendCall(operation, params);
  }

  /** sms/sendarray: one text and sender per receptor, at most 200; one entry per receptor, in order. */
  async sendArray(input: KavenegarSendArrayInput): Promise<KavenegarSendEntry[]> {
    const operation = 'sms/sendarray';
    const receptors = toReceptors(input.receptors, operation);
    if (input.senders.length !== receptors.length || input.messages.length !== receptors.length) {
      throw refuse(419, operation, 'receptors, senders and messages differ in length');
    }
    const params = new URLSearchParams({
      receptor: JSON.stringify(receptors),
      sender: JSON.stringify(input.senders),
      message: JSON.stringify(input.messages),
    });
    // Comma separated as in Kavenegar's official .NET SDK; the parameter name is unconfirmed.
    if (input.localIds !== undefined) {
      params.set('localmessageids', joinIds(input.localIds, receptors.length, operation));
    }
    if (input.date !== undefined) params.set('date', String(unixSeconds(input.date)));
    return this.#sendCall(operation, params);
  }

  /** sms/status for at most 500 message ids; unknown ids come back with status 100. */
  async status(messageIds: readonly string[]): Promise<KavenegarStatusEntry[]> {
    return this.#statusCall('sms/status', messageIds);
  }

  /** sms/cancel for at most 500 message ids; only queued (1) or scheduled (2) ones become 13. */
  async cancel(messageIds: readonly string[]): Promise<KavenegarStatusEntry[]> {
    return this.#statusCall('sms/cancel', messageIds);
  }

  /** sms/statuslocalmessageid: statuses by the localids messages were sent with (about 12 h). */
  async statusByLocalId(localIds: readonly string[]): Promise<KavenegarLocalStatusEntry[]> {
    const operation = 'sms/statuslocalmessageid';
    const params = new URLSearchParams({ localid: joinIds(localIds, undefined, operation) });
    const entries = parse(localStatusEntriesSchema, await this.#call(operation, params), operation);
    return entries.map((entry) => ({
      messageId: entry.messageid,
      localId: entry.localid,
      status: entry.status,
      statusText: entry.statustext,
    }));
  }

  /** account/info: remaining credit (Rial), expiry (unix seconds) and account type. */
  async accountInfo(): Promise<KavenegarAccountInfo> {
    const operation = 'account/info';
    const info = parse(accountInfoSchema, await this.#call(operation, new URLSearchParams()), operation);
    return { remainCredit: info.remaincredit, expireDate: info.expiredate, type: info.type };
  }

  async #sendCall(
    operation: 'sms/send' | 'sms/sendarray',
    params: URLSearchParams,
  ): Promise<KavenegarSendEntry[]> {
    const entries = parse(sendEntriesSchema, await this.#call(operation, params, true), operation, true);
    return entries.map((entry) => ({
      messageId: entry.messageid,
      message: entry.message,
      status: entry.status,
      statusText: entry.statustext,
      sender: entry.sender,
      receptor: fromKavenegarReceptor(entry.receptor),
      date: entry.date,
      cost: entry.cost,
    }));
  }

  async #statusCall(
    operation: 'sms/status' | 'sms/cancel',
    messageIds: readonly string[],
  ): Promise<KavenegarStatusEntry[]> {
    const params = new URLSearchParams({ messageid: joinIds(messageIds, undefined, operation) });
    const entries = parse(statusEntriesSchema, await this.#call(operation, params), operation);
    return entries.map((entry) => ({
      messageId: entry.messageid,
      status: entry.status,
      statusText: entry.statustext,
    }));
  }

  #call(operation: KavenegarOperation, params: URLSearchParams, sendsMessages = false): Promise<unknown> {
    return callKavenegar(this.#transport, operation, params, sendsMessages);
  }
}

function parse<T extends z.core.$ZodType>(
  schema: T,
  entries: unknown,
  operation: KavenegarOperation,
  sendsMessages = false,
): z.output<T> {
  const parsed = z.safeParse(schema, entries);
  if (!parsed.success) throw badResponse(operation, sendsMessages);
  return parsed.data;
}

function refuse(code: number, operation: KavenegarOperation, detail: string): KavenegarError {
  return KavenegarError.fromCode(code, { operation, local: true }, `refused before sending: ${detail}`);
}

function toReceptors(receptors: readonly string[], operation: KavenegarOperation): string[] {
  if (receptors.length === 0) throw refuse(400, operation, 'no receptor');
  if (receptors.length > MAX_RECEPTORS_PER_CALL) {
    throw refuse(414, operation, `more than ${MAX_RECEPTORS_PER_CALL} receptors`);
  }
  return receptors.map((receptor, index) => {
    const national = toKavenegarReceptor(receptor);
    // The number itself stays out of the message: it is personal data.
    if (national === undefined) throw refuse(411, operation, `receptor #${index} is not an Iranian mobile`);
    return national;
  });
}

/** Comma-joined ids; `expected` is the count they must match (one localid per receptor). */
function joinIds(
  ids: readonly string[],
  expected: number | undefined,
  operation: KavenegarOperation,
): string {
  if (ids.length === 0) throw refuse(400, operation, 'no id');
  if (expected !== undefined && ids.length !== expected)
    throw refuse(400, operation, 'one localid per receptor');
  if (expected === undefined && ids.length > MAX_IDS_PER_STATUS_CALL) {
    throw refuse(414, operation, `more than ${MAX_IDS_PER_STATUS_CALL} ids`);
  }
  if (ids.some((id) => id.length === 0 || id.includes(',')))
    throw refuse(400, operation, 'empty id or id with a comma');
  return ids.join(',');
}

function unixSeconds(date: KavenegarDate): number {
  return Math.floor(date instanceof Date ? date.getTime() / 1000 : date);
}
