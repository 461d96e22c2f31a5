import { expect } from 'vitest';
import { call, eventually } from './http';

/** An import as GET /v1/imports/{id} answers it. */
export interface ImportView {
  id: string;
  status: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicatesInFile: number;
  progress: number;
  startedAt: string | null;
  finishedAt: string | null;
  reason?: string;
}

/** The consent reference every test import gives (`consent: {basis: 'implied', reference}`). */
export const IMPORT_REFERENCE = 'shop-export-2026-11';

/**
 * Creates an import on the API at `api`, PUTs `file` to its presigned URL as a client would,
 * and waits for the import to end (done or failed).
 */
export async function importThrough(
  api: string,
  format: 'csv' | 'xlsx',
  file: Uint8Array | string,
  extra: Record<string, unknown> = {},
): Promise<ImportView> {
  const created = await call<{ id: string; uploadUrl: string; expiresAt: string }>(
    api,
    'POST',
    '/v1/imports',
    {
      json: { format, consent: { basis: 'implied', reference: IMPORT_REFERENCE }, ...extra },
    },
  );
  expect(created.status).toBe(201);
  expect(Date.parse(created.body.expiresAt)).toBeGreaterThan(Date.now());
  const upload = await fetch(created.body.uploadUrl, { method: 'PUT', body: file });
  expect(upload.status).toBe(200);
  return eventually(async () => {
    const view = await call<ImportView>(api, 'GET', `/v1/imports/${created.body.id}`);
    return view.body.status === 'done' || view.body.status === 'failed' ? view.body : undefined;
  }, `import ${created.body.id} to end`);
}
