import { API_KEY_ID, type ApiKeyView, apiKeyInputSchema, newApiKey, viewOfApiKey } from '../domain/api-key';
import { NotFoundError } from '../domain/errors';
import { parseMini } from '../domain/mini-validation';
import type { ApiKeyStore } from '../ports';

export interface ApiKeyDeps {
  readonly apiKeys: ApiKeyStore;
  readonly now: () => Date;
}

/** Makes a key: the answer is the only time the key itself is shown (only its hash is kept). */
export async function createApiKey(deps: ApiKeyDeps, body: unknown): Promise<ApiKeyView & { key: string }> {
  const input = parseMini(apiKeyInputSchema, body, 'API key');
  const now = deps.now();
  const { key, id, hash } = newApiKey(now);
  const record = { id, name: input.name, role: input.role, hash, createdAt: now.toISOString() };
  await deps.apiKeys.create(record);
  return { ...viewOfApiKey(record), key };
}

export async function listApiKeys(deps: Pick<ApiKeyDeps, 'apiKeys'>): Promise<{ items: ApiKeyView[] }> {
  return { items: (await deps.apiKeys.list()).map(viewOfApiKey) };
}

/** Revokes a key: from then on it gets 401. */
export async function deleteApiKey(deps: Pick<ApiKeyDeps, 'apiKeys'>, id: string): Promise<void> {
  if (!API_KEY_ID.test(id) || !(await deps.apiKeys.delete(id)))
    throw new NotFoundError(`API key ${id.slice(0, 40)} not found`);
}
