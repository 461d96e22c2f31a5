import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/chapar-stacks';
import { esbuildOptions, UNREACHED_CREDENTIAL_MODULES } from '../../infra/constructs/bundling';
import { type FunctionDefinition, type FunctionName, functions } from '../../shared/definitions';

const names = Object.keys(functions) as FunctionName[];

/** Every function's bundle as AppFunction builds it (the same esbuild options), in memory, in one build. */
async function bundles() {
  const { mainFields, ...options } = esbuildOptions(true);
  const result = await build({
    ...options,
    mainFields: [...mainFields],
    entryPoints: Object.fromEntries(names.map((name) => [name, functions[name].entry])),
    outdir: 'bundles',
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: PROJECT_ROOT,
  });
  const metafile = result.metafile as NonNullable<typeof result.metafile>;
  const inputsOf = (name: FunctionName) => Object.keys(metafile.outputs[`bundles/${name}.mjs`]?.inputs ?? {});
  return { metafile, inputsOf };
}

const withSideModules = names.filter(
  (name) => ((functions[name] as FunctionDefinition).sideModules ?? []).length > 0,
);

describe('function bundles', () => {
  const built = bundles();

  it.each(names)('%s holds zod/mini, no classic zod and no Powertools parser schemas', async (name) => {
    const inputs = (await built).inputsOf(name);
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((path) => path.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    expect(inputs.filter((path) => path.includes('@aws-lambda-powertools/parser'))).toEqual([]);
    expect(inputs.some((path) => path.includes('node_modules/zod/v4/mini/'))).toBe(true);
  });

  it('import the credential sources Lambda never reaches only dynamically (left external)', async () => {
    const { metafile } = await built;
    const imports = Object.values(metafile.inputs).flatMap((input) => input.imports);
    const unreached = imports.filter(({ path }) =>
      UNREACHED_CREDENTIAL_MODULES.some((module) => path === module || path.startsWith(`${module}/`)),
    );
    // The SDK's default chain names them, so there is something to check.
    expect(unreached.length).toBeGreaterThan(0);
    for (const entry of unreached) expect(entry).toMatchObject({ kind: 'dynamic-import', external: true });
  });

  // Bundled one by one: each with its own side modules left out, as AppFunction builds it.
  it.each(withSideModules)(
    '%s leaves its side modules out of index.mjs and loads them only lazily',
    async (name) => {
      const sideModules = (functions[name] as FunctionDefinition).sideModules ?? [];
      const { mainFields, ...options } = esbuildOptions(true, sideModules);
      const result = await build({
        ...options,
        mainFields: [...mainFields],
        entryPoints: [functions[name].entry],
        outfile: `bundles/${name}.mjs`,
        write: false,
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: PROJECT_ROOT,
      });
      const metafile = result.metafile as NonNullable<typeof result.metafile>;
      for (const side of sideModules) {
        expect(Object.keys(metafile.inputs).filter((path) => path.includes(`node_modules/${side}/`))).toEqual(
          [],
        );
        const imports = Object.values(metafile.inputs)
          .flatMap((input) => input.imports)
          .filter(({ path }) => path === side);
        // Used, and never by a static import, which would load it at every cold start.
        expect(imports.length).toBeGreaterThan(0);
        for (const entry of imports) {
          expect(entry.external).toBe(true);
          expect(['require-call', 'dynamic-import']).toContain(entry.kind);
        }
      }
    },
  );
});
