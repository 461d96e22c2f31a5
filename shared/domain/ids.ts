import { createHash, randomBytes } from 'node:crypto';
import { toLatinDigits } from './phone';
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

/** URI schemes a phone or an address may be written with; they hide nothing and are dropped. */
const URI_PREFIX = /^(?:tel|sms|mailto):/i;
/**
 * What people put between the digits of a number (`0912_555_0004`, `+98 912-555 0004`):
 * dropped before looking, ZWNJ and bidi marks included.
 */
const ID_SEPARATORS = /[\s_.:+()\-\u2010-\u2015\u200c-\u200f\u202a-\u202e\u2066-\u2069]/g;
/**
 * An Iranian mobile's ten significant digits. Every written form (09…, 989…, 00989…, +989…)
 * contains them, so finding them anywhere finds all of those.
 */
const MOBILE_DIGITS = /9\d{9}/;
/** A local part, `@` and the start of a domain: `sara@example` is an address even without a TLD. */
const EMAIL_LIKE = /[^@]@[\p{L}\p{N}]/u;
/**
 * A UUID as generators write it. Its 32 random hex digits hold ten decimal digits starting with
 * a 9 about once in fifty UUIDs once the dashes go, so it is not searched for a phone: nobody
 * writes a phone number as a UUID.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const OUTLIVES_ERASURE = 'it outlives an erasure; use an opaque id such as your CRM id';

/**
 * Why an id may not name a contact, or undefined when it may. A contact id lives on after an
 * erasure (in delivery keys, the consent ledger, campaign audiences), so no phone number or
 * email address may be readable in it, however written: separators and `tel:`/`sms:`/`mailto:`
 * are dropped and Persian or Arabic-Indic digits read as Latin, then an Iranian mobile
 * (9xxxxxxxxx, with or without 0, 98 or 0098) anywhere in it, or `@` followed by a domain,
 * refuses it. Opaque ids such as `c1`, `cust-000123`, `shop:42`, ULIDs, UUIDs and numeric ids
 * shorter than a phone number pass; a numeric id of ten digits or more may hold a mobile's
 * digits and is refused when it does.
 */
export function contactIdProblem(contactId: string): string | undefined {
  const unprefixed = toLatinDigits(contactId.trim()).replace(URI_PREFIX, '');
  if (!UUID.test(unprefixed) && MOBILE_DIGITS.test(unprefixed.replace(ID_SEPARATORS, ''))) {
    return `must not contain a phone number: ${OUTLIVES_ERASURE}`;
  }
  if (EMAIL_LIKE.test(unprefixed)) return `must not contain an email address: ${OUTLIVES_ERASURE}`;
  return undefined;
}
