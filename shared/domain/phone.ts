/**
 * Iranian mobile numbers as people write them: 09…, 9…, +989…, 989…, 00989…, in Latin,
 * Persian (۰-۹) or Arabic-Indic (٠-٩) digits, with spaces, dashes, parentheses, ZWNJ and
 * bidi marks. Stored as E.164 (+989xxxxxxxxx).
 */

export type PhoneResult =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly reason: string };

const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;

/** Turns Persian and Arabic-Indic digits into Latin ones; leaves everything else alone. */
export function toLatinDigits(input: string): string {
  return input.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    const zero = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String(code - zero);
  });
}

// Spaces (incl. NBSP), dashes (incl. Unicode dashes), dots, parentheses, ZWNJ/ZWJ and bidi marks.
const SEPARATORS = /\u200d|[\s\u00a0\-\u2010-\u2015.()\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const FORMS: readonly RegExp[] = [
  /^\+98(9\d{9})$/,
  /^0098(9\d{9})$/,
  /^98(9\d{9})$/,
  /^0(9\d{9})$/,
  /^(9\d{9})$/,
];

/** Normalises an Iranian mobile number to E.164, or says why it is not one. */
export function normaliseIranianMobile(input: string): PhoneResult {
  const compact = toLatinDigits(input).replace(SEPARATORS, '');
  if (compact === '') return { ok: false, reason: 'is empty' };
  if (!/^\+?\d+$/.test(compact)) {
    return { ok: false, reason: 'may contain only digits, spaces, dashes, parentheses and a leading +' };
  }
  for (const form of FORMS) {
    const match = form.exec(compact);
    if (match?.[1]) return { ok: true, e164: `+98${match[1]}` };
  }
  return { ok: false, reason: 'is not an Iranian mobile number (expected 09xxxxxxxxx or +989xxxxxxxxx)' };
}

/** Kavenegar's form of an E.164 Iranian mobile: 09xxxxxxxxx. */
export function toNationalMobile(e164: string): string {
  return e164.startsWith('+98') ? `0${e164.slice(3)}` : e164;
}
