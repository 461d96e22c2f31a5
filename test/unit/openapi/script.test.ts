import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeOpenApi } from '../../../scripts/openapi';
import { openApiDocument } from '../../../shared/openapi/document';

describe('npm run openapi', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the document the API serves to the file named', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'chapar-openapi-'));
    dirs.push(dir);

    // Act
    const path = writeOpenApi(join(dir, 'openapi.json'));

    // Assess
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(openApiDocument());
  });
});
