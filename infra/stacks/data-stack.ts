import { CfnOutput, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  type SecretName,
  secrets,
  type TableDefinition,
  type TableName,
  tables,
  userPool,
} from '../../shared/definitions';
import { AppTable } from '../constructs/app-table';
import { AppUserPool } from '../constructs/user-pool';
import { mapRecord } from '../map-record';

/** The key id the generated token keyring starts with. */
export const FIRST_TOKEN_KEY_ID = 'k1';

/**
 * What outlives every deploy: the DynamoDB tables and the Secrets Manager secrets, one
 * per entry of `tables` and `secrets` in shared/definitions.ts, and the Cognito user pool.
 */
export class DataStack extends Stack {
  readonly tables: Readonly<Record<TableName, AppTable>>;
  readonly secrets: Readonly<Record<SecretName, secretsmanager.Secret>>;
  /** Who signs in to the console: the user pool, its client and role groups. */
  readonly users: AppUserPool;
  /** Random source of the first token key; read once by CloudFormation, never by a function. */
  readonly tokenKeySeed: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.tables = mapRecord(
      tables,
      (definition: TableDefinition) =>
        new AppTable(this, definition.id, {
          partitionKey: definition.partitionKey,
          sortKey: definition.sortKey,
          indexes: definition.indexes,
          timeToLiveAttribute: definition.timeToLiveAttribute,
        }),
    );

    const generated = (definition: (typeof secrets)[SecretName], description: string) =>
      new secretsmanager.Secret(this, definition.id, {
        secretName: definition.name,
        description,
        generateSecretString: { excludePunctuation: true, passwordLength: 48 },
      });

    this.tokenKeySeed = new secretsmanager.Secret(this, 'TokenKeySeed', {
      description: `Random source of the first key (${FIRST_TOKEN_KEY_ID}) of ${secrets.tokenKeys.name}`,
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    });
    // Secrets Manager only generates a top-level JSON key, and the keyring nests its keys.
    // A dynamic reference puts the seed in place at deploy time: the template carries the
    // reference, never the value.
    const seedReference = this.tokenKeySeed.secretValue.unsafeUnwrap();
    const tokenKeys = new secretsmanager.Secret(this, secrets.tokenKeys.id, {
      secretName: secrets.tokenKeys.name,
      description: 'Keyring signing unsubscribe tokens: {"current":"<kid>","keys":{"<kid>":"<key>"}}',
      secretStringValue: SecretValue.unsafePlainText(
        `{"current":"${FIRST_TOKEN_KEY_ID}","keys":{"${FIRST_TOKEN_KEY_ID}":"${seedReference}"}}`,
      ),
    });

    const kavenegarApiKey = new secretsmanager.Secret(this, secrets.kavenegarApiKey.id, {
      secretName: secrets.kavenegarApiKey.name,
      description: 'Kavenegar API key; the operator puts the real key with put-secret-value after deploy',
      // A placeholder, not a secret: CloudFormation never rewrites it while this text is unchanged.
      secretStringValue: SecretValue.unsafePlainText('SET-ME-AFTER-DEPLOY'),
    });

    this.secrets = {
      apiKey: generated(secrets.apiKey, 'Bearer key marketers send to the Chapar API'),
      webhookSecret: generated(secrets.webhookSecret, 'HMAC key signing spoofed-SMS report webhooks'),
      tokenKeys,
      kavenegarApiKey,
      deliveryCallbackSecret: generated(
        secrets.deliveryCallbackSecret,
        "Secret path segment of the delivery-report URL set in Kavenegar's panel",
      ),
      erasureKey: generated(secrets.erasureKey, 'HMAC key of the do-not-contact hashes kept after erasure'),
    };

    this.users = new AppUserPool(this, userPool.id, { definition: userPool });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });

    new CfnOutput(this, 'KavenegarApiKeySecretArn', {
      value: kavenegarApiKey.secretArn,
      description: 'aws secretsmanager put-secret-value --secret-id <this> --secret-string <key>',
    });
    new CfnOutput(this, 'ApiKeySecretArn', {
      value: this.secrets.apiKey.secretArn,
      description: 'aws secretsmanager get-secret-value --secret-id <this> gives the marketer key',
    });
    new CfnOutput(this, 'WebhookSecretArn', { value: this.secrets.webhookSecret.secretArn });
  }
}
