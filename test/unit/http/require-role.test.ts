import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CognitoAccessTokenVerifier } from '../../../shared/adapters/cognito/access-token-verifier';
import { type ApiKeyRecord, hashApiKey, newApiKey } from '../../../shared/domain/api-key';
import { requireRole } from '../../../shared/http/middleware';
import { errorBody } from '../../../shared/http/respond';
import type { ApiKeyStore } from '../../../shared/ports';
import type { AuthenticateDeps } from '../../../shared/use-cases/authenticate';

const ISSUER = 'http://127.0.0.1:9229/local_pool';
const CLIENT = 'console-client';
const BOOTSTRAP = 'bootstrap-admin-key';
const NOW = new Date('2026-12-02T10:00:00Z');

/** API keys in memory, counting the uses it records. */
class MemoryApiKeys implements ApiKeyStore {
  readonly records = new Map<string, ApiKeyRecord>();
  uses = 0;
  async create(record: ApiKeyRecord) {
    this.records.set(record.id, record);
  }
  async get(id: string) {
    return this.records.get(id);
  }
  async list() {
    return [...this.records.values()];
  }
  async delete(id: string) {
    return this.records.delete(id);
  }
  async recordUse(id: string, at: Date) {
    this.uses += 1;
    const record = this.records.get(id);
    if (record) this.records.set(id, { ...record, lastUsedAt: at.toISOString() });
  }
}

let privateKey: CryptoKey;
let otherKey: CryptoKey;
let deps: AuthenticateDeps & { apiKeys: MemoryApiKeys };

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  deps = {
    tokens: new CognitoAccessTokenVerifier({
      issuer: ISSUER,
      clientId: CLIENT,
      keys: createLocalJWKSet({ keys: [jwk] }),
    }),
    apiKeys: new MemoryApiKeys(),
    bootstrapKey: async () => BOOTSTRAP,
    now: () => NOW,
  };
});

/** A Cognito-shaped access token; `claims` replace the defaults. */
function accessToken(claims: JWTPayload = {}, key: CryptoKey = privateKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    token_use: 'access',
    client_id: CLIENT,
    username: 'u-1',
    'cognito:groups': ['marketer'],
    iss: ISSUER,
    sub: 'u-1',
    iat: now,
    exp: now + 3600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign(key);
}

/** Runs the middleware on `routeKey` with `authorization`; the status it ends with (200 = let through). */
async function statusOf(
  routeKey: string,
  authorization?: string,
): Promise<{ status: number; message?: string; requiredRole?: unknown }> {
  const event = {
    routeKey,
    headers: authorization === undefined ? {} : { Authorization: authorization },
  } as unknown as APIGatewayProxyEventV2;
  const request = { event, context: {}, response: undefined, error: undefined, internal: {} };
  try {
    await requireRole(deps).before?.(request as never);
    return { status: 200 };
  } catch (error) {
    const { status, body } = errorBody(error);
    return { status, message: body.message as string, requiredRole: body.requiredRole };
  }
}

describe('requireRole', () => {
  it('refuses a request without credentials with 401', async () => {
    expect((await statusOf('GET /v1/contacts')).status).toBe(401);
    expect((await statusOf('GET /v1/contacts', 'Basic abc')).status).toBe(401);
  });

  it('lets a signed-in marketer write contacts and refuses erasure with a 403 naming admin', async () => {
    // Prepare
    const token = `Bearer ${await accessToken()}`;
    // Act
    const write = await statusOf('PUT /v1/contacts/{contactId}', token);
    const erase = await statusOf('DELETE /v1/contacts/{contactId}', token);
    // Assess
    expect(write.status).toBe(200);
    expect(erase.status).toBe(403);
    expect(erase.message).toContain('admin');
    expect(erase.requiredRole).toBe('admin');
  });

  it('gives a viewer reads and previews, and refuses writes naming marketer', async () => {
    const token = `Bearer ${await accessToken({ 'cognito:groups': ['viewer'] })}`;
    expect((await statusOf('GET /v1/lists', token)).status).toBe(200);
    expect((await statusOf('POST /v1/campaigns/preview', token)).status).toBe(200);
    const write = await statusOf('POST /v1/lists', token);
    expect(write.status).toBe(403);
    expect(write.message).toContain('marketer');
  });

  it('refuses a user in no role group with 403', async () => {
    const token = `Bearer ${await accessToken({ 'cognito:groups': undefined })}`;
    expect((await statusOf('GET /v1/lists', token)).status).toBe(403);
  });

  it.each([
    ['an id token', { token_use: 'id' }],
    ['a token of another client', { client_id: 'other' }],
    ['a token of another issuer', { iss: 'http://127.0.0.1:9229/other_pool' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }],
  ])('refuses %s with 401', async (_what, claims) => {
    const token = `Bearer ${await accessToken(claims)}`;
    expect((await statusOf('GET /v1/lists', token)).status).toBe(401);
  });

  it('refuses a token signed by another key, and a tampered one, with 401', async () => {
    const forged = await accessToken({}, otherKey);
    expect((await statusOf('GET /v1/lists', `Bearer ${forged}`)).status).toBe(401);
    const [head, , signature] = (await accessToken()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ token_use: 'access', client_id: CLIENT, 'cognito:groups': ['admin'], iss: ISSUER }),
    ).toString('base64url');
    expect((await statusOf('GET /v1/lists', `Bearer ${head}.${payload}.${signature}`)).status).toBe(401);
  });

  it('takes an API key at its role, records its use at most once a minute, and 401s once deleted', async () => {
    // Prepare
    const { key, id, hash } = newApiKey(NOW);
    await deps.apiKeys.create({ id, name: 'ci', role: 'viewer', hash, createdAt: NOW.toISOString() });
    const before = deps.apiKeys.uses;
    // Act
    const read = await statusOf('GET /v1/contacts', `Bearer ${key}`);
    const again = await statusOf('GET /v1/contacts', `Bearer ${key}`);
    const write = await statusOf('POST /v1/lists', `Bearer ${key}`);
    // Assess
    expect([read.status, again.status, write.status]).toEqual([200, 200, 403]);
    expect(deps.apiKeys.uses - before).toBe(1);
    expect(deps.apiKeys.records.get(id)?.lastUsedAt).toBe(NOW.toISOString());
    await deps.apiKeys.delete(id);
    expect((await statusOf('GET /v1/contacts', `Bearer ${key}`)).status).toBe(401);
  });

  it('refuses a key whose secret part is wrong', async () => {
    const { key, id } = newApiKey(NOW);
    await deps.apiKeys.create({ id, name: 'x', role: 'admin', hash: hashApiKey(`${key}!`), createdAt: '' });
    expect((await statusOf('GET /v1/contacts', `Bearer ${key}`)).status).toBe(401);
  });

  it('takes the bootstrap key as admin and refuses any other string', async () => {
    expect((await statusOf('DELETE /v1/contacts/{contactId}', `Bearer ${BOOTSTRAP}`)).status).toBe(200);
    expect((await statusOf('GET /v1/contacts', 'Bearer nope')).status).toBe(401);
  });
});
