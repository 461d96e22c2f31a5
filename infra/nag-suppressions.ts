import { type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  type BucketName,
  buckets,
  type FunctionDefinition,
  type FunctionName,
  functions,
  type RouteDefinition,
  type SecretName,
  schedules,
  secrets,
} from '../shared/definitions';
import type { ChaparStacks } from './chapar-stacks';

/**
 * Every cdk-nag (AwsSolutions) finding Chapar accepts, each on the one resource it
 * concerns and with the reason it is accepted. Nothing is acknowledged app- or stack-wide.
 */
export function acknowledgeNagFindings({ data, messaging, api }: ChaparStacks): void {
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

  for (const [name, definition] of Object.entries(functions) as [FunctionName, FunctionDefinition][]) {
    for (const bucket of Object.keys(definition.buckets ?? {}) as BucketName[]) {
      const policy = api.functions[name].function.node.tryFindChild(`${buckets[bucket].id}Objects`);
      if (policy) {
        const prefix = buckets[bucket].notifies?.prefix ?? '';
        // A stack with an environment knows its partition (`aws`); one without leaves it a token.
        const known = Stack.of(policy).partition;
        const partition = Token.isUnresolved(known) ? '<AWS::Partition>' : known;
        acknowledge(
          policy,
          `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${buckets[bucket].localName}-<AWS::AccountId>-<AWS::Region>/${prefix}*]`,
          `Upload object keys are made per import: ${name} may reach only the objects under ${buckets[bucket].notifies?.prefix ?? ''}`,
        );
      }
    }
  }

  for (const { bucket } of Object.values(messaging.buckets)) {
    acknowledge(
      bucket,
      'AwsSolutions-S1',
      'Uploads live at most 7 days and are read once by the import; CloudTrail data events can log access if wanted',
    );
  }
  const notifications = messaging.node.children.find((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (notifications) {
    acknowledge(
      notifications,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's bucket-notifications custom resource: it runs at deploy time only, with the basic logging policy",
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

  acknowledgeConsoleSite(api);

  acknowledge(
    data.users.userPool,
    'AwsSolutions-COG2',
    "MFA is optional (TOTP): the Plus plan's threat protection, enforced, asks risky sign-ins for more; required MFA would lock out a first admin who has not enrolled yet",
  );

  acknowledge(
    api.scheduleDeadLetter.queue,
    'AwsSolutions-SQS3',
    'This queue is the dead-letter queue of the schedules (a Scheduler DLQ, not an SQS redrive)',
  );
}

const MARKETER_ROUTE =
  "Marketer route: the function verifies a Cognito access token (jose, the pool's JWKS) or an API key, and the route's role";
/** The console's bucket and distribution, and CDK's deployment custom resource that fills the bucket. */
function acknowledgeConsoleSite(api: ChaparStacks['api']): void {
  const site = api.consoleSite;
  acknowledge(
    site.bucket,
    'AwsSolutions-S1',
    'Holds only the built console, read by CloudFront through origin access control; no personal data',
  );
  const distribution = site.distribution;
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'Customers and staff reach the brand from anywhere; no country is refused',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR2',
    "WAF is the operator's choice (its cost); API Gateway throttles every route and the API checks every caller",
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR3',
    "The API's access log records every API request; the rest is the static console",
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    'The default *.cloudfront.net certificate fixes the viewer policy; an operator domain with its own certificate sets TLSv1.2_2021',
  );
  const stack = Stack.of(site);
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler) return;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const bucketId = stack.getLogicalId(site.bucket.node.defaultChild as CfnElement);
  const deployOnly =
    "CDK's BucketDeployment custom resource: runs at deploy time only, copying the built console into its bucket";
  for (const finding of [
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AwsSolutions-IAM5[Action::s3:Abort*]',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]',
    'AwsSolutions-IAM5[Action::s3:GetObject*]',
    'AwsSolutions-IAM5[Action::s3:List*]',
    'AwsSolutions-IAM5[Resource::*]',
    `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
    'AwsSolutions-L1',
  ]) {
    acknowledge(handler, finding, deployOnly);
  }
}

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
