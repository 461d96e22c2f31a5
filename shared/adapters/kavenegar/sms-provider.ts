import type { SmsMessage, SmsReceipt, SmsSendOutcome } from '../../domain/sms';
import type { SmsBatchProvider } from '../../ports';
import type { KavenegarClient } from './client';
import { KavenegarError } from './errors';
import { fromKavenegarReceptor, toKavenegarReceptor } from './phone';
import { type Batch, type PlannedItem, planBatches } from './plan-batches';
import { badResponse } from './transport';
import { type KavenegarSendEntry, MAX_MESSAGE_LENGTH, MAX_RECEPTORS_PER_CALL } from './types';

/**
 * What {@link KavenegarSmsProvider.sendDetailed} answers: each message is in exactly one list,
 * receipts and failures each in input order. Defined by the port; re-exported here.
 */
export type { SmsSendOutcome };

/** What the adapter needs: the client, and the one verified line every SMS leaves from. */
export interface KavenegarSmsProviderOptions {
  readonly client: Pick<KavenegarClient, 'send' | 'sendArray'>;
  /** Digits only; the port has no sender parameter, so no caller can pick another line. */
  readonly sender: string;
  /**
   * Most receptors in one call, capped at Kavenegar's 200. Set it to the per-second rate when
   * that is lower, so one call never needs more than one second's budget. Default 200.
   */
  readonly maxPerCall?: number;
}

/**
 * Chapar's SmsBatchProvider over Kavenegar. A text shared by several messages goes through
 * sms/send, 200 receptors a call; personalised texts through sms/sendarray, 200 a call
 * (fewer when `maxPerCall` says so).
 * Calls are made one after another, never in parallel, to stay under Kavenegar's throttle.
 *
 * Failures, per call:
 * - 411 on a call of several receptors (Kavenegar does not say which one is invalid): the
 *   call is resent one receptor at a time, so only the bad receptor fails;
 * - `message` or `recipient` class: that call's messages fail, the next calls go on;
 * - `retryable` or `campaign` class (throttle, timeout, credit, key, sender): that call's
 *   messages fail with the error (whose `outcomeUnknown` may be true) and the remaining
 *   messages fail unattempted with a copy whose `outcomeUnknown` is false.
 * Receptors that are no Iranian mobile (411) and empty or over-long texts (413) fail
 * before any call.
 */
export class KavenegarSmsProvider implements SmsBatchProvider {
  readonly #client: KavenegarSmsProviderOptions['client'];
  readonly #sender: string;
  readonly #maxPerCall: number;

  constructor(options: KavenegarSmsProviderOptions) {
    const maxPerCall = options.maxPerCall ?? MAX_RECEPTORS_PER_CALL;
    if (!Number.isInteger(maxPerCall) || maxPerCall < 1) {
      throw new RangeError(`maxPerCall must be a positive integer, got ${maxPerCall}`);
    }
    this.#client = options.client;
    this.#sender = options.sender;
    this.#maxPerCall = Math.min(maxPerCall, MAX_RECEPTORS_PER_CALL);
  }

