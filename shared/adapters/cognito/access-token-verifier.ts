import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ProviderError, UnauthorizedError } from '../../domain/errors';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../../ports';

export interface CognitoTokenOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` in the cloud, `http://<host>:<port>/<poolId>` locally. */
  readonly issuer: string;
  /** The app client whose tokens are accepted. */
  readonly clientId: string;
  /** The signing keys; default the issuer's /.well-known/jwks.json, fetched once and cached. */
  readonly keys?: JWTVerifyGetKey;
}

/**
 * Cognito access tokens verified with jose, one path for the cloud and cognito-local: the
 * signature against the issuer's JWKS (cached by jose; an unknown `kid` refetches it, at most
 * once every 30 s), the issuer, the expiry, `token_use` = access and `client_id`. Cognito's
 * access tokens carry no `aud`: the client is their `client_id` claim.
 */
export class CognitoAccessTokenVerifier implements AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: CognitoTokenOptions) {
    this.keys =
      options.keys ??
      createRemoteJWKSet(new URL(`${options.issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        algorithms: ['RS256'],
      }));
    } catch (error) {
      // The keys could not be fetched: the caller's token may be fine, so a 503 to retry, not a 401.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))
        throw new ProviderError(
          'cognito',
          'JwksUnavailable',
          'retryable',
          'The signing keys could not be read',
          {
            cause: error,
          },
        );
      throw new UnauthorizedError(reasonOf(error), { cause: error });
    }
    if (payload.token_use !== 'access')
      throw new UnauthorizedError('Invalid access token: not an access token');
    if (payload.client_id !== this.options.clientId)
      throw new UnauthorizedError('Invalid access token: issued to another client');
    const groups = payload['cognito:groups'];
    return {
      subject: String(payload.sub ?? ''),
      username: String(payload.username ?? payload.sub ?? ''),
      groups: Array.isArray(groups)
        ? groups.filter((group): group is string => typeof group === 'string')
        : [],
    };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Invalid access token: expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `Invalid access token: ${error.claim} is wrong`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Invalid access token: bad signature';
  if (error instanceof errors.JWKSNoMatchingKey) return 'Invalid access token: unknown signing key';
  return 'Invalid access token';
}
