import { randomBytes } from 'node:crypto';
import type { ShortLink, ShortLinkClaims } from '../../../shared/domain/short-link';
import type { LinkStore } from '../../../shared/ports';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const claimsKey = (claims: ShortLinkClaims) => [claims.ref, claims.channel, claims.topic].join('\u0000');

/**
 * LinkStore in memory, like shared/adapters/dynamodb/link-store.ts: random 10-character base62
 * codes, one link per contact × channel × topic whatever the campaign, and a malformed code
 * finds nothing.
 */
export class MemoryLinkStore implements LinkStore {
  private readonly byCode = new Map<string, ShortLink>();
  private readonly byClaims = new Map<string, string>();

  /** @param seed links stored as they are. */
  constructor(seed: readonly ShortLink[] = []) {
    for (const link of seed) {
      this.byCode.set(link.code, link);
      this.byClaims.set(claimsKey(link), link.code);
    }
  }

  async linkFor(claims: ShortLinkClaims): Promise<ShortLink> {
    const wanted = { ref: claims.ref, channel: claims.channel, topic: claims.topic };
    const existing = this.byClaims.get(claimsKey(wanted));
    if (existing) return { ...wanted, code: existing };
    let code = '';
    for (const byte of randomBytes(10)) code += ALPHABET[byte % 62];
    this.byCode.set(code, { ...wanted, code });
    this.byClaims.set(claimsKey(wanted), code);
    return { ...wanted, code };
  }

  async find(code: string): Promise<ShortLink | undefined> {
    if (!/^[0-9A-Za-z]{10}$/.test(code)) return undefined;
    return this.byCode.get(code);
  }
}