  /**
   * Sends every message and reports each one as a receipt or a failure; never throws a
   * KavenegarError (other errors, i.e. bugs, propagate).
   */
  async sendDetailed(messages: readonly SmsMessage[]): Promise<SmsSendOutcome> {
    const results = new Map<number, SmsReceipt | KavenegarError>();
    const valid: PlannedItem[] = [];
    messages.forEach((message, index) => {
      const refusal = refuseLocally(message);
      if (refusal === undefined) valid.push({ index, message });
      else results.set(index, refusal);
    });
    let stop: KavenegarError | undefined;
    for (const batch of planBatches(valid, this.#maxPerCall)) {
      if (stop !== undefined) {
        for (const item of batch.items) results.set(item.index, unattempted(stop));
        continue;
      }
      stop = await this.#sendBatch(batch, results);
    }
    return collect(messages, results);
  }

  /** Sends one batch into `results`; answers the error that must stop the rest, if any. */
  async #sendBatch(
    batch: Batch,
    results: Map<number, SmsReceipt | KavenegarError>,
  ): Promise<KavenegarError | undefined> {
    try {
      record(batch, await this.#call(batch), results);
      return undefined;
    } catch (error) {
      if (!(error instanceof KavenegarError)) throw error;
      if (error.code === '411' && batch.items.length > 1) return this.#isolate(batch.items, results);
      for (const item of batch.items) results.set(item.index, error);
      return stopsTheRest(error) ? error : undefined;
    }
  }

  /** Resends a batch that failed with 411 one receptor at a time. */
  async #isolate(
    items: readonly PlannedItem[],
    results: Map<number, SmsReceipt | KavenegarError>,
  ): Promise<KavenegarError | undefined> {
    let stop: KavenegarError | undefined;
    for (const item of items) {
      if (stop !== undefined) results.set(item.index, unattempted(stop));
      else stop = await this.#sendBatch({ kind: 'send', text: item.message.text, items: [item] }, results);
    }
    return stop;
  }

  #call(batch: Batch): Promise<KavenegarSendEntry[]> {
    const receptors = batch.items.map((item) => item.message.receptor);
    const localIds = batch.items.map((item) => item.message.localId);
    if (batch.kind === 'send') {
      return this.#client.send({ receptors, localIds, message: batch.text, sender: this.#sender });
    }
    const senders = batch.items.map(() => this.#sender);
    const texts = batch.items.map((item) => item.message.text);
    return this.#client.sendArray({ receptors, senders, messages: texts, localIds });
  }
}

function refuseLocally(message: SmsMessage): KavenegarError | undefined {
  const context = { operation: 'sms/send', local: true };
  if (toKavenegarReceptor(message.receptor) === undefined) {
    return KavenegarError.fromCode(411, context, 'refused before sending: receptor is not an Iranian mobile');
  }
  if (message.text.length === 0 || message.text.length > MAX_MESSAGE_LENGTH) {
    return KavenegarError.fromCode(
      413,
      context,
      `refused before sending: text empty or over ${MAX_MESSAGE_LENGTH}`,
    );
  }
  return undefined;
}

function stopsTheRest(error: KavenegarError): boolean {
  return error.failureClass === 'retryable' || error.failureClass === 'campaign';
}

/** The error for messages never sent because an earlier call failed: their outcome is known. */
function unattempted(cause: KavenegarError): KavenegarError {
  return new KavenegarError(cause.code, cause.failureClass, `Not attempted after: ${cause.message}`, {
    context: cause.context,
    cause,
  });
}

/** Matches entries to items by receptor (Kavenegar answers one entry per receptor, in order). */
function record(
  batch: Batch,
  entries: readonly KavenegarSendEntry[],
  results: Map<number, SmsReceipt | KavenegarError>,
): void {
  const unused = [...entries];
  for (const item of batch.items) {
    const receptor = toE164(item.message.receptor);
    const at = unused.findIndex((entry) => toE164(entry.receptor) === receptor);
    const entry = at === -1 ? undefined : unused.splice(at, 1)[0];
    results.set(
      item.index,
      entry === undefined
        ? badResponse(batch.kind === 'send' ? 'sms/send' : 'sms/sendarray', true)
        : {
            receptor,
            localId: item.message.localId,
            messageId: entry.messageId,
            status: entry.status,
            cost: entry.cost,
          },
    );
  }
}

function toE164(receptor: string): string {
  return fromKavenegarReceptor(toKavenegarReceptor(receptor) ?? receptor);
}

function collect(
  messages: readonly SmsMessage[],
  results: ReadonlyMap<number, SmsReceipt | KavenegarError>,
): SmsSendOutcome {
  const outcome: SmsSendOutcome = { receipts: [], failures: [] };
  messages.forEach((message, index) => {
    const result = results.get(index);
    if (result instanceof KavenegarError) outcome.failures.push({ localId: message.localId, error: result });
    else if (result !== undefined) outcome.receipts.push(result);
  });
  return outcome;
}
