import { toLatinDigits } from './phone';

/**
 * Verdicts for reports of SMS received in the brand's name:
 * - `spoofed`: the sender is not the brand's one verified line;
 * - `genuine`: the sender is that line and the text matches a message Chapar sent the reporter;
 * - `unverified`: anything else (verified line, but no matching message we can find).
 */
export type Verdict = 'spoofed' | 'genuine' | 'unverified';

/** The forms one line number takes on a handset: 5000…, +985000…, 00985000…, in any digits. */
function senderForms(sender: string): Set<string> {
  const digits = toLatinDigits(sender).replace(/\D/g, '');
  const forms = new Set([digits]);
  if (digits.startsWith('0098')) forms.add(digits.slice(4));
  else if (digits.startsWith('98')) forms.add(digits.slice(2));
  return forms;
}

/** True when two written line numbers name the same line. */
export function isSameSender(a: string, b: string): boolean {
  const formsOfB = senderForms(b);
  for (const form of senderForms(a)) if (form !== '' && formsOfB.has(form)) return true;
  return false;
}

/** Text as compared: Latin digits, no bidi marks or ZWNJ, whitespace folded. */
export function normaliseSmsText(text: string): string {
  return toLatinDigits(text)
    .replace(/\u200d|[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MIN_PARTIAL_MATCH = 20;

/**
 * A reported text matches a sent one when they are equal once normalised, or when one holds
 * the other and the shorter is long enough not to match by chance (people paste part of a text).
 */
export function textsMatch(reported: string, sent: string): boolean {
  const a = normaliseSmsText(reported);
  const b = normaliseSmsText(sent);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return shorter.length >= MIN_PARTIAL_MATCH && longer.includes(shorter);
}

export function spoofVerdict(input: {
  readonly sender: string;
  readonly text: string;
  readonly verifiedSender: string;
  /** Texts Chapar sent to the reporter's number (empty when the reporter gave none). */
  readonly textsSentToReporter: readonly string[];
}): Verdict {
  if (!isSameSender(input.sender, input.verifiedSender)) return 'spoofed';
  return input.textsSentToReporter.some((sent) => textsMatch(input.text, sent)) ? 'genuine' : 'unverified';
}

export interface SpoofReport {
  readonly id: string;
  readonly sender: string;
  readonly text: string;
  readonly receivedAt?: string;
  readonly reporterPhone?: string;
  readonly reporterEmail?: string;
  readonly verdict: Verdict;
  readonly createdAt: string;
}

/** Who filed a spoof report, as the report keeps it. */
export interface Reporter {
  readonly phone?: string;
  readonly email?: string;
}
