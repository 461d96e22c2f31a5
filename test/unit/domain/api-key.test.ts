import { describe, expect, it } from 'vitest';
import {
  apiKeyId,
  apiKeyInputSchema,
  hashApiKey,
  lastUseIsStale,
  newApiKey,
  viewOfApiKey,
} from '../../../shared/domain/api-key';

describe('API keys', () => {
  it('are chk_<id>_<256 random bits>, name their id and are stored as the SHA-256 of the whole key', () => {
    // Act
    const { key, id, hash } = newApiKey(new Date('2026-12-02T10:00:00Z'));
    // Assess
    expect(key).toMatch(/^chk_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(key)).toBe(id);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(-43));
  });

  it('are new each time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newApiKey(new Date()).key));
    expect(keys.size).toBe(50);
  });

  it('name no id when not shaped like a Chapar key', () => {
    expect(apiKeyId('local-dev-key')).toBeUndefined();
    expect(apiKeyId('chk_short_x')).toBeUndefined();
    const { key } = newApiKey(new Date());
    expect(apiKeyId(`${key}x`)).toBeUndefined();
  });

  it('show everything but the hash', () => {
    const view = viewOfApiKey({ id: 'A', name: 'ci', role: 'viewer', hash: 'h', createdAt: 'now' });
    expect(view).toEqual({ id: 'A', name: 'ci', role: 'viewer', createdAt: 'now' });
  });

  it('record a use at most once a minute', () => {
    const now = new Date('2026-12-02T10:01:00Z');
    expect(lastUseIsStale(undefined, now)).toBe(true);
    expect(lastUseIsStale('2026-12-02T10:00:30Z', now)).toBe(false);
    expect(lastUseIsStale('2026-12-02T10:00:00Z', now)).toBe(true);
  });

  it('take a name and one of the three roles', () => {
    expect(apiKeyInputSchema.safeParse({ name: ' ci ', role: 'marketer' }).data).toEqual({
      name: 'ci',
      role: 'marketer',
    });
    expect(apiKeyInputSchema.safeParse({ name: 'ci', role: 'owner' }).success).toBe(false);
    expect(apiKeyInputSchema.safeParse({ name: '', role: 'viewer' }).success).toBe(false);
    expect(apiKeyInputSchema.safeParse({ name: 'ci', role: 'viewer', key: 'x' }).success).toBe(false);
  });
});
