/**
 * Text bound for an email header (Subject, a From display name): whatever a marketer, a
 * contact's attributes or a spoof reporter wrote goes through {@link sanitiseHeaderField} first.
 */

/** Line breaks and tabs: a CR/LF would start a new header, so each becomes a space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/**
 * Every other control character (C0 with NUL, DEL, C1) and the invisible direction controls
 * that can disguise a subject or a sender: ALM, LRM, RLM, the embeddings and overrides
 * (U+202A–U+202E, U+202E reverses what follows) and the isolates (U+2066–U+2069). ZWNJ
 * (U+200C) and ZWJ (U+200D) stay: Persian words need them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A header field's value that cannot add a header or reorder what the reader sees: breaks
 * become single spaces, the other controls and the bidi overrides and isolates are removed,
 * and the result is trimmed.
 */
export function sanitiseHeaderField(value: string): string {
  return value.replace(BREAKS, ' ').replace(INVISIBLE_CONTROLS, '').replace(/ {2,}/g, ' ').trim();
}
