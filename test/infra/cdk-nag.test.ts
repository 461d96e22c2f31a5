import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addChaparStacks } from '../../infra/chapar-stacks';
import { buildChapar, CDK_JSON_CONTEXT, stubProjectRoot } from './support/chapar-app';

const stacks = buildChapar({ sendingDomain: 'mail.chapar.ir', alarmEmail: 'ops@chapar.ir' });
const all = [stacks.data, stacks.messaging, stacks.api];

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgementsUnder(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds what it should (control: a queue without DLQ or TLS)', () => {
    const stack = new Stack(new App(), 'Control');
    new sqs.Queue(stack, 'Naked');
    const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  // cdk-nag 3 reports through CDK policy validation, not annotations: validateScope is its
  // documented entry point for tests and returns the unacknowledged findings.
  it.each(all.map((stack) => [stack.stackName, stack] as const))(
    '%s has no unacknowledged error or warning',
    (_name, stack) => {
      const report = new AwsSolutionsChecks().validateScope(stack);
      const findings = report.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    },
  );

  it.each(all.map((stack) => [stack.stackName, stack] as const))(
    '%s has no error annotation',
    (_name, stack) => {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    },
  );

  it('gives every acknowledgement a specific reason of at least 10 characters', () => {
    const acknowledgements = all.flatMap(acknowledgementsUnder);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(reason.trim().length, `${id} at ${path}`).toBeGreaterThanOrEqual(10);
    }
  });

  it('acknowledges on resources only, never on the app or a whole stack', () => {
    const app = stacks.data.node.root;
    const broad = acknowledgementsUnder(app).filter(({ path }) => {
      const construct = app.node.findAll().find((c) => c.node.path === path);
      return construct === app || (construct !== undefined && Stack.isStack(construct));
    });
    expect(broad).toEqual([]);
  });

  it('lets the app synthesize with the plugin registered, as `cdk synth` does', () => {
    const app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'chapar-nag-')),
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    });
    addChaparStacks(app, { projectRoot: stubProjectRoot() });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
