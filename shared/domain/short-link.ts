import { createHmac } from 'node:crypto';
import type { Channel } from './types';

/** Unsubscribe links in SMS must stay short: 10 base62 characters hold about 59.5 bits. */
export const SHORT_LINK_CODE_LENGTH = 10;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CODE_SPACE = 62n ** BigInt(SHORT_LINK_CODE_LENGTH);
const CODE_PATTERN = /^[0-9A-Za-z]{10}$/;

/** What a short link is made for: one contact (by its opaque ref) on one channel and topic. */
export interface ShortLinkClaims {
  readonly ref: string;
  readonly channel: Channel;
  readonly topic: string;
}

/**
 * What a short SMS unsubscribe link stands for. One link per contact × channel × topic, reused
 * by every campaign on that topic, so it names no campaign; links made before that rule keep
 * the campaign they were made for.
 */
export interface ShortLink extends ShortLinkClaims {
  readonly code: string;
  readonly campaignId?: string;
}

/** Whether `code` has the shape of a short link code (anything else finds nothing). */
export function isShortLinkCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}

/**
 * The code of a link: an HMAC-SHA256 of its claims under a secret key, as 10 base62 characters
 * (the 256-bit digest reduced modulo 62^10: a bias under 2^-196). Nobody without the key can
 * compute or guess a contact's code, and the code carries nothing personal; anyone with the key
 * finds it again without a lookup. `attempt` picks another code for the rare claims whose code
 * another contact's link already holds.
 */
export function shortLinkCode(key: string, claims: ShortLinkClaims, attempt = 0): string {
  const digest = createHmac('sha256', key)
    .update(['chapar-short-link', claims.ref, claims.channel, claims.topic, String(attempt)].join('\u0000'))
    .digest('hex');
  let value = BigInt(`0x${digest}`) % CODE_SPACE;
  let code = '';
  for (let i = 0; i < SHORT_LINK_CODE_LENGTH; i++) {
    code = ALPHABET[Number(value % 62n)] + code;
    value /= 62n;
  }
  return code;
}

/** Whether two claims name the same link. */
export function sameClaims(a: ShortLinkClaims, b: ShortLinkClaims): boolean {
  return a.ref === b.ref && a.channel === b.channel && a.topic === b.topic;
}
