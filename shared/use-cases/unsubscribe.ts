import type { ConsentSource } from '../domain/consent';
import { type ConsentEvidence, ipPrefix } from '../domain/consent';
import { NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import { ALL_TOPICS, type Contact } from '../domain/types';
import { type TokenClaims, type TokenKeyring, verifyUnsubscribeToken } from '../domain/unsubscribe-token';
import type { ConsentStore, ContactStore } from '../ports';

export interface UnsubscribeDeps {
  readonly contacts: ContactStore;
  readonly consent: ConsentStore;
  readonly keyring: () => Promise<TokenKeyring>;
  readonly now: () => Date;
}

/** Verifies a token and finds its contact; any doubt is a 4xx and nothing is written. */
export async function resolveToken(
  deps: Pick<UnsubscribeDeps, 'contacts' | 'keyring'>,
  token: string,
): Promise<{ claims: TokenClaims; contact: Contact }> {
  const result = verifyUnsubscribeToken(token, await deps.keyring());
  if (!result.ok) throw new ValidationError(`Invalid unsubscribe link (${result.reason})`);
  const contact = await deps.contacts.getByRef(result.claims.ref);
  if (!contact) throw new NotFoundError('This unsubscribe link no longer names a contact');
  return { claims: result.claims, contact };
}

/**
 * Records an opt-out from a signed link: the token's topic, or every topic on its channel.
 * Idempotent: a second opt-out leaves the same state and one more ledger entry.
 */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  input: {
    token: string;
    scope: 'topic' | 'all';
    source: Extract<ConsentSource, 'link' | 'one-click'>;
    userAgent?: string;
    sourceIp?: string;
  },
): Promise<{ claims: TokenClaims; contact: Contact }> {
  const resolved = await resolveToken(deps, input.token);
  const prefix = ipPrefix(input.sourceIp);
  const evidence: ConsentEvidence = {
    ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 256) } : {}),
    ...(prefix ? { ipPrefix: prefix } : {}),
  };
  const now = deps.now();
  await deps.consent.record({
    id: newId(now.getTime()),
    contactId: resolved.contact.id,
    action: 'opt_out',
    channel: resolved.claims.channel,
    topic: input.scope === 'all' ? ALL_TOPICS : resolved.claims.topic,
    source: input.source,
    at: now.toISOString(),
    campaignId: resolved.claims.campaignId,
    evidence,
  });
  return resolved;
}
