import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * setupFile of the infra project: every CDK App of a test file synthesises into one temporary
 * folder (CDK_OUTDIR, read by App when no outdir is given: otherwise each App leaves a cdk.out
 * folder in the system temp folder), and the stub project root lives there too. The folder is
 * removed when the file's tests end.
 */
const root = mkdtempSync(join(tmpdir(), 'chapar-infra-'));
process.env.CDK_OUTDIR = join(root, 'cdk.out');
process.env.CHAPAR_TEST_TMP = root;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
