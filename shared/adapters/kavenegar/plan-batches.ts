import type { SmsMessage } from '../../domain/sms';
import { MAX_RECEPTORS_PER_CALL } from './types';

/** A message with its position in the caller's list, so answers can be put back in order. */
export interface PlannedItem {
  readonly index: number;
  readonly message: SmsMessage;
}

/** One Kavenegar call: sms/send for a shared text, sms/sendarray for personalised ones. */
export type Batch =
  | { readonly kind: 'send'; readonly text: string; readonly items: readonly PlannedItem[] }
  | { readonly kind: 'sendarray'; readonly items: readonly PlannedItem[] };

/**
 * Splits messages into the fewest calls of at most `maxPerCall` receptors, since Kavenegar
 * throttles calls (451), not messages: one text shared by every message goes through sms/send;
 * any other mix goes through sms/sendarray, each receptor with its own text (shared texts
 * too), so a call's worth of messages is one call, never one per text.
 */
export function planBatches(items: readonly PlannedItem[], maxPerCall = MAX_RECEPTORS_PER_CALL): Batch[] {
  const [first] = items;
  if (first === undefined) return [];
  if (items.every((item) => item.message.text === first.message.text)) {
    return chunks(items, maxPerCall).map((chunk) => ({
      kind: 'send',
      text: first.message.text,
      items: chunk,
    }));
  }
  return chunks(items, maxPerCall).map((chunk) => ({ kind: 'sendarray', items: chunk }));
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += size) result.push(values.slice(start, start + size));
  return result;
}
