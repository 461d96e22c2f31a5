import { createHash, randomBytes } from 'node:crypto';
import type { Channel } from './types';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID: 48-bit time then 80 random bits, Crockford base32, so ids sort by creation time. */
export function newId(now: number = Date.now()): string {
  let time = '';
  let remaining = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  let random = '';
  for (const byte of randomBytes(16)) random += CROCKFORD[byte % 32];
  return time + random.slice(0, 16);
}

/** An opaque, unguessable reference (96 random bits, base64url). */
export function newRef(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The numeric local id Kavenegar stores with an SMS (15 digits, inside Number.MAX_SAFE_INTEGER),
 * derived from campaign, contact and channel so a retry can look up an unknown outcome.
 */
export function deliveryLocalId(campaignId: string, contactId: string, channel: Channel): string {
  const digest = createHash('sha256').update(`${campaignId}\u0000${contactId}\u0000${channel}`).digest();
  const value = digest.readBigUInt64BE(0) % 10n ** 15n;
  return value.toString().padStart(15, '1');
}
