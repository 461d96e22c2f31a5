import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEmulators, useEmulators } from '../../support/emulators';

describe('local Secrets Manager through the real SDK', () => {
  let emulators: TestEmulators;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    emulators = await useEmulators();
    // No endpoint given: the client must find the emulator through AWS_ENDPOINT_URL_SECRETS_MANAGER.
    client = new SecretsManagerClient({});
  });
  afterAll(() => client.destroy());

  it('answers GetSecretValue with the seeded value and AWS fields', async () => {
    // Act
    const secret = await client.send(new GetSecretValueCommand({ SecretId: emulators.names.secrets.apiKey }));

    // Assess
    expect(secret.Name).toBe(emulators.names.secrets.apiKey);
    expect(secret.SecretString).toBe(emulators.secretValues.apiKey);
    expect(secret.ARN).toMatch(
      new RegExp(
        `^arn:aws:secretsmanager:us-east-1:000000000000:secret:${emulators.names.secrets.apiKey}-.{6}$`,
      ),
    );
    expect(secret.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret.VersionStages).toEqual(['AWSCURRENT']);
    expect(secret.CreatedDate).toBeInstanceOf(Date);
  });

  it('finds a secret by its ARN too', async () => {
    // Prepare
    const byName = await client.send(
      new GetSecretValueCommand({ SecretId: emulators.names.secrets.tokenKeys }),
    );

    // Act
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));

    // Assess
    expect(byArn.SecretString).toBe(emulators.secretValues.tokenKeys);
  });

  it('throws the SDK ResourceNotFoundException for an unknown secret', async () => {
    // Act
    const attempt = client.send(
      new GetSecretValueCommand({ SecretId: `${emulators.names.prefix}no-such-secret` }),
    );

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(attempt).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('serves a new value after PutSecretValue, the old one as AWSPREVIOUS', async () => {
    // Prepare
    const secretId = emulators.names.secrets.webhookSecret;

    // Act
    await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: 'rotated' }));

    // Assess
    const current = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPREVIOUS' }),
    );
    expect(current.SecretString).toBe('rotated');
    expect(previous.SecretString).toBe(emulators.secretValues.webhookSecret);
  });

  it('serves Powertools Parameters, as functions read secrets', async () => {
    // Prepare: imported after useEmulators, as a handler is, so its default client sees the env.
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');

    // Act
    const value = await getSecret(emulators.names.secrets.kavenegarApiKey);

    // Assess
    expect(value).toBe(emulators.secretValues.kavenegarApiKey);
  });
});
