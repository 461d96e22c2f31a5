import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * setupFile of the infra project: every CDK App made without an outdir synthesises into a
 * fresh cdk.out folder under the system temp folder, and would leave it there. The test file's
 * temp folder is pointed at a folder of its own (os.tmpdir() reads TMPDIR on every call), which
 * is removed when the file's tests end. CDK_OUTDIR is not the way: an App that sees it assumes
 * the CLI runs it and synthesises again at process exit.
 */
const root = mkdtempSync(join(tmpdir(), 'chapar-infra-'));
process.env.TMPDIR = root;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
