import { apiKeyId, hashApiKey, lastUseIsStale } from '../domain/api-key';
import { secretsEqual } from '../domain/constant-time';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import { type Role, roleAllows, roleOfGroups } from '../domain/roles';
import type { AccessTokenVerifier, ApiKeyStore } from '../ports';

/** Who is calling, once their credentials were checked. */
export interface Principal {
  /** `user`: a signed-in person; `apiKey`: a key admins made; `bootstrap`: the key in Secrets Manager. */
  readonly kind: 'user' | 'apiKey' | 'bootstrap';
  /** The user's username or the key's id ('bootstrap' for the bootstrap key). */
  readonly id: string;
  /** Undefined for a user in no role group. */
  readonly role?: Role;
}

export interface AuthenticateDeps {
  readonly tokens: AccessTokenVerifier;
  readonly apiKeys: ApiKeyStore;
  /** The bootstrap admin key (chapar/api-key). */
  readonly bootstrapKey: () => Promise<string>;
  readonly now: () => Date;
}

const BEARER = /^Bearer\s+(\S+)$/i;
/** A JWT's three base64url parts; Cognito's start with `eyJ` (`{"`). */
const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

/**
 * The caller behind an Authorization header: a Cognito access token (verified in full), an API
 * key (its hash compared in constant time, its last use recorded at most once a minute), or the
 * bootstrap key.
 * @throws UnauthorizedError when the header is missing or its credentials are not valid.
 */
export async function authenticate(
  deps: AuthenticateDeps,
  authorization: string | undefined,
): Promise<Principal> {
  const given = BEARER.exec(authorization ?? '')?.[1];
  if (!given)
    throw new UnauthorizedError('Missing credentials: send Authorization: Bearer <access token or API key>');
  if (JWT.test(given)) {
    const token = await deps.tokens.verify(given);
    return { kind: 'user', id: token.username, role: roleOfGroups(token.groups) };
  }
  const id = apiKeyId(given);
  if (id !== undefined) {
    const record = await deps.apiKeys.get(id);
    if (!record || !secretsEqual(hashApiKey(given), record.hash))
      throw new UnauthorizedError('Invalid API key');
    const now = deps.now();
    if (lastUseIsStale(record.lastUsedAt, now)) await deps.apiKeys.recordUse(id, now);
    return { kind: 'apiKey', id, role: record.role };
  }
  if (!secretsEqual(given, await deps.bootstrapKey())) throw new UnauthorizedError('Invalid API key');
  return { kind: 'bootstrap', id: 'bootstrap', role: 'admin' };
}

/** @throws ForbiddenError naming the role needed when the principal's role is below it. */
export function assertRole(principal: Principal, needed: Role): void {
  if (principal.role !== undefined && roleAllows(principal.role, needed)) return;
  const has = principal.role === undefined ? 'no role' : `the role ${principal.role}`;
  throw new ForbiddenError(`This needs the role ${needed} (or above); the caller has ${has}`, {
    context: { needed },
  });
}
