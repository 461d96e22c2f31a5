import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** A resource of a synthesized template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** The logical id of a construct's CloudFormation resource (its default child for L2s). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** The template entry of a construct, so assertions follow definitions, not guessed ids. */
export function resourceOf(template: Template, construct: IConstruct): CfnResourceJson {
  const id = logicalIdOf(construct);
  const resource = (template.toJSON().Resources as Record<string, CfnResourceJson>)[id];
  if (resource === undefined) throw new Error(`No resource ${id} in the template`);
  return resource;
}

/** Every resource of a type, keyed by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResourceJson> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}
