import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpMethod, routes } from '../../shared/definitions';
import { ROLES, type Role, requiredRole, roleAllows } from '../../shared/domain/roles';
import { API_KEY, call } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { signIn, userWithRole } from '../support/sign-in';

let platform: TestPlatform;
let api: string;
const tokens = {} as Record<Role | 'none', string>;

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
  const pool = platform.endpoints.cognito;
  tokens.admin = await signIn(pool, 'admin@chapar.local', 'local-admin-password');
  tokens.marketer = await userWithRole(pool, 'marketer@chapar.test', 'marketer');
  tokens.viewer = await userWithRole(pool, 'viewer@chapar.test', 'viewer');
  tokens.none = await userWithRole(pool, 'nobody@chapar.test', undefined);
});
afterAll(() => platform?.end());

const bearer = (credential: string) => ({ auth: false, headers: { authorization: `Bearer ${credential}` } });

/** A request to `path` with its parameters filled in, and an empty JSON body where one is read. */
function request(method: HttpMethod, path: string, credential?: string) {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => `probe-${name.toLowerCase()}`);
  const body = method === 'GET' || method === 'DELETE' ? {} : { json: {} };
  return call(api, method, url, { ...body, ...(credential ? bearer(credential) : { auth: false }) });
}

const guarded = routes.filter((route) => route.function === 'http-api' && !route.public);

describe('every API route, role by role', () => {
  it('covers every route of the http-api function', () => {
    expect(guarded.length).toBeGreaterThan(30);
  });

  describe.each(guarded.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s',
    (_, route) => {
      const needed = requiredRole(route.method, route.path);

      it('answers 401 without credentials and with a wrong key', async () => {
        expect((await request(route.method, route.path)).status).toBe(401);
        expect((await request(route.method, route.path, 'not-a-key')).status).toBe(401);
      });

      it('answers 403 naming the role to a user in no role group', async () => {
        const reply = await request(route.method, route.path, tokens.none);
        expect(reply.status).toBe(403);
        expect(reply.text).toContain(`the role ${needed}`);
        expect(reply.body).toMatchObject({ requiredRole: needed });
      });

      it.each(ROLES)(`as %s: 403 naming ${needed} below it, let through from it`, async (role) => {
        // Act
        const reply = await request(route.method, route.path, tokens[role]);
        // Assess
        if (roleAllows(role, needed)) {
          expect([401, 403]).not.toContain(reply.status);
          expect(reply.status).toBeLessThan(500);
        } else {
          expect(reply.status).toBe(403);
          expect(reply.text).toContain(`the role ${needed}`);
        }
      });
    },
  );
});

describe('API keys', () => {
  it('an admin makes a key shown once; it works at its role, shows its last use, and gets 401 once deleted', async () => {
    // Prepare
    const created = await call<{ id: string; key: string; role: string; name: string }>(
      api,
      'POST',
      '/v1/api-keys',
      {
        json: { name: 'shop backend', role: 'marketer' },
        ...bearer(tokens.admin),
      },
    );
    expect(created.status).toBe(201);
    const { id, key } = created.body;
    expect(created.body).toMatchObject({ name: 'shop backend', role: 'marketer' });
    // Act
    const write = await call(api, 'PUT', '/v1/contacts/key-user', {
      json: { email: 'key-user@example.com' },
      ...bearer(key),
    });
    const erase = await call(api, 'DELETE', '/v1/contacts/key-user', bearer(key));
    const listed = await call<{ items: Record<string, unknown>[] }>(
      api,
      'GET',
      '/v1/api-keys',
      bearer(tokens.admin),
    );
    const deleted = await call(api, 'DELETE', `/v1/api-keys/${id}`, bearer(tokens.admin));
    const after = await call(api, 'GET', '/v1/contacts/key-user', bearer(key));
    // Assess
    expect(write.status).toBe(200);
    expect(erase.status).toBe(403);
    const shown = listed.body.items.find((item) => item.id === id);
    expect(shown).toMatchObject({ name: 'shop backend', role: 'marketer' });
    expect(typeof shown?.lastUsedAt).toBe('string');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(shown).not.toHaveProperty('hash');
    expect(deleted.status).toBe(204);
    expect(after.status).toBe(401);
    expect((await call(api, 'DELETE', `/v1/api-keys/${id}`, bearer(tokens.admin))).status).toBe(404);
  });

  it('refuses a key without a name or with an unknown role, with the field named', async () => {
    const reply = await call(api, 'POST', '/v1/api-keys', {
      json: { role: 'owner' },
      ...bearer(tokens.admin),
    });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('name');
    expect(reply.text).toContain('role');
  });

  it('keeps the bootstrap key from Secrets Manager working as an admin', async () => {
    const reply = await call(api, 'GET', '/v1/api-keys', {
      headers: { authorization: `Bearer ${API_KEY}` },
      auth: false,
    });
    expect(reply.status).toBe(200);
  });
});

describe('users', () => {
  it('an admin invites a viewer, lists them, makes them a marketer, then disables them', async () => {
    // Act
    const invited = await call<{ username: string; role: string; status: string }>(api, 'POST', '/v1/users', {
      json: { email: 'Invitee@Chapar.test', role: 'viewer' },
      ...bearer(tokens.admin),
    });
    const again = await call(api, 'POST', '/v1/users', {
      json: { email: 'invitee@chapar.test', role: 'viewer' },
      ...bearer(tokens.admin),
    });
    const { username } = invited.body;
    const promoted = await call(api, 'PATCH', `/v1/users/${username}`, {
      json: { role: 'marketer' },
      ...bearer(tokens.admin),
    });
    const disabled = await call(api, 'PATCH', `/v1/users/${username}`, {
      json: { enabled: false },
      ...bearer(tokens.admin),
    });
    const listed = await call<{
      items: { email: string; role?: string; enabled: boolean; status: string }[];
    }>(api, 'GET', '/v1/users', bearer(tokens.admin));
    // Assess
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: 'invitee@chapar.test', role: 'viewer' });
    expect(again.status).toBe(409);
    expect(promoted.status).toBe(200);
    expect(disabled.body).toMatchObject({ role: 'marketer', enabled: false });
    expect(listed.body.items.find((user) => user.email === 'invitee@chapar.test')).toMatchObject({
      role: 'marketer',
      enabled: false,
      status: 'FORCE_CHANGE_PASSWORD',
    });
    expect(listed.body.items.find((user) => user.email === 'admin@chapar.local')?.role).toBe('admin');
  });

  it('refuses an invitation without a valid email or role, and an empty change', async () => {
    const bad = await call(api, 'POST', '/v1/users', {
      json: { email: 'nope', role: 'boss' },
      ...bearer(tokens.admin),
    });
    const empty = await call(api, 'PATCH', '/v1/users/someone', { json: {}, ...bearer(tokens.admin) });
    const missing = await call(api, 'PATCH', '/v1/users/someone', {
      json: { enabled: false },
      ...bearer(tokens.admin),
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('email');
    expect(empty.status).toBe(400);
    expect(missing.status).toBe(404);
  });
});
