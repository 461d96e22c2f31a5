/**
 * `npm run bench:cold`: each function's bundle as AppFunction builds it (the esbuild options of
 * infra/constructs/bundling.ts: ESM, minified, the pinned SDK bundled without the credential
 * sources Lambda never reaches; no source maps, which production does not load), its size,
 * (side modules, built beside it as AppFunction's hook builds them, are printed apart: a cold
 * start does not read them) and its module init time: the import of the bundle in a fresh `node` process, median of
 * BENCH_COLD_RUNS (5; BENCH_COLD_ONLY names a comma-separated subset of functions). Next to it, in the same run and the same way, the import time of a
 * bundle holding only the SDK clients that function uses (the ones its bundle contains), and
 * the ratio of the two.
 *
 * The alternative is measured in the same run: the runtime's own SDK v3 left external
 * (`bundleAwsSdk: false`), imported from node_modules as Lambda would import its copy, against
 * the same clients imported that way.
 *
 * Time is the CPU time of the import (user + system, all threads), which a busy shared machine
 * disturbs far less than wall time (also printed). RSS is the process's resident memory once
 * the import is done, node itself included, next to the memory the function is deployed with
 * (Lambda's runtime client adds a few MB). Prints figures; asserts nothing.
 *
 * The handlers read their configuration at cold start, so each import runs with the
 * function's environment (from shared/definitions) filled with placeholder values; nothing
 * is called over the network while a module initialises.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../infra/constructs/bundling';
import { buildSideModules } from '../infra/side-modules.mjs';
import { configDefaults, type EnvKey } from '../shared/config';
import { environmentOf, type FunctionDefinition, type FunctionName, functions } from '../shared/definitions';
import { positiveInt } from './support';

const runs = positiveInt('BENCH_COLD_RUNS', 5);
/** BENCH_COLD_ONLY=http-api,queue-send-sms measures only those functions. */
const only = (process.env.BENCH_COLD_ONLY ?? '').split(',').filter(Boolean);
/**
 * BENCH_COLD_KEEP=1 keeps the folder of bundles (each with `<name>.env.json`, the environment
 * it was imported with) and prints its path, to profile an import (`node --cpu-prof`).
 */
const keep = process.env.BENCH_COLD_KEEP === '1';
const projectRoot = new URL('..', import.meta.url).pathname;

/** The SDK packages a bundle may hold, with the client each exports. */
const SDK_CLIENTS: Readonly<Record<string, string>> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-cognito-identity-provider': 'CognitoIdentityProviderClient',
};

type Mode = 'pinned' | 'runtime';

async function bundle(
  entry: string,
  outfile: string,
  mode: Mode,
  sideModules: readonly string[] = [],
): Promise<Metafile> {
  const { mainFields, ...options } = esbuildOptions(mode === 'pinned', sideModules);
  const result = await build({
    ...options,
    mainFields: [...mainFields],
    entryPoints: [entry],
    outfile,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: projectRoot,
    nodePaths: [join(projectRoot, 'node_modules')],
  });
  return result.metafile as Metafile;
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
    CHAPAR_SMS_DELIVERY_CALLBACK: 'off',
  };
  const keys = environmentOf(functions[name]) as EnvKey[];
  // A variable with a default is given its default, as a deployment gives it explicitly.
  const defaults = configDefaults(keys);
  for (const key of keys) {
    env[key] =
      special[key] ??
      defaults[key] ??
      (key.endsWith('_URL') || key.endsWith('_ISSUER')
        ? `https://bench.invalid/${key.toLowerCase()}`
        : key.endsWith('_EMAIL')
          ? 'bench@example.com'
          : /_(DAYS|MINUTES|SECONDS|MS|RATE|LIMIT|COUNT)$/.test(key)
            ? '60'
            : `bench-${key.toLowerCase()}`);
  }
  return env;
}

interface Timing {
  /** CPU milliseconds (user + system) of the import. */
  cpu: number;
  /** Wall-clock milliseconds of the import. */
  wall: number;
  /** Resident bytes of the process once the import is done (node itself included). */
  rss: number;
}

