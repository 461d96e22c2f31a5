import { describe, expect, it } from 'vitest';
import { routes } from '../../../shared/definitions';
import { requiredRole, roleAllows, roleOfGroups } from '../../../shared/domain/roles';

describe('requiredRole', () => {
  it.each([
    ['GET', '/v1/contacts', 'viewer'],
    ['GET', '/v1/campaigns/{campaignId}', 'viewer'],
    ['PUT', '/v1/contacts/{contactId}', 'marketer'],
    ['POST', '/v1/campaigns', 'marketer'],
    ['DELETE', '/v1/lists/{listId}', 'marketer'],
    ['GET', '/v1/contacts/{contactId}/export', 'marketer'],
    ['DELETE', '/v1/contacts/{contactId}', 'admin'],
    ['POST', '/v1/campaigns/preview', 'viewer'],
    ['POST', '/v1/segments/preview', 'viewer'],
    ['GET', '/v1/api-keys', 'admin'],
    ['DELETE', '/v1/api-keys/{keyId}', 'admin'],
    ['GET', '/v1/users', 'admin'],
    ['PATCH', '/v1/users/{username}', 'admin'],
  ] as const)('%s %s needs %s', (method, path, role) => {
    // Act / Assess
    expect(requiredRole(method, path)).toBe(role);
  });

  it.each([
    // Routes other engineers add get a sane role by their method and shape.
    ['GET', '/v1/campaigns', 'viewer'],
    ['GET', '/v1/campaigns/{campaignId}/timeline', 'viewer'],
    ['GET', '/v1/reports', 'viewer'],
    ['PATCH', '/v1/campaigns/{campaignId}', 'marketer'],
    ['POST', '/v1/campaigns/{campaignId}/pause', 'marketer'],
    ['POST', '/v1/campaigns/{campaignId}/test', 'marketer'],
    ['POST', '/v1/campaigns/{campaignId}/duplicate', 'marketer'],
    ['POST', '/v1/templates', 'marketer'],
    ['POST', '/v1/templates/{templateId}/render', 'viewer'],
    ['POST', '/v1/templates/render', 'viewer'],
    ['POST', '/v1/messages', 'marketer'],
    ['GET', '/v1/users/{username}', 'admin'],
  ] as const)('a new route %s %s needs %s by default', (method, path, role) => {
    expect(requiredRole(method, path)).toBe(role);
  });

  it('does not take a path that merely starts like an admin area for one', () => {
    expect(requiredRole('GET', '/v1/users-report')).toBe('viewer');
  });

  it('gives every defined route a role, and no GET more than marketer', () => {
    for (const route of routes) {
      const role = requiredRole(route.method, route.path);
      if (
        route.method === 'GET' &&
        !route.path.startsWith('/v1/users') &&
        !route.path.startsWith('/v1/api-keys')
      )
        expect(roleAllows('marketer', role), route.path).toBe(true);
    }
  });
});

describe('roleAllows', () => {
  it('orders admin above marketer above viewer', () => {
    expect(roleAllows('admin', 'marketer')).toBe(true);
    expect(roleAllows('marketer', 'viewer')).toBe(true);
    expect(roleAllows('marketer', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'marketer')).toBe(false);
    expect(roleAllows('viewer', 'viewer')).toBe(true);
  });
});

describe('roleOfGroups', () => {
  it('takes the highest role among the groups and ignores other groups', () => {
    expect(roleOfGroups(['viewer', 'admin', 'marketer'])).toBe('admin');
    expect(roleOfGroups(['staff', 'viewer'])).toBe('viewer');
    expect(roleOfGroups(['staff', 42])).toBeUndefined();
    expect(roleOfGroups([])).toBeUndefined();
  });
});
