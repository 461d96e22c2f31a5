import { ValidationError } from '../domain/errors';
import { parseMini } from '../domain/mini-validation';
import { inviteUserSchema, USERNAME, updateUserSchema } from '../domain/user';
import type { DirectoryUser, UserDirectory } from '../ports';

export interface UserDeps {
  readonly users: UserDirectory;
}

/** Invites a person by email with a role: Cognito mails them a temporary password. */
export async function inviteUser(deps: UserDeps, body: unknown): Promise<DirectoryUser> {
  const input = parseMini(inviteUserSchema, body, 'user');
  return deps.users.invite(input.email.toLowerCase(), input.role);
}

export async function listUsers(deps: UserDeps): Promise<{ items: DirectoryUser[] }> {
  return { items: await deps.users.list() };
}

/** Changes a user's role, or disables or enables them. */
export async function updateUser(deps: UserDeps, username: string, body: unknown): Promise<DirectoryUser> {
  if (!USERNAME.test(username))
    throw new ValidationError('Invalid username', [{ field: 'username', message: 'must be a username' }]);
  const change = parseMini(updateUserSchema, body, 'user change');
  return deps.users.update(username, change);
}