/** The import of `file` in a fresh node process, or the error it threw. */
function importTime(file: string, env: Record<string, string>): Timing | string {
  const script =
    'const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]); ' +
    'const w = performance.now() - t; const u = process.cpuUsage(c); ' +
    'process.stdout.write(JSON.stringify({ cpu: (u.user + u.system) / 1000, wall: w, rss: process.memoryUsage().rss }));';
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, `file://${file}`], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (child.status === 0) {
    try {
      return JSON.parse(child.stdout) as Timing;
    } catch {
      // falls through to the error below
    }
  }
  return (
    (child.stderr || child.error?.message || `exit ${child.status}`)
      .split('\n')
      // The error's own line (`Error: …`, `Xy [ConfigError]: …`), not the minified source above it.
      .find((l) => /^\s*(\w*Error|[\w$]+ \[\w*Error\])(:|$)/.test(l))
      ?.slice(0, 400) ?? 'failed'
  );
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

interface Side {
  bytes: number;
  init: Timing[];
  sdk: Timing[];
}

interface Row {
  name: FunctionName;
  /** Of the deployed (pinned SDK) bundle: zod's bytes, and whether classic zod is in it. */
  zodBytes: number;
  classicZod: boolean;
  clients: string[];
  /** Bytes of its side modules (FunctionDefinition.sideModules), beside the bundle, not in it. */
  sideBytes: number;
  pinned: Side;
  runtime: Side;
  error?: string;
}

/** A bundle importing only `packages`' clients, kept alive so tree-shaking cannot drop them. */
function sdkEntry(dir: string, name: string, packages: readonly string[]): string {
  const entry = join(dir, `${name}.sdk-entry.mjs`);
  writeFileSync(
    entry,
    packages.map((pkg, i) => `import { ${SDK_CLIENTS[pkg]} as c${i} } from '${pkg}';`).join('\n') +
      `\nglobalThis.benchClients = [${packages.map((_, i) => `c${i}`).join(', ')}];\n`,
  );
  return entry;
}

async function measure(dir: string, name: FunctionName): Promise<Row> {
  // The deployed bundle lives where no node_modules can be found: a static import of anything
  // left external would fail its import here, as it would on Lambda.
  const pinnedDir = join(dir, 'pinned');
  // The runtime-SDK bundle finds the SDK in a node_modules beside it, as Lambda's copy is found.
  const runtimeDir = join(dir, 'runtime');
  const outfile = join(pinnedDir, `${name}.mjs`);
  const sideModules = (functions[name] as FunctionDefinition).sideModules ?? [];
  const metafile = await bundle(functions[name].entry, outfile, 'pinned', sideModules);
  // As AppFunction's hook builds them: beside the bundle, read only when first loaded.
  const sideBytes = Object.values(buildSideModules(projectRoot, pinnedDir, sideModules)).reduce(
    (sum, bytes) => sum + bytes,
    0,
  );
  // What the bundle holds: the inputs that left bytes in it after tree-shaking.
  const kept = Object.entries(Object.values(metafile.outputs)[0]?.inputs ?? {}).filter(
    ([, input]) => input.bytesInOutput > 0,
  );
  const bytesOf = (pkg: string) =>
    kept
      .filter(([path]) => path.includes(`node_modules/${pkg}/`))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const packages = Object.keys(SDK_CLIENTS).filter((pkg) => bytesOf(pkg) > 0);
  const pinnedSdk = join(pinnedDir, `${name}.sdk.mjs`);
  await bundle(sdkEntry(dir, name, packages), pinnedSdk, 'pinned');
  const runtimeFile = join(runtimeDir, `${name}.mjs`);
  await bundle(functions[name].entry, runtimeFile, 'runtime', sideModules);
  const runtimeSdk = join(runtimeDir, `${name}.sdk.mjs`);
  await bundle(sdkEntry(dir, name, packages), runtimeSdk, 'runtime');

  const row: Row = {
    name,
    zodBytes: bytesOf('zod'),
    classicZod: kept.some(([path]) => path.includes('node_modules/zod/v4/classic/')),
    clients: packages.map((pkg) => pkg.replace('@aws-sdk/', '')),
    sideBytes,
    pinned: { bytes: statSync(outfile).size, init: [], sdk: [] },
    runtime: { bytes: statSync(runtimeFile).size, init: [], sdk: [] },
  };
  const env = placeholderEnvironment(name);
  if (keep) writeFileSync(join(pinnedDir, `${name}.env.json`), JSON.stringify(env, null, 2));
  const none: Timing = { cpu: 0, wall: 0, rss: 0 };
  // Alternated, so a busy moment on the shared machine weighs on every side alike.
  for (let i = 0; i < runs && row.error === undefined; i++) {
    const timings = [
      importTime(outfile, env),
      packages.length === 0 ? none : importTime(pinnedSdk, env),
      importTime(runtimeFile, env),
      packages.length === 0 ? none : importTime(runtimeSdk, env),
    ];
    const failed = timings.findIndex((timing) => typeof timing === 'string');
    if (failed >= 0) {
      const what = ['bundle', 'SDK bundle', 'runtime-SDK bundle', 'runtime SDK'][failed];
      row.error = `${what}: ${timings[failed]}`;
      break;
    }
    const [init, sdk, runtimeInit, runtimeSdkTime] = timings as Timing[];
    row.pinned.init.push(init as Timing);
    row.pinned.sdk.push(sdk as Timing);
    row.runtime.init.push(runtimeInit as Timing);
    row.runtime.sdk.push(runtimeSdkTime as Timing);
  }
  return row;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chapar-bench-cold-'));
  try {
    mkdirSync(join(dir, 'pinned'));
    mkdirSync(join(dir, 'runtime'));
    symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'runtime', 'node_modules'));
    console.log(
      `Cold-start benchmark: esbuild as AppFunction (ESM, minified, no source maps), node ${process.version}`,
    );
    console.log(
      `  module init = import of the bundle in a fresh node process, CPU time, median of ${runs}\n`,
    );
    const rows: Row[] = [];
    const names = (Object.keys(functions) as FunctionName[]).filter(
      (name) => only.length === 0 || only.includes(name),
    );
    for (const name of names) {
      rows.push(await measure(dir, name));
      process.stdout.write(`  measured ${name}\n`);
    }
    print(rows);
    console.log(keep ? `\n  bundles kept in ${dir}` : '\n  (the temporary folder of bundles is removed)');
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (init: number, sdk: number) => (sdk > 0 ? (init / sdk).toFixed(2) : '-');

