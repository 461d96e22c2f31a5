/**
 * API keys for machine clients: `chk_<id>_<secret>`, the id (a ULID) naming the stored record so
 * a lookup is one GetItem, the secret 256 random bits. Only the SHA-256 of the whole key is kept:
 * a leaked table gives no key, and a key this random needs no slow hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { newId } from './ids';
import { schema } from './mini-validation';
import { ROLES, type Role } from './roles';

const KEY = /^chk_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;
export const API_KEY_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Last use is written at most this often per key: a busy key costs one write a minute. */
export const LAST_USE_RESOLUTION_MS = 60_000;

/** A key as stored: never the key itself. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** SHA-256 of the whole key, hex. */
  readonly hash: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string;
}

/** What GET /v1/api-keys shows of a key. */
export type ApiKeyView = Omit<ApiKeyRecord, 'hash'>;

export const apiKeyInputSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    name: z
      .string('must be text')
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(100, 'must be at most 100 characters'),
      ),
    role: z.enum(ROLES, `must be one of ${ROLES.join(', ')}`),
  }),
);
export type ApiKeyInput = z.output<typeof apiKeyInputSchema>;

/** A new key and the record that stores it. */
export function newApiKey(now: Date): { key: string; id: string; hash: string } {
  const id = newId(now.getTime());
  const key = `chk_${id}_${randomBytes(32).toString('base64url')}`;
  return { key, id, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The record id a key names, or undefined when it is not shaped like a Chapar key. */
export function apiKeyId(key: string): string | undefined {
  return KEY.exec(key)?.[1];
}

export function viewOfApiKey({ hash: _hash, ...view }: ApiKeyRecord): ApiKeyView {
  return view;
}

/** Whether a use at `now` should be written, given the last one recorded. */
export function lastUseIsStale(lastUsedAt: string | undefined, now: Date): boolean {
  return lastUsedAt === undefined || now.getTime() - Date.parse(lastUsedAt) >= LAST_USE_RESOLUTION_MS;
}
