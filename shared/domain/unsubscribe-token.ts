import { createHmac } from 'node:crypto';
import { secretsEqual } from './constant-time';
import { CHANNELS, type Channel } from './types';

/**
 * Unsubscribe tokens: `<kid>.<payload>.<signature>`, base64url throughout. The payload names
 * the contact by its opaque ref (never a phone, email or the marketer's id), the channel,
 * the topic and the campaign; the signature is HMAC-SHA256 under the key `kid`, truncated
 * to 128 bits and compared in constant time.
 */

export interface TokenClaims {
  readonly ref: string;
  readonly channel: Channel;
  readonly topic: string;
  readonly campaignId: string;
}

export interface TokenKey {
  readonly secret: string;
  /** ISO-8601; after this a retired key no longer verifies (rotation grace period). */
  readonly validUntil?: string;
}

/** Signing keys by id; `current` signs, every unexpired key verifies. */
export interface TokenKeyring {
  readonly current: string;
  readonly keys: Readonly<Record<string, TokenKey>>;
}

export type TokenResult =
  | { readonly ok: true; readonly claims: TokenClaims; readonly kid: string }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown-key' | 'expired-key' | 'bad-signature' };

const KID = /^[A-Za-z0-9_-]{1,16}$/;
const REF = /^[A-Za-z0-9_-]{8,32}$/;
const TOPIC = /^(\*|[a-z][a-z0-9-]{1,39})$/;
const CAMPAIGN = /^[A-Za-z0-9_-]{1,40}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_BYTES = 16;
const MAX_TOKEN_LENGTH = 256;
const CHANNEL_CODES: Record<Channel, string> = { sms: 's', email: 'e' };

function sign(secret: string, kid: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`v1.${kid}.${payload}`).digest().subarray(0, SIGNATURE_BYTES);
}

/** Signs claims with the keyring's current key. */
export function signUnsubscribeToken(claims: TokenClaims, keyring: TokenKeyring): string {
  const key = keyring.keys[keyring.current];
  if (!key) throw new Error(`Token keyring has no key "${keyring.current}"`);
  const fields = [claims.ref, CHANNEL_CODES[claims.channel], claims.topic, claims.campaignId];
  const payload = Buffer.from(fields.join('|'), 'utf8').toString('base64url');
  return `${keyring.current}.${payload}.${sign(key.secret, keyring.current, payload).toString('base64url')}`;
}

function decodeClaims(payload: string): TokenClaims | undefined {
  const fields = Buffer.from(payload, 'base64url').toString('utf8').split('|');
  if (fields.length !== 4) return undefined;
  const [ref, code, topic, campaignId] = fields as [string, string, string, string];
  const channel = CHANNELS.find((candidate) => CHANNEL_CODES[candidate] === code);
  if (!channel || !REF.test(ref) || !TOPIC.test(topic) || !CAMPAIGN.test(campaignId)) return undefined;
  return { ref, channel, topic, campaignId };
}

/** Verifies a token; any doubt is a refusal, never an exception. */
export function verifyUnsubscribeToken(
  token: string,
  keyring: TokenKeyring,
  now: Date = new Date(),
): TokenResult {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [kid, payload, signature] = parts as [string, string, string];
  if (!KID.test(kid) || !B64URL.test(payload) || !B64URL.test(signature))
    return { ok: false, reason: 'malformed' };
  const key = Object.hasOwn(keyring.keys, kid) ? keyring.keys[kid] : undefined;
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (key.validUntil !== undefined && now.getTime() > Date.parse(key.validUntil)) {
    return { ok: false, reason: 'expired-key' };
  }
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(key.secret, kid, payload);
  // Re-encoding must round-trip: rejects non-canonical base64url that decodes to the same bytes.
  if (given.length !== expected.length || given.toString('base64url') !== signature) {
    return { ok: false, reason: 'bad-signature' };
  }
  if (!secretsEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  if (Buffer.from(payload, 'base64url').toString('base64url') !== payload)
    return { ok: false, reason: 'malformed' };
  const claims = decodeClaims(payload);
  return claims ? { ok: true, claims, kid } : { ok: false, reason: 'malformed' };
}

/**
 * Parses the keyring secret: `{"current":"k1","keys":{"k1":"secret"}}`, where a key may also
 * be `{"secret":"…","validUntil":"ISO-8601"}` while it is being retired.
 */
export function parseTokenKeyring(json: string): TokenKeyring {
  const raw: unknown = JSON.parse(json);
  if (typeof raw !== 'object' || raw === null) throw new Error('Token keyring must be a JSON object');
  const { current, keys } = raw as { current?: unknown; keys?: unknown };
  if (typeof current !== 'string' || typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw new Error('Token keyring needs "current" and "keys"');
  }
  const parsed: Record<string, TokenKey> = {};
  for (const [kid, value] of Object.entries(keys)) {
    if (!KID.test(kid)) throw new Error(`Token key id "${kid}" must match ${KID}`);
    if (typeof value === 'string' && value.length >= 8) parsed[kid] = { secret: value };
    else if (
      typeof value === 'object' &&
      value !== null &&
      typeof value.secret === 'string' &&
      value.secret.length >= 8
    ) {
      const { validUntil } = value;
      // An unreadable validUntil would compare as NaN and never expire: refuse it instead.
      if (
        validUntil !== undefined &&
        (typeof validUntil !== 'string' || Number.isNaN(Date.parse(validUntil)))
      ) {
        throw new Error(`Token key "${kid}" has a validUntil that is not an ISO-8601 date-time`);
      }
      parsed[kid] = validUntil ? { secret: value.secret, validUntil } : { secret: value.secret };
    } else throw new Error(`Token key "${kid}" must be a secret of at least 8 characters`);
  }
  if (!Object.hasOwn(parsed, current)) throw new Error(`Token keyring's current key "${current}" is missing`);
  return { current, keys: parsed };
}
