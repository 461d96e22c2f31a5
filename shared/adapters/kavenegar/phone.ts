/**
 * Iranian mobile numbers between Chapar's E.164 (`+989xxxxxxxxx`) and Kavenegar's
 * national form (`09xxxxxxxxx`). Structural only: operator ranges change, Kavenegar is the
 * judge of which exist (it answers 411).
 */

const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;

/** Spaces, dashes, parentheses, dots, ZWNJ and LRM/RLM marks people paste around numbers. */
const NOISE = /[\s\-().\u200c\u200e\u200f]/g;
const MOBILE = /^(?:\+98|0098|98|0)?(9\d{9})$/;

function toAsciiDigits(value: string): string {
  return value.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    const zero = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String(code - zero);
  });
}

/** The ten significant digits (`9xxxxxxxxx`), or undefined when the value is no Iranian mobile. */
function significantDigits(phone: string): string | undefined {
  return MOBILE.exec(toAsciiDigits(phone).replace(NOISE, ''))?.[1];
}

/** `+989121234567` (or any accepted form) to `09121234567`; undefined when not an Iranian mobile. */
export function toKavenegarReceptor(phone: string): string | undefined {
  const digits = significantDigits(phone);
  return digits === undefined ? undefined : `0${digits}`;
}

/** A receptor as Kavenegar returns it (`09121234567`) to E.164; unrecognised values are returned as is. */
export function fromKavenegarReceptor(receptor: string): string {
  const digits = significantDigits(receptor);
  return digits === undefined ? receptor : `+98${digits}`;
}
