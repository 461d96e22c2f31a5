/**
 * `npm run bench:cold`: each function's bundle as AppFunction builds it (esbuild, ESM, the
 * same banner and main fields, minified; no source maps, which production should not load),
 * its size, and its module init time: the import of the bundle in a fresh `node` process,
 * median of BENCH_COLD_RUNS (5). Next to it, in the same run and the same way, the import
 * time of a bundle holding only the SDK clients that function uses (the ones its bundle
 * contains), and the ratio of the two. Prints figures; asserts nothing.
 *
 * The handlers read their configuration at cold start, so each import runs with the
 * function's environment (from shared/definitions) filled with placeholder values; nothing
 * is called over the network while a module initialises.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { environmentOf, type FunctionName, functions } from '../shared/definitions';
import { positiveInt } from './support';

const runs = positiveInt('BENCH_COLD_RUNS', 5);
const projectRoot = new URL('..', import.meta.url).pathname;

// As infra/constructs/app-function.ts bundles (NodejsFunction with these bundling props).
const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

/** The SDK packages a bundle may hold, with the client each exports. */
const SDK_CLIENTS: Readonly<Record<string, string>> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
};

async function bundle(entry: string, outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: projectRoot,
  });
  return result.metafile;
}

/** Placeholder values that pass shared/config.ts for every variable a function is given. */
function placeholderEnvironment(name: FunctionName): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: name,
    POWERTOOLS_SERVICE_NAME: 'chapar',
    PATH: process.env.PATH ?? '',
  };
  const special: Record<string, string> = {
    CHAPAR_SMS_SENDER: '50004001051233',
    CHAPAR_SMS_RATE: '100',
    CHAPAR_SMS_RATE_GUARD_MS: '100',
    CHAPAR_ABUSE_DIGEST_MINUTES: '60',
    CHAPAR_QUIET_HOURS: '22:00-08:00',
    CHAPAR_SMS_OPT_OUT_SUFFIX: 'لغو۱۱',
    KAVENEGAR_TIMEOUT_MS: '5000',
  };
  for (const key of environmentOf(functions[name]) as string[]) {
    env[key] =
      special[key] ??
      (key.endsWith('_URL')
        ? `https://bench.invalid/${key.toLowerCase()}`
        : key.endsWith('_EMAIL')
          ? 'bench@example.com'
          : `bench-${key.toLowerCase()}`);
  }
  return env;
}

/** Milliseconds to import `file` in a fresh node process, or the error it threw. */
function importTime(file: string, env: Record<string, string>): number | string {
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, `file://${file}`], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const ms = Number(child.stdout);
  if (child.status === 0 && Number.isFinite(ms)) return ms;
  return (
    (child.stderr || child.error?.message || `exit ${child.status}`)
      .split('\n')
      .find((l) => /Error/.test(l)) ?? 'failed'
  );
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

interface Row {
  name: FunctionName;
  bytes: number;
  /** Of which zod (minified). */
  zodBytes: number;
  clients: string[];
  init: number[];
  sdk: number[];
  error?: string;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chapar-bench-cold-'));
  try {
    console.log(
      `Cold-start benchmark: esbuild as AppFunction (ESM, minified, no source maps), node ${process.version}`,
    );
    console.log(`  module init = import of the bundle in a fresh node process, median of ${runs}\n`);
    const rows: Row[] = [];
    for (const name of Object.keys(functions) as FunctionName[]) {
      const outfile = join(dir, `${name}.mjs`);
      const metafile = await bundle(functions[name].entry, outfile);
      // What the bundle holds: the inputs that left bytes in it after tree-shaking.
      const kept = Object.entries(Object.values(metafile.outputs)[0]?.inputs ?? {}).filter(
        ([, input]) => input.bytesInOutput > 0,
      );
      const bytesOf = (pkg: string) =>
        kept
          .filter(([path]) => path.includes(`node_modules/${pkg}/`))
          .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
      const packages = Object.keys(SDK_CLIENTS).filter((pkg) => bytesOf(pkg) > 0);
      // Only the clients, kept alive so tree-shaking cannot drop them: the floor a function pays.
      const sdkEntry = join(dir, `${name}.sdk-entry.mjs`);
      writeFileSync(
        sdkEntry,
        packages.map((pkg, i) => `import { ${SDK_CLIENTS[pkg]} as c${i} } from '${pkg}';`).join('\n') +
          `\nglobalThis.benchClients = [${packages.map((_, i) => `c${i}`).join(', ')}];\n`,
      );
      const sdkFile = join(dir, `${name}.sdk.mjs`);
      await build({
        entryPoints: [sdkEntry],
        outfile: sdkFile,
        bundle: true,
        platform: 'node',
        target: 'node24',
        format: 'esm',
        mainFields: ['module', 'main'],
        banner: { js: ESM_REQUIRE_BANNER },
        minify: true,
        logLevel: 'silent',
        nodePaths: [join(projectRoot, 'node_modules')],
      });
      rows.push({
        name,
        bytes: statSync(outfile).size,
        zodBytes: bytesOf('zod'),
        clients: packages.map((pkg) => pkg.replace('@aws-sdk/', '')),
        init: [],
        sdk: [],
      });
      const row = rows.at(-1) as Row;
      const env = placeholderEnvironment(name);
      // Alternated, so a busy moment on the shared machine weighs on both sides alike.
      for (let i = 0; i < runs && row.error === undefined; i++) {
        const init = importTime(outfile, env);
        const sdk = packages.length === 0 ? 0 : importTime(sdkFile, env);
        if (typeof init === 'string') row.error = init;
        else if (typeof sdk === 'string') row.error = `SDK bundle: ${sdk}`;
        else {
          row.init.push(init);
          row.sdk.push(sdk);
        }
      }
      process.stdout.write(`  measured ${name}\n`);
    }
    print(rows);
    console.log('\n  (the temporary folder of bundles is removed)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(rows: readonly Row[]): void {
  console.log(
    `\n  ${'function'.padEnd(24)} ${'bundle'.padStart(9)} ${'zod'.padStart(7)} ${'init'.padStart(9)} ${'SDK only'.padStart(9)} ${'ratio'.padStart(6)}  SDK clients in the bundle`,
  );
  for (const row of rows) {
    const kb = `${(row.bytes / 1024).toFixed(0)} KB`;
    if (row.error !== undefined) {
      console.log(`  ${row.name.padEnd(24)} ${kb.padStart(9)}  import failed: ${row.error}`);
      continue;
    }
    const init = median(row.init);
    const sdk = median(row.sdk);
    const ratio = sdk > 0 ? (init / sdk).toFixed(2) : '-';
    const zod = `${(row.zodBytes / 1024).toFixed(0)} KB`;
    console.log(
      `  ${row.name.padEnd(24)} ${kb.padStart(9)} ${zod.padStart(7)} ${`${init.toFixed(0)} ms`.padStart(9)} ${`${sdk.toFixed(0)} ms`.padStart(9)} ${ratio.padStart(6)}  ${row.clients.join(', ') || '-'}`,
    );
  }
}

await main();
