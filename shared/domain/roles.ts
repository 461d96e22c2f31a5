/**
 * Who may call what. Three roles, each holding the rights of those below it: `admin` (everything,
 * erasure, users and API keys included) ⊃ `marketer` (every other write) ⊃ `viewer` (reads, and
 * the POSTs that only compute: previews, renders). One table decides the role a route needs: the
 * explicit entries below, else a default by method, so a route added later is guarded at once.
 */
import type { HttpMethod } from '../definitions/routes';

export const ROLES = ['viewer', 'marketer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Routes whose role is not their method's default (`METHOD /path` as API Gateway writes it). */
const EXPLICIT: Readonly<Record<string, Role>> = {
  // Erasure cannot be undone.
  'DELETE /v1/contacts/{contactId}': 'admin',
  // A person's whole record leaves the platform.
  'GET /v1/contacts/{contactId}/export': 'marketer',
  // Read-only POSTs: they compute and store nothing.
  'POST /v1/campaigns/preview': 'viewer',
  'POST /v1/segments/preview': 'viewer',
};

/** Areas only admins reach, whatever the method: who may sign in, and the machine keys. */
const ADMIN_AREAS = ['/v1/users', '/v1/api-keys'];

/** A POST under one of these last segments only computes (a preview or a render): viewers may call it. */
const READ_ONLY_POST = /\/(preview|render)$/;

const DEFAULT_BY_METHOD: Readonly<Record<HttpMethod, Role>> = {
  GET: 'viewer',
  POST: 'marketer',
  PUT: 'marketer',
  PATCH: 'marketer',
  DELETE: 'marketer',
};

/** The least role a route needs. */
export function requiredRole(method: HttpMethod, path: string): Role {
  const explicit = EXPLICIT[`${method} ${path}`];
  if (explicit) return explicit;
  if (ADMIN_AREAS.some((area) => path === area || path.startsWith(`${area}/`))) return 'admin';
  if (method === 'POST' && READ_ONLY_POST.test(path)) return 'viewer';
  return DEFAULT_BY_METHOD[method];
}

/** Whether `role` holds the rights of `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The highest of the roles among `groups` (Cognito groups), or undefined when none is a role. */
export function roleOfGroups(groups: readonly unknown[]): Role | undefined {
  let best: Role | undefined;
  for (const group of groups) {
    if (typeof group !== 'string' || !isRole(group)) continue;
    if (best === undefined || roleAllows(group, best)) best = group;
  }
  return best;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
