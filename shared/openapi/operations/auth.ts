/** The API keys and users routes (admins only), and the bearer scheme every marketer route uses. */
import * as z from 'zod/mini';
import { apiKeyInputSchema } from '../../domain/api-key';
import { ROLES } from '../../domain/roles';
import { inviteUserSchema, updateUserSchema } from '../../domain/user';
import type { OperationDoc } from '../types';

/**
 * The security scheme behind `auth: 'bearer'`, as OpenAPI's components.securitySchemes states it:
 * one Authorization header that carries either a Cognito access token (the console's sign-in) or
 * an API key (machine clients, and the bootstrap key from Secrets Manager). Each route's role
 * comes from shared/domain/roles.ts: 401 without valid credentials, 403 naming the role needed.
 */
export const authSecuritySchemes = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'Cognito access token (JWT) or Chapar API key (chk_…)',
    description:
      'Sign in through the Cognito user pool (USER_PASSWORD_AUTH or SRP) and send the access token, or send an API key an admin made. Roles: admin ⊃ marketer ⊃ viewer.',
  },
} as const;

const role = z.enum(ROLES);
const ADMIN = 'Needs the role admin.';

const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  role,
  createdAt: z.string(),
  lastUsedAt: z.optional(z.string()),
});
const createdKey = z.object({ ...apiKeyView.shape, key: z.string() });
const user = z.object({
  username: z.string(),
  email: z.string(),
  role: z.optional(role),
  status: z.string(),
  enabled: z.boolean(),
  createdAt: z.optional(z.string()),
});

const KEY_ID = '01KBE4Z6R3J1M9Q8C7X2T5V0WN';
const keyExample = {
  id: KEY_ID,
  name: 'shop backend',
  role: 'marketer',
  createdAt: '2026-12-02T10:00:00.000Z',
};
const userExample = {
  username: '0a8dc9dd-9b2a-4aa5-98f3-466412ea7074',
  email: 'sara@example.com',
  role: 'marketer',
  status: 'FORCE_CHANGE_PASSWORD',
  enabled: true,
  createdAt: '2026-12-02T10:00:00.000Z',
};
const forbidden = {
  description: 'The caller is not an admin',

  example: {
    message: 'This needs the role admin (or above); the caller has the role marketer',
    requiredRole: 'admin',
  },
};

export const authOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/api-keys',
    operationId: 'createApiKey',
    summary: 'Make an API key for a machine client',
    description: `${ADMIN} The key is in this answer only: Chapar keeps its SHA-256 hash.`,
    tags: ['access'],
    auth: 'bearer',
    request: {
      schema: apiKeyInputSchema,
      example: { name: 'shop backend', role: 'marketer' },
      required: true,
    },
    responses: {
      201: {
        description: 'The key, shown once',
        schema: createdKey,
        example: { ...keyExample, key: `chk_${KEY_ID}_q3Vh2kq0xW8cYl4mT6bN1sZ9rP5aD7eF0gH2jK4lM6n` },
      },
      403: forbidden,
    },
  },
  {
    method: 'GET',
    path: '/v1/api-keys',
    operationId: 'listApiKeys',
    summary: 'List the API keys (never the keys themselves)',
    description: `${ADMIN} lastUsedAt is recorded at most once a minute per key.`,
    tags: ['access'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'Every key, newest first',
        schema: z.object({ items: z.array(apiKeyView) }),
        example: { items: [{ ...keyExample, lastUsedAt: '2026-12-02T11:30:00.000Z' }] },
      },
      403: forbidden,
    },
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    operationId: 'deleteApiKey',
    summary: 'Revoke an API key: it gets 401 from then on',
    description: ADMIN,
    tags: ['access'],
    auth: 'bearer',
    responses: {
      204: { description: 'Revoked' },
      403: forbidden,
      404: { description: 'No such key', example: { message: `API key ${KEY_ID} not found` } },
    },
  },
  {
    method: 'POST',
    path: '/v1/users',
    operationId: 'inviteUser',
    summary: 'Invite a person by email with a role',
    description: `${ADMIN} Cognito emails them a temporary password; they set their own at first sign-in.`,
    tags: ['access'],
    auth: 'bearer',
    request: {
      schema: inviteUserSchema,
      example: { email: 'sara@example.com', role: 'marketer' },
      required: true,
    },
    responses: {
      201: { description: 'Invited', schema: user, example: userExample },
      403: forbidden,
      409: {
        description: 'A user with this email exists',

        example: { message: 'A user with this email already exists' },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/users',
    operationId: 'listUsers',
    summary: 'List the people who may sign in, with role and status',
    description: ADMIN,
    tags: ['access'],
    auth: 'bearer',
    responses: {
      200: {
        description: 'Every user, by email',
        schema: z.object({ items: z.array(user) }),
        example: { items: [{ ...userExample, status: 'CONFIRMED' }] },
      },
      403: forbidden,
    },
  },
  {
    method: 'PATCH',
    path: '/v1/users/{username}',
    operationId: 'updateUser',
    summary: "Change a user's role, or disable or enable them",
    description: `${ADMIN} A disabled user can no longer sign in; tokens already issued expire within the hour.`,
    tags: ['access'],
    auth: 'bearer',
    request: { schema: updateUserSchema, example: { role: 'viewer', enabled: false }, required: true },
    responses: {
      200: {
        description: 'The user as changed',
        schema: user,
        example: { ...userExample, role: 'viewer', enabled: false },
      },
      403: forbidden,
      404: { description: 'No such user', example: { message: 'User someone not found' } },
    },
  },
];
