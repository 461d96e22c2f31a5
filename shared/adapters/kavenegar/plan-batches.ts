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
 * Splits messages into calls of at most `maxPerCall` receptors: a text shared by several
 * messages goes through sms/send (one call per 200 receptors); texts used once are pooled
 * into sms/sendarray calls. A lone personalised message goes through sms/send, whose
 * parameters are the better documented.
 */
export function planBatches(items: readonly PlannedItem[], maxPerCall = MAX_RECEPTORS_PER_CALL): Batch[] {
  const byText = new Map<string, PlannedItem[]>();
  for (const item of items) {
    const group = byText.get(item.message.text);
    if (group === undefined) byText.set(item.message.text, [item]);
    else group.push(item);
  }
  const batches: Batch[] = [];
  const singles: PlannedItem[] = [];
  for (const [text, group] of byText) {
    if (group.length === 1) singles.push(...group);
    else for (const chunk of chunks(group, maxPerCall)) batches.push({ kind: 'send', text, items: chunk });
  }
  const [lone] = singles;
  if (singles.length === 1 && lone !== undefined) {
    batches.push({ kind: 'send', text: lone.message.text, items: singles });
  } else {
    for (const chunk of chunks(singles, maxPerCall)) batches.push({ kind: 'sendarray', items: chunk });
  }
  return batches;
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += size) result.push(values.slice(start, start + size));
  return result;
}
