/** Finds a person's phone number or email address in text, in any form it may be written. */

const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;
const SEPARATORS = '[\\s\\u00a0\\-\\u2010-\\u2015.()\\u200c\\u200e\\u200f]*';

/**
 * A pattern for an Iranian mobile in every form: the ten digits after +98/0098/98/0 (the part
 * every form shares), in Latin, Persian or Arabic-Indic digits, with or without separators.
 */
function phonePattern(e164: string): RegExp {
  const significant = e164.replace(/^\+98/, '');
  const digits = [...significant].map((digit) => {
    const value = Number(digit);
    const persian = String.fromCharCode(PERSIAN_ZERO + value);
    const arabic = String.fromCharCode(ARABIC_INDIC_ZERO + value);
    return `[${digit}${persian}${arabic}]`;
  });
  return new RegExp(digits.join(SEPARATORS));
}

/** A pattern for an email address as written (even with a doubled @), in any case, or URL-encoded. */
function emailPattern(email: string): RegExp {
  const [local = '', domain = ''] = email.split('@');
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${literal(local)}(?:@+|%40|\\\\u0040)${literal(domain)}`, 'i');
}

/** Patterns for the phones (E.164) and emails of some people. */
export function personalDataPatterns(people: { phone?: string; email?: string }[]): RegExp[] {
  return people.flatMap((person) => [
    ...(person.phone ? [phonePattern(person.phone)] : []),
    ...(person.email ? [emailPattern(person.email)] : []),
  ]);
}

/** The lines of `text` that hold any of the patterns, for a readable failure. */
export function linesWithPersonalData(lines: readonly string[], patterns: readonly RegExp[]): string[] {
  return lines.filter((line) => patterns.some((pattern) => pattern.test(line)));
}
