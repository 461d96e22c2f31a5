import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a given secret (API key, path secret, signature, MAC) equals the expected one, in
 * time that does not depend on where they differ. Both sides are hashed to SHA-256 first, so
 * values of different lengths neither throw (timingSafeEqual's rule) nor return early, which
 * would leak the expected length.
 */
export function secretsEqual(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string | Uint8Array): Buffer {
  return createHash('sha256').update(value).digest();
}
