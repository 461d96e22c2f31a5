#!/usr/bin/env node
// The `chapar` command. The shebang's node may be any version (often the system's Node 20), so
// this plain-JavaScript launcher only starts the CLI on the project's own Node 24 (the `node` dev
// dependency every npm script runs on) with tsx's loader, and hands back its exit code.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

function projectNode() {
  try {
    const folder = dirname(require.resolve('node/package.json'));
    const binary = join(folder, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
    if (existsSync(binary)) return binary;
  } catch {
    // the dev dependency is missing: fall back to this node if it is recent enough
  }
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
  process.stderr.write(
    `chapar needs Node 24 (found ${process.version}); run \`npm ci\` in the project first\n`,
  );
  process.exit(2);
}

const child = spawn(
  projectNode(),
  ['--import', pathToFileURL(require.resolve('tsx')).href, join(here, 'main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
// Ctrl-C reaches the whole process group, the CLI too: it decides how to end, the launcher waits.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
