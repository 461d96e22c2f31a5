import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addChaparStacks, type ChaparStacks, PROJECT_ROOT } from '../../../infra/chapar-stacks';
import { functions } from '../../../shared/definitions';

let stubRoot: string | undefined;

/** The feature flags of cdk.json, which the CLI passes to `cdk synth` and tests must too. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'),
).context;

/**
 * A project root holding a stub handler at every `entry` of the definitions (and an empty file
 * at each of their bundledFiles), so the stacks build while functions/ is still being written.
 * Bundling is skipped in these tests, so the stubs are only checked for existence.
 */
export function stubProjectRoot(): string {
  if (stubRoot !== undefined) return stubRoot;
  const root = mkdtempSync(join(tmpdir(), 'chapar-infra-'));
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  mkdirSync(join(root, 'templates'));
  for (const definition of Object.values(functions)) {
    const entry = join(root, definition.entry);
    mkdirSync(dirname(entry), { recursive: true });
    writeFileSync(entry, 'export const handler = async () => undefined;\n');
    const bundled: Readonly<Record<string, string>> =
      'bundledFiles' in definition ? definition.bundledFiles : {};
    for (const source of Object.values(bundled)) {
      mkdirSync(dirname(join(root, source)), { recursive: true });
      writeFileSync(join(root, source), '');
    }
  }
  stubRoot = root;
  return root;
}

/** The whole app, built as `cdk synth` builds it but without bundling any function. */
export function buildChapar(context: Record<string, unknown> = {}): ChaparStacks {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
    // CDK's schema check costs about a second per process; cdk-nag.test.ts keeps it on.
    builtinCloudFormationValidation: false,
  });
  return addChaparStacks(app, { projectRoot: stubProjectRoot() });
}

export interface ChaparTemplates {
  readonly stacks: ChaparStacks;
  readonly data: Template;
  readonly messaging: Template;
  readonly api: Template;
}

export function synthChapar(context: Record<string, unknown> = {}): ChaparTemplates {
  const stacks = buildChapar(context);
  return {
    stacks,
    data: Template.fromStack(stacks.data),
    messaging: Template.fromStack(stacks.messaging),
    api: Template.fromStack(stacks.api),
  };
}
