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

/**
 * The key that names one sending line whatever way it was written: Latin digits without a
 * 0098/98 country prefix for numbers; for a sender name (an alphanumeric sender id), its
 * letters folded to lower case with spacing and bidi marks removed.
 */
export function senderKey(sender: string): string {
  const latin = toLatinDigits(sender).normalize('NFKC');
  const digits = latin.replace(/\D/g, '');
  if (digits !== '' && /^[\s\d+()\-.]*$/.test(latin)) {
    if (digits.startsWith('0098')) return digits.slice(4);
    if (digits.startsWith('98') && digits.length > 10) return digits.slice(2);
    // The national trunk 0 (0912…, 021…) is not part of the number.
    if (/^0[1-9]\d{8,}$/.test(digits)) return digits.slice(1);
    return digits;
  }
  return normaliseSmsText(latin).toLowerCase().replace(/\s/g, '');
}

/** What one spoof report says, with nothing that depends on how its bytes were written. */
export interface ReportMeaning {
  readonly sender: string;
  readonly text: string;
  readonly receivedAt: string | null;
  readonly reporterPhone: string | null;
  readonly reporterEmail: string | null;
}

/**
 * A report reduced to its meaning, so that the same report sent again with other spacing,
 * digits, key order or JSON formatting is recognised as a replay: the sender as its
 * {@link senderKey}, the text normalised, receivedAt as an instant (UTC, milliseconds), the
 * reporter's phone (E.164) and email as already normalised by validation.
 */
export function reportMeaning(report: {
  readonly sender: string;
  readonly text: string;
  readonly receivedAt?: string | undefined;
  readonly reporterPhone?: string | undefined;
  readonly reporterEmail?: string | undefined;
}): ReportMeaning {
  const received = report.receivedAt === undefined ? Number.NaN : Date.parse(report.receivedAt);
  return {
    sender: senderKey(report.sender),
    text: normaliseSmsText(report.text),
    receivedAt: Number.isNaN(received) ? null : new Date(received).toISOString(),
    reporterPhone: report.reporterPhone ?? null,
    reporterEmail: report.reporterEmail ?? null,
  };
}

/** A report as Chapar keeps it. */
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
