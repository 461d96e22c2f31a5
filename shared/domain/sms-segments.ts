/**
 * How many SMS segments (parts) a text takes, as handsets and SMS centres split it
 * (3GPP TS 23.038 and 23.040). A text entirely in the GSM 03.38 alphabet travels as GSM-7:
 * 160 septets alone, 153 per part once split (the rest is the concatenation header); a
 * character of the extension table costs two septets (escape + code). Any other character
 * switches the whole text to UCS-2: 70 UTF-16 code units alone, 67 per part, so an emoji
 * (a surrogate pair) counts 2. Persian text is always UCS-2.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsAnalysis {
  readonly encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  readonly characters: number;
  /** Parts the text is sent (and billed) as; 0 for an empty text. */
  readonly segments: number;
  /** Capacity of one part at this length: the single-part limit, or the per-part one when split. */
  readonly perSegment: number;
}

/** GSM 03.38 basic character set (LF and CR included; the escape code is not a character). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table: reached through the escape code, so two septets each. */
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS: Readonly<Record<SmsEncoding, { single: number; perPart: number }>> = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
};

/** Units each character takes, or undefined when the text needs UCS-2. */
function gsmUnits(text: string): number[] | undefined {
  const units: number[] = [];
  for (const char of text) {
    if (GSM_BASIC.has(char)) units.push(1);
    else if (GSM_EXTENSION.has(char)) units.push(2);
    else return undefined;
  }
  return units;
}

/**
 * Parts needed for characters of the given sizes. A character is never cut across two parts
 * (an escape pair in GSM-7, a surrogate pair in UCS-2), so a part may hold one unit less.
 */
function countSegments(units: readonly number[], total: number, encoding: SmsEncoding): number {
  const { single, perPart } = LIMITS[encoding];
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of units) {
    if (used + size > perPart) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/** The text's encoding and the units each of its characters takes in it. */
function encode(text: string): { encoding: SmsEncoding; units: number[] } {
  const gsm = gsmUnits(text);
  if (gsm) return { encoding: 'GSM-7', units: gsm };
  return { encoding: 'UCS-2', units: [...text].map((char) => char.length) };
}

/**
 * The length of an SMS text as Kavenegar and the carriers count it: GSM-7 septets (an
 * extension character counts 2) when the whole text fits GSM 03.38, else UCS-2 code units
 * (a surrogate pair such as an emoji counts 2). Not `text.length`, nor code points: this is
 * the one measure every SMS limit (MAX_SMS_LENGTH, the campaign text limit) is checked with.
 */
export function smsLength(text: string): number {
  return encode(text).units.reduce((sum, size) => sum + size, 0);
}

/** Encoding, length and segments of an SMS text exactly as it will be sent. */
export function analyseSms(text: string): SmsAnalysis {
  const { encoding, units } = encode(text);
  const characters = units.reduce((sum, size) => sum + size, 0);
  const segments = countSegments(units, characters, encoding);
  const { single, perPart } = LIMITS[encoding];
  return { encoding, characters, segments, perSegment: segments > 1 ? perPart : single };
}
