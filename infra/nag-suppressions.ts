import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { type SecretName, schedules } from '../shared/definitions';
import type { ChaparStacks } from './chapar-stacks';

/**
 * Every cdk-nag (AwsSolutions) finding Chapar accepts, each on the one resource it
 * concerns and with the reason it is accepted. Nothing is acknowledged app- or stack-wide.
 */
export function acknowledgeNagFindings({ data, api }: ChaparStacks): void {
  for (const [name, secret] of Object.entries(data.secrets) as [SecretName, IConstruct][]) {
    acknowledge(secret, 'AwsSolutions-SMG4', SECRET_ROTATION[name]);
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
      definition.public ? publicRouteProof(definition.path) : MARKETER_ROUTE,
    );
  }

  for (const fn of Object.values(api.functions)) {
    acknowledge(
      fn.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords accept no resource-level permission',
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

const SECRET_ROTATION: Readonly<Record<SecretName, string>> = {
  apiKey: 'Shared with the marketer out of band; rotated by the operator together with the marketer',
  tokenKeys: 'A keyring: rotation adds a key id and moves "current", so links already sent keep working',
  webhookSecret: 'Shared with the report sender; rotated by the operator together with the sender',
  kavenegarApiKey: 'Issued by Kavenegar in its panel; the operator replaces it there and here',
};

// Paths of the public routes in shared/definitions.ts and the proof each one checks.
const PUBLIC_ROUTE_PROOF: Readonly<Record<string, string>> = {
  '/u/{token}': 'Unsubscribe link: the path carries a signed, opaque token (RFC 8058 forbids auth on it)',
  '/v1/reports/spoofed-sms':
    'Webhook: the body is verified by HMAC-SHA256 signature and timestamp inside the function',
};

const MARKETER_ROUTE = 'Marketer route: the function checks the bearer API key held in Secrets Manager';

// A new public route fails synth until someone writes down what protects it.
function publicRouteProof(path: string): string {
  const proof = PUBLIC_ROUTE_PROOF[path];
  if (proof === undefined) {
    throw new Error(`Public route ${path} has no written justification in infra/nag-suppressions.ts`);
  }
  return proof;
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
