import { existsSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { start } from '../../../local/cognito';
import { userPool } from '../../../shared/definitions';
import { signIn } from '../../support/sign-in';

describe('local cognito', () => {
  it('starts with the pool, a secretless client, the role groups and the first admin, and leaves no data folder', async () => {
    // Act
    const cognito = await start({
      port: 0,
      admin: { email: 'first@chapar.test', password: 'First-admin-1!' },
    });
    const kept = existsSync(cognito.dataDir);
    const client = new CognitoIdentityProviderClient({
      endpoint: cognito.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const { Groups = [] } = await client.send(new ListGroupsCommand({ UserPoolId: cognito.userPoolId }));
      const { UserPoolClient } = await client.send(
        new DescribeUserPoolClientCommand({ UserPoolId: cognito.userPoolId, ClientId: cognito.clientId }),
      );
      const token = await signIn(cognito, 'first@chapar.test', 'First-admin-1!');
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
      // Assess
      expect(Groups.map((group) => group.GroupName).sort()).toEqual(
        userPool.groups.map((g) => g.name).sort(),
      );
      expect(UserPoolClient?.ClientSecret).toBeUndefined();
      expect(claims).toMatchObject({ iss: cognito.issuer, token_use: 'access', 'cognito:groups': ['admin'] });
      expect(cognito.issuer).toBe(`${cognito.url}/${cognito.userPoolId}`);
      expect(kept).toBe(true);
    } finally {
      client.destroy();
      await cognito.end();
    }
    await expect(fetch(`${cognito.url}/health`)).rejects.toThrow();
    expect(existsSync(cognito.dataDir)).toBe(false);
    await cognito.end();
  });
});
