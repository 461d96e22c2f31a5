/**
 * How many SMS parts a text takes: GSM-7 (160 septets alone, 153 per part when split) unless
 * any character is outside the GSM alphabet, then UCS-2 (70 alone, 67 per part). Persian
 * text is always UCS-2.
 */

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Reached through the escape character, so each costs two septets. */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** Number of parts Kavenegar bills for `text`. */
export function countParts(text: string): number {
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1;
    else if (GSM_EXTENSION.has(char)) septets += 2;
    else return split(text.length, 70, 67);
  }
  return split(septets, 160, 153);
}

function split(units: number, single: number, perPart: number): number {
  return units <= single ? 1 : Math.ceil(units / perPart);
}
