import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Role } from '../../shared/domain/roles';

/** Where cognito-local answers and the pool it was given (EmulatorEndpoints['cognito']). */
export interface TestPool {
  readonly url: string;
  readonly userPoolId: string;
  readonly clientId: string;
}

function clientOf(pool: TestPool): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: pool.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Signs in with USER_PASSWORD_AUTH, as the console does; the access token. */
export async function signIn(pool: TestPool, email: string, password: string): Promise<string> {
  const client = clientOf(pool);
  try {
    const answer = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: pool.clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const token = answer.AuthenticationResult?.AccessToken;
    if (!token) throw new Error(`No access token for ${email} (challenge ${answer.ChallengeName})`);
    return token;
  } finally {
    client.destroy();
  }
}

/** A confirmed user with a permanent password, in `role`'s group (or none); signed in. */
export async function userWithRole(
  pool: TestPool,
  email: string,
  role: Role | undefined,
  password = 'Test-password-1!',
): Promise<string> {
  const client = clientOf(pool);
  try {
    const { User } = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    const username = User?.Username ?? email;
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    if (role)
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: username, GroupName: role }),
      );
  } finally {
    client.destroy();
  }
  return signIn(pool, email, password);
}
