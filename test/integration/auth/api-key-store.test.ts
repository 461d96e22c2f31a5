import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoApiKeyStore } from '../../../shared/adapters/dynamodb/api-key-store';
import { newApiKey } from '../../../shared/domain/api-key';
import { useEmulators } from '../../support/emulators';

let store: DynamoApiKeyStore;

beforeAll(async () => {
  const emulators = await useEmulators();
  const { apiKeyStore } = await import('../../../shared/adapters/factory');
  store = apiKeyStore(emulators.names.tables.apiKeys) as DynamoApiKeyStore;
});

const record = (name: string, at: Date) => {
  const { id, hash } = newApiKey(at);
  return { id, name, role: 'viewer' as const, hash, createdAt: at.toISOString() };
};

describe('DynamoApiKeyStore', () => {
  it('stores, reads, lists newest first and deletes keys', async () => {
    // Prepare
    const older = record('older', new Date('2026-12-01T00:00:00Z'));
    const newer = record('newer', new Date('2026-12-02T00:00:00Z'));
    // Act
    await store.create(older);
    await store.create(newer);
    // Assess
    expect(await store.get(older.id)).toEqual(older);
    expect((await store.list()).map((key) => key.name)).toEqual(['newer', 'older']);
    expect(await store.delete(older.id)).toBe(true);
    expect(await store.delete(older.id)).toBe(false);
    expect(await store.get(older.id)).toBeUndefined();
  });

  it('records a use at most once a minute, and never resurrects a deleted key', async () => {
    // Prepare
    const key = record('ci', new Date('2026-12-02T00:00:00Z'));
    await store.create(key);
    const first = new Date('2026-12-02T10:00:00Z');
    // Act
    await store.recordUse(key.id, first);
    await store.recordUse(key.id, new Date(first.getTime() + 30_000));
    const afterHalfMinute = (await store.get(key.id))?.lastUsedAt;
    await store.recordUse(key.id, new Date(first.getTime() + 61_000));
    const afterMinute = (await store.get(key.id))?.lastUsedAt;
    await store.delete(key.id);
    await store.recordUse(key.id, new Date(first.getTime() + 200_000));
    // Assess
    expect(afterHalfMinute).toBe(first.toISOString());
    expect(afterMinute).toBe(new Date(first.getTime() + 61_000).toISOString());
    expect(await store.get(key.id)).toBeUndefined();
  });
});