function print(rows: readonly Row[]): void {
  console.log(`\n  pinned SDK bundled (deployed)${' '.repeat(70)}| runtime's SDK external (alternative)`);
  console.log(
    `  ${'function'.padEnd(24)} ${'bundle'.padStart(7)} ${'zod'.padStart(6)} ${'init'.padStart(7)} ${'SDK'.padStart(7)} ${'ratio'.padStart(5)} ${'wall'.padStart(7)} ${'SDK'.padStart(7)} ${'ratio'.padStart(5)} ${'RSS/memory'.padStart(11)} | ${'bundle'.padStart(7)} ${'init'.padStart(7)} ${'SDK'.padStart(7)} ${'ratio'.padStart(5)}  SDK clients`,
  );
  for (const row of rows) {
    if (row.error !== undefined) {
      console.log(
        `  ${row.name.padEnd(24)} ${kb(row.pinned.bytes).padStart(7)}  import failed: ${row.error}`,
      );
      continue;
    }
    const m = (side: Side, of: 'init' | 'sdk', field: keyof Timing) =>
      median(side[of].map((timing) => timing[field]));
    const p = { cpu: m(row.pinned, 'init', 'cpu'), sdk: m(row.pinned, 'sdk', 'cpu') };
    const w = { init: m(row.pinned, 'init', 'wall'), sdk: m(row.pinned, 'sdk', 'wall') };
    const r = { cpu: m(row.runtime, 'init', 'cpu'), sdk: m(row.runtime, 'sdk', 'cpu') };
    const zod = `${kb(row.zodBytes)}${row.classicZod ? '!' : ''}`;
    console.log(
      `  ${row.name.padEnd(24)} ${kb(row.pinned.bytes).padStart(7)} ${zod.padStart(6)} ${ms(p.cpu).padStart(7)} ${ms(p.sdk).padStart(7)} ${ratio(p.cpu, p.sdk).padStart(5)} ${ms(w.init).padStart(7)} ${ms(w.sdk).padStart(7)} ${ratio(w.init, w.sdk).padStart(5)} ${`${(m(row.pinned, 'init', 'rss') / 1024 ** 2).toFixed(0)}/${functions[row.name].memoryMb} MB`.padStart(11)} | ${kb(row.runtime.bytes).padStart(7)} ${ms(r.cpu).padStart(7)} ${ms(r.sdk).padStart(7)} ${ratio(r.cpu, r.sdk).padStart(5)}  ${row.clients.join(', ') || '-'}${row.sideBytes > 0 ? ` (+ ${kb(row.sideBytes)} of side modules beside the bundle)` : ''}`,
    );
  }
  const classic = rows.filter((row) => row.classicZod).map((row) => row.name);
  console.log(
    classic.length === 0
      ? '\n  classic zod (zod/v4/classic) is in no function bundle'
      : `\n  classic zod (marked !) is still in: ${classic.join(', ')}`,
  );
}

await main();
