import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addChaparStacks } from './chapar-stacks';

const app = new App();
addChaparStacks(app, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// cdk-nag 3 is a policy validation plugin: findings fail `cdk synth` and are written to
// the cloud assembly's validation report.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
