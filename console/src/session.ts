/**
 * Sign-in with Amazon Cognito (cognito-local on the local platform): USER_PASSWORD_AUTH through
 * Cognito's JSON API, no SDK. Tokens live in sessionStorage (gone with the tab); the access token
 * is refreshed with the refresh token a minute before it expires.
 */
import type { ConsoleConfig } from './config';

export type Role = 'admin' | 'marketer' | 'viewer';

export interface SignedIn {
  readonly username: string;
  readonly email: string;
  readonly role: Role;
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** Cognito refused: `code` is its exception name (NotAuthorizedException …). */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Cognito asks for a new password (an invited user's first sign-in). */
export interface NewPasswordChallenge {
  readonly challenge: 'NEW_PASSWORD_REQUIRED';
  readonly session: string;
  readonly username: string;
}

const STORAGE_KEY = 'chapar.session';

function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

const ROLES: readonly Role[] = ['admin', 'marketer', 'viewer'];

/** The strongest role among the token's Cognito groups (viewer when none). */
export function roleOf(accessToken: string): Role {
  const groups = claims(accessToken)['cognito:groups'];
  const list = Array.isArray(groups) ? groups.map(String) : [];
  return ROLES.find((role) => list.includes(role)) ?? 'viewer';
}

interface AuthResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
}

async function cognito<T>(config: ConsoleConfig, action: string, body: unknown): Promise<T> {
  let answer: Response;
  try {
    answer = await fetch(config.cognito.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SignInError('NetworkError', 'network');
  }
  const parsed = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (!answer.ok) {
    const code =
      String(parsed.__type ?? parsed.code ?? 'Error')
        .split('#')
        .pop() ?? 'Error';
    throw new SignInError(code, String(parsed.message ?? parsed.Message ?? code));
  }
  return parsed as T;
}

function toSession(result: AuthResult, refreshToken: string): SignedIn {
  const id = claims(result.IdToken);
  const access = claims(result.AccessToken);
  return {
    username: String(access.username ?? id['cognito:username'] ?? ''),
    email: String(id.email ?? ''),
    role: roleOf(result.AccessToken),
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken,
    expiresAt: Date.now() + result.ExpiresIn * 1000,
  };
}

export function savedSession(): SignedIn | undefined {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as SignedIn;
  } catch {
    return undefined;
  }
}

function save(session: SignedIn | undefined): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

export function signOut(): void {
  save(undefined);
}

/** Signs in with email and password; a new password challenge comes back for invited users. */
export async function signIn(
  config: ConsoleConfig,
  email: string,
  password: string,
): Promise<SignedIn | NewPasswordChallenge> {
  const answer = await cognito<{
    AuthenticationResult?: AuthResult;
    ChallengeName?: string;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
  }>(config, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: config.cognito.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED' && answer.Session) {
    return {
      challenge: 'NEW_PASSWORD_REQUIRED',
      session: answer.Session,
      username: answer.ChallengeParameters?.USER_ID_FOR_SRP ?? email,
    };
  }
  if (!answer.AuthenticationResult) throw new SignInError(answer.ChallengeName ?? 'Error', 'unsupported');
  const session = toSession(answer.AuthenticationResult, answer.AuthenticationResult.RefreshToken ?? '');
  save(session);
  return session;
}

/** Answers the new-password challenge and signs in. */
export async function setNewPassword(
  config: ConsoleConfig,
  challenge: NewPasswordChallenge,
  password: string,
): Promise<SignedIn> {
  const answer = await cognito<{ AuthenticationResult?: AuthResult }>(config, 'RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: config.cognito.clientId,
    Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: password },
  });
  if (!answer.AuthenticationResult) throw new SignInError('Error', 'unsupported');
  const session = toSession(answer.AuthenticationResult, answer.AuthenticationResult.RefreshToken ?? '');
  save(session);
  return session;
}

/** A valid access token for `session`, refreshed when it has under a minute left. */
export async function freshToken(config: ConsoleConfig, session: SignedIn): Promise<SignedIn> {
  if (session.expiresAt - Date.now() > 60_000) return session;
  const answer = await cognito<{ AuthenticationResult?: AuthResult }>(config, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: config.cognito.clientId,
    AuthParameters: { REFRESH_TOKEN: session.refreshToken },
  });
  if (!answer.AuthenticationResult) throw new SignInError('NotAuthorizedException', 'expired');
  const next = toSession(answer.AuthenticationResult, session.refreshToken);
  save(next);
  return next;
}
