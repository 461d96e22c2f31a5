import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/chapar-stacks';
import { AppFunction } from '../../infra/constructs/app-function';
import { CDK_JSON_CONTEXT } from './support/chapar-app';
import { resourceOf } from './support/resources';

const FIXTURE = 'test/infra/support/fixture/handler.ts';

describe('AppFunction bundle (real esbuild, no Docker)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'chapar-bundle-'));
  const app = new App({ outdir, context: CDK_JSON_CONTEXT });
  const stack = new Stack(app, 'Bundle');
  const fn = new AppFunction(stack, 'Fixture', {
    projectRoot: PROJECT_ROOT,
    entry: FIXTURE,
    timeout: Duration.seconds(3),
    templatesDir: 'templates',
  });
  const withFiles = new AppFunction(stack, 'WithFiles', {
    projectRoot: PROJECT_ROOT,
    entry: FIXTURE,
    timeout: Duration.seconds(3),
    bundledFiles: { 'swagger-ui/LICENSE': 'node_modules/swagger-ui-dist/LICENSE' },
  });
  const withSide = new AppFunction(stack, 'WithSide', {
    projectRoot: PROJECT_ROOT,
    entry: 'test/infra/support/fixture/side-handler.ts',
    timeout: Duration.seconds(3),
    sideModules: ['html-to-text'],
  });
  app.synth();
  const assetDirOf = (appFunction: AppFunction) => {
    const code = resourceOf(Template.fromStack(stack), appFunction.function).Properties.Code as {
      S3Key: string;
    };
    return join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  };
  const assetDir = assetDirOf(fn);

  it('emits an ES module with its source map', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'templates']);
  });

  it('uploads the source map but does not load it at start (no NODE_OPTIONS)', () => {
    const fnProps = resourceOf(Template.fromStack(stack), fn.function).Properties as {
      Environment: { Variables: Record<string, string> };
    };
    expect(fnProps.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    expect(JSON.stringify(fnProps)).not.toContain('enable-source-maps');
    expect(JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8'))).toMatchObject({
      version: 3,
      mappings: expect.any(String),
    });
  });

  it('starts with the createRequire banner', () => {
    expect(readFileSync(join(assetDir, 'index.mjs'), 'utf8')).toMatch(
      /^import \{ createRequire as \w+ \} from 'node:module'/,
    );
  });

  it('runs, with require defined and templates/ readable next to the module', async () => {
    const module = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: () => Promise<{ requireDefined: boolean; templates: string[] }>;
    };
    expect(await module.handler()).toEqual({
      requireDefined: true,
      templates: readdirSync(join(PROJECT_ROOT, 'templates')).sort(),
    });
  });

  it('copies its bundledFiles into the bundle, at the path named', () => {
    // Act
    const dir = assetDirOf(withFiles);

    // Assess
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'swagger-ui']);
    expect(readFileSync(join(dir, 'swagger-ui/LICENSE'))).toEqual(
      readFileSync(join(PROJECT_ROOT, 'node_modules/swagger-ui-dist/LICENSE')),
    );
  });

  it('builds its side modules beside index.mjs, which loads them only when first asked', async () => {
    // Act
    const dir = assetDirOf(withSide);
    const main = readFileSync(join(dir, 'index.mjs'), 'utf8');

    // Assess: html-to-text is its own file, not in the handler's module ...
    expect(readdirSync(join(dir, 'node_modules'))).toEqual(['html-to-text']);
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/html-to-text/package.json'), 'utf8'))).toEqual({
      name: 'html-to-text',
      main: 'index.js',
    });
    expect(main).toMatch(/\("html-to-text"\)/);
    expect(main).not.toContain('htmlparser2');
    expect(statSync(join(dir, 'node_modules/html-to-text/index.js')).size).toBeGreaterThan(100 * 1024);
    expect(statSync(join(dir, 'index.mjs')).size).toBeLessThan(20 * 1024);
    // ... and Node finds it from the bundle when the handler first converts.
    const module = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
      handler: () => Promise<string>;
    };
    expect(await module.handler()).toBe('سلام دنیا');
  });

  it('fails synth when a bundled file does not exist', () => {
    expect(
      () =>
        new AppFunction(new Stack(new App(), 'MissingFile'), 'Fixture', {
          projectRoot: PROJECT_ROOT,
          entry: FIXTURE,
          timeout: Duration.seconds(3),
          bundledFiles: { 'x.js': 'no-such-file.js' },
        }),
    ).toThrow(/bundled file "no-such-file.js" does not exist/);
  });

  it('fails synth when templatesDir does not exist', () => {
    expect(
      () =>
        new AppFunction(new Stack(new App(), 'Missing'), 'Fixture', {
          projectRoot: PROJECT_ROOT,
          entry: FIXTURE,
          timeout: Duration.seconds(3),
          templatesDir: 'no-such-folder',
        }),
    ).toThrow(/templatesDir "no-such-folder" does not exist/);
    expect(existsSync(join(PROJECT_ROOT, 'no-such-folder'))).toBe(false);
  });
});
