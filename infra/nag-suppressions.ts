import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type RouteDefinition, type SecretName, schedules, secrets } from '../shared/definitions';
import type { ChaparStacks } from './chapar-stacks';

/**
 * Every cdk-nag (AwsSolutions) finding Chapar accepts, each on the one resource it
 * concerns and with the reason it is accepted. Nothing is acknowledged app- or stack-wide.
 */
export function acknowledgeNagFindings({ data, api }: ChaparStacks): void {
  for (const [name, secret] of Object.entries(data.secrets) as [SecretName, IConstruct][]) {
    acknowledge(secret, 'AwsSolutions-SMG4', secrets[name].rotation);
  }
  acknowledge(
    data.tokenKeySeed,
    'AwsSolutions-SMG4',
    'Read once by CloudFormation to seed the token keyring; rotating it would change nothing',
  );

  for (const { definition, route } of api.routes) {
    acknowledge(
      route,
      'AwsSolutions-APIG4',
      definition.public ? publicRouteProof(definition) : MARKETER_ROUTE,
    );
  }

  for (const { definition, route } of api.queueRoutes) {
    acknowledge(route, 'AwsSolutions-APIG4', publicRouteProof(definition));
  }

  for (const fn of Object.values(api.functions)) {
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords, and SES GetAccount (read only), accept no resource-level permission',
    );
  }

  for (const schedule of schedules) {
    const fn = api.functions[schedule.function].function;
    const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
    acknowledge(
      api.scheduleRole,
      `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      `grantInvoke covers the versions and aliases of ${schedule.function}, and only those`,
    );
  }

  acknowledge(
    api.scheduleDeadLetter.queue,
    'AwsSolutions-SQS3',
    'This queue is the dead-letter queue of the schedules (a Scheduler DLQ, not an SQS redrive)',
  );
}

const MARKETER_ROUTE = 'Marketer route: the function checks the bearer API key held in Secrets Manager';

// A new public route fails synth until its definition says what protects it.
function publicRouteProof(route: Pick<RouteDefinition, 'method' | 'path' | 'proof'>): string {
  if (!route.proof || route.proof.length < 10) {
    throw new Error(
      `Public route ${route.method} ${route.path} has no written proof in shared/definitions.ts`,
    );
  }
  return route.proof;
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
