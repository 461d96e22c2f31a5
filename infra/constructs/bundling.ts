/**
 * How every function is bundled, in one place: AppFunction builds with it, and
 * `npm run bench:cold` and the bundle tests build exactly the same way.
 */

import { join } from 'node:path';

// ESM bundles lose `require`; CommonJS dependencies bundled into them still call it.
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

/**
 * The SDK's credential sources a Lambda function never reaches, left out of a bundle that
 * holds the pinned SDK. Lambda gives a function its role's credentials in
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, the first link of the
 * SDK's default chain (`fromEnv`); every later link (SSO, ini profiles, credential_process,
 * web identity, container and instance metadata, console login), and the STS / SSO clients
 * they build, is loaded by a dynamic `import()` only when the links before it found nothing.
 * Left external, those imports stay in the bundle as they are and would resolve to the
 * runtime's own SDK if ever taken. Together they are about 86 KB of every minified bundle.
 * A bundle may import these only dynamically (test/infra/function-bundles.test.ts checks it).
 */
export const UNREACHED_CREDENTIAL_MODULES: readonly string[] = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
];

/** What NodejsFunction leaves out when the runtime's own SDK is used instead of the pinned one. */
export const RUNTIME_SDK_MODULES: readonly string[] = ['@aws-sdk/*'];

/**
 * esbuild's external list: the unreached credential sources, or the whole SDK. A package
 * named here is external with its subpaths (`@aws-sdk/nested-clients/sts`).
 */
export function externalModules(bundleAwsSdk: boolean, sideModules: readonly string[] = []): string[] {
  return [...(bundleAwsSdk ? UNREACHED_CREDENTIAL_MODULES : RUNTIME_SDK_MODULES), ...sideModules];
}

/**
 * The shell command of NodejsFunction's afterBundling hook that builds a function's side modules
 * (FunctionDefinition.sideModules) into its bundle folder, each as `node_modules/<package>/index.js`.
 */
export function sideModulesCommand(
  projectRoot: string,
  outputDir: string,
  sideModules: readonly string[],
): string[] {
  if (sideModules.length === 0) return [];
  const quoted = [join(projectRoot, 'infra', 'side-modules.mjs'), projectRoot, outputDir, ...sideModules].map(
    (part) => `"${part}"`,
  );
  return [`"${process.execPath}" ${quoted.join(' ')}`];
}

/** The esbuild options AppFunction's bundling props amount to (NodejsFunction adds the rest). */
export function esbuildOptions(bundleAwsSdk: boolean, sideModules: readonly string[] = []) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    external: externalModules(bundleAwsSdk, sideModules),
  } as const;
}
