import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoAccessTokenVerifier } from '../../../shared/adapters/cognito/access-token-verifier';
import { CognitoUserDirectory } from '../../../shared/adapters/cognito/user-directory';
import { ConflictError, NotFoundError, UnauthorizedError } from '../../../shared/domain/errors';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { signIn, userWithRole } from '../../support/sign-in';

let emulators: TestEmulators;
let client: CognitoIdentityProviderClient;
let directory: CognitoUserDirectory;
const tag = randomUUID().slice(0, 8);
const email = (name: string) => `${name}-${tag}@chapar.test`;

beforeAll(async () => {
  emulators = await useEmulators();
  client = new CognitoIdentityProviderClient({});
  directory = new CognitoUserDirectory(client, emulators.endpoints.cognito.userPoolId);
});
afterAll(() => client.destroy());

describe('access tokens from cognito-local', () => {
  it('verify against the JWKS fetched from the http issuer, with the groups', async () => {
    // Prepare
    const { cognito } = emulators.endpoints;
    const verifier = new CognitoAccessTokenVerifier({ issuer: cognito.issuer, clientId: cognito.clientId });
    const token = await userWithRole(cognito, email('marketer'), 'marketer');
    // Act
    const verified = await verifier.verify(token);
    // Assess
    expect(verified.groups).toEqual(['marketer']);
    expect(verified.username).not.toBe('');
  });

  it('are refused for another client id or another issuer', async () => {
    const { cognito } = emulators.endpoints;
    const token = await userWithRole(cognito, email('viewer'), 'viewer');
    const otherClient = new CognitoAccessTokenVerifier({ issuer: cognito.issuer, clientId: 'another' });
    const otherIssuer = new CognitoAccessTokenVerifier({
      issuer: `${cognito.url}/local_other`,
      clientId: cognito.clientId,
    });
    await expect(otherClient.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(otherIssuer.verify(token)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('the first admin signs in with the local defaults and is an admin', async () => {
    const { cognito } = emulators.endpoints;
    const verifier = new CognitoAccessTokenVerifier({ issuer: cognito.issuer, clientId: cognito.clientId });
    const token = await signIn(cognito, 'admin@chapar.local', 'local-admin-password');
    expect((await verifier.verify(token)).groups).toEqual(['admin']);
  });
});

describe('the user directory', () => {
  it('invites by email with a role, lists the invitee as FORCE_CHANGE_PASSWORD, and refuses a second invitation', async () => {
    // Act
    const invited = await directory.invite(email('sara'), 'marketer');
    const listed = (await directory.list()).find((user) => user.email === email('sara'));
    // Assess
    expect(invited).toMatchObject({ email: email('sara'), role: 'marketer', enabled: true });
    expect(listed).toMatchObject({
      username: invited.username,
      role: 'marketer',
      status: 'FORCE_CHANGE_PASSWORD',
    });
    await expect(directory.invite(email('sara'), 'viewer')).rejects.toBeInstanceOf(ConflictError);
  });

  it('changes the role (one group at a time) and disables and enables', async () => {
    // Prepare
    const { username } = await directory.invite(email('nima'), 'viewer');
    // Act
    const promoted = await directory.update(username, { role: 'admin' });
    const disabled = await directory.update(username, { enabled: false });
    const listed = (await directory.list()).find((user) => user.username === username);
    const enabled = await directory.update(username, { enabled: true, role: 'marketer' });
    // Assess
    expect(promoted.role).toBe('admin');
    expect(disabled).toMatchObject({ role: 'admin', enabled: false });
    expect(listed).toMatchObject({ role: 'admin', enabled: false });
    expect(enabled).toMatchObject({ role: 'marketer', enabled: true });
    expect((await directory.list()).find((user) => user.username === username)?.role).toBe('marketer');
  });

  it('answers NotFound for a user who does not exist', async () => {
    await expect(directory.update('no-such-user', { enabled: false })).rejects.toBeInstanceOf(NotFoundError);
  });
});
