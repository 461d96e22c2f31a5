import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../../cli/generate-types';

describe('cli/api-types.ts', () => {
  it('is what `npm run cli:types` makes of the current OpenAPI document', async () => {
    // Prepare
    const committed = await readFile(API_TYPES_FILE, 'utf8');

    // Act
    const generated = await apiTypesSource();

    // Assess: a stale file means the CLI is typed against another contract (run npm run cli:types)
    expect(committed).toBe(generated);
    expect(generated).toContain('"/v1/imports/{importId}"');
  });
});
