// Plain Node ESM (no TypeScript): NodejsFunction's afterBundling hook runs it with `node`, and
// infra/constructs/bundling.ts and bench/cold.ts import it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Builds each package in `modules` as one minified CommonJS file at
 * `<outputDir>/node_modules/<module>/index.js` (with a package.json naming it), beside a function
 * bundle that left the package external. Node's own resolution then finds it from `index.mjs`
 * when, and only when, the function first `require`s or `import()`s the package: a package a
 * cold start never needs is neither read nor parsed by it. Answers each file's size in bytes.
 * @param {string} projectRoot the folder whose node_modules holds the packages
 * @param {string} outputDir the function's bundle folder
 * @param {readonly string[]} modules package names
 * @returns {Record<string, number>}
 */
export function buildSideModules(projectRoot, outputDir, modules) {
  /** @type {Record<string, number>} */
  const sizes = {};
  for (const module of modules) {
    const dir = join(outputDir, 'node_modules', module);
    mkdirSync(dir, { recursive: true });
    const result = buildSync({
      stdin: { contents: `module.exports = require(${JSON.stringify(module)});`, resolveDir: projectRoot },
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      mainFields: ['main', 'module'],
      minify: true,
      legalComments: 'none',
      outfile: join(dir, 'index.js'),
      logLevel: 'error',
      metafile: true,
    });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: module, main: 'index.js' })}\n`);
    const outputs = Object.values(result.metafile?.outputs ?? {});
    sizes[module] = outputs.reduce((sum, output) => sum + output.bytes, 0);
  }
  return sizes;
}

// `node infra/side-modules.mjs <projectRoot> <outputDir> <module>...`
if (import.meta.url === `file://${process.argv[1]}`) {
  const [projectRoot, outputDir, ...modules] = process.argv.slice(2);
  if (!projectRoot || !outputDir || modules.length === 0) {
    console.error('Usage: node infra/side-modules.mjs <projectRoot> <outputDir> <module>...');
    process.exit(2);
  }
  buildSideModules(projectRoot, outputDir, modules);
}
