import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
// The stacks deploy the built console; the infra tests give them a stand-in build of their own.
const consoleDist = join(root, 'console-dist');
mkdirSync(consoleDist);
writeFileSync(join(consoleDist, 'index.html'), '<!doctype html><div id="app"></div>');
process.env.CHAPAR_CONSOLE_DIST = consoleDist;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
