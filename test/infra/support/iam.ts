import type { Template } from 'aws-cdk-lib/assertions';
import { resourcesOfType } from './resources';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every Allow statement of the identity policies attached to a role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => statement.Effect === 'Allow');
}

/** Every statement of every identity policy and inline role policy of a template. */
export function allStatements(template: Template): Statement[] {
  const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).map(
    (policy) => policy.Properties.PolicyDocument as { Statement: Statement[] },
  );
  const inline = Object.values(resourcesOfType(template, 'AWS::IAM::Role')).flatMap((role) =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).map(
      (p) => p.PolicyDocument,
    ),
  );
  return [...policies, ...inline].flatMap((document) => document.Statement);
}

export function actionsOf(statement: Statement): string[] {
  return asArray(statement.Action);
}

export function resourcesOf(statement: Statement): unknown[] {
  return asArray(statement.Resource);
}

/** The resources an action is allowed on, each rendered as JSON for easy matching. */
export function resourcesAllowed(statements: readonly Statement[], action: string): string[] {
  return statements
    .filter((statement) => actionsOf(statement).includes(action))
    .flatMap((statement) => resourcesOf(statement).map((resource) => JSON.stringify(resource)));
}
