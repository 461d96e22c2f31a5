import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { isRole, ROLES, type Role } from '../../domain/roles';
import type { DirectoryUser, UserDirectory } from '../../ports';

const attribute = (attributes: readonly AttributeType[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

function toUser(
  user: {
    Username?: string;
    Attributes?: AttributeType[];
    UserStatus?: string;
    Enabled?: boolean;
    UserCreateDate?: Date;
  },
  role: Role | undefined,
): DirectoryUser {
  return {
    username: user.Username ?? '',
    email: attribute(user.Attributes, 'email') ?? '',
    ...(role ? { role } : {}),
    status: user.UserStatus ?? 'UNKNOWN',
    enabled: user.Enabled ?? true,
    ...(user.UserCreateDate ? { createdAt: new Date(user.UserCreateDate).toISOString() } : {}),
  };
}

/** Translates Cognito's refusals into Chapar's errors. */
function translated(error: unknown, what: string): unknown {
  const name = error instanceof Error ? error.name : '';
  if (name === 'UsernameExistsException')
    return new ConflictError(`${what} already exists`, { cause: error });
  if (name === 'UserNotFoundException') return new NotFoundError(`${what} not found`, { cause: error });
  return error;
}

/**
 * The people who may sign in, in a Cognito user pool: roles are its groups `admin`, `marketer`
 * and `viewer`, one per user. Invitations are Cognito's own (a temporary password by email).
 */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(email: string, role: Role): Promise<DirectoryUser> {
    let created: UserType | undefined;
    try {
      ({ User: created } = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      ));
    } catch (error) {
      throw translated(error, 'A user with this email');
    }
    const username = created?.Username ?? email;
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: role }),
    );
    return toUser({ ...created, Username: username }, role);
  }

  async list(): Promise<DirectoryUser[]> {
    const pool = this.userPoolId;
    const [users, ...members] = await Promise.all([
      allUsers(async (token) => {
        const answer = await this.client.send(
          new ListUsersCommand({ UserPoolId: pool, PaginationToken: token }),
        );
        return { users: answer.Users, next: answer.PaginationToken };
      }),
      ...ROLES.map((role) =>
        allUsers(async (token) => {
          const answer = await this.client.send(
            new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: role, NextToken: token }),
          );
          return { users: answer.Users, next: answer.NextToken };
        }),
      ),
    ]);
    // The highest group wins, as the API reads a token's groups.
    const roleOf = new Map<string, Role>();
    ROLES.forEach((role, index) => {
      for (const user of members[index] ?? []) if (user.Username) roleOf.set(user.Username, role);
    });
    return users
      .map((user) => toUser(user, user.Username ? roleOf.get(user.Username) : undefined))
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  async update(username: string, change: { role?: Role; enabled?: boolean }): Promise<DirectoryUser> {
    const key = { UserPoolId: this.userPoolId, Username: username };
    try {
      const user = await this.client.send(new AdminGetUserCommand(key));
      if (change.role !== undefined) await this.changeRole(username, change.role);
      if (change.enabled === true) await this.client.send(new AdminEnableUserCommand(key));
      if (change.enabled === false) await this.client.send(new AdminDisableUserCommand(key));
      return toUser(
        {
          Username: user.Username,
          Attributes: user.UserAttributes,
          UserStatus: user.UserStatus,
          Enabled: change.enabled ?? user.Enabled,
          UserCreateDate: user.UserCreateDate,
        },
        change.role ?? (await this.roleOf(username)),
      );
    } catch (error) {
      throw translated(error, 'User');
    }
  }

  private async changeRole(username: string, role: Role): Promise<void> {
    const key = { UserPoolId: this.userPoolId, Username: username };
    const { Groups = [] } = await this.client.send(new AdminListGroupsForUserCommand(key));
    // Added first: a failure in between leaves the user with both roles, never with none.
    await this.client.send(new AdminAddUserToGroupCommand({ ...key, GroupName: role }));
    for (const group of Groups) {
      if (group.GroupName && group.GroupName !== role && isRole(group.GroupName))
        await this.client.send(new AdminRemoveUserFromGroupCommand({ ...key, GroupName: group.GroupName }));
    }
  }

  private async roleOf(username: string): Promise<Role | undefined> {
    const { Groups = [] } = await this.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: username }),
    );
    return ROLES.toReversed().find((role) => Groups.some((group) => group.GroupName === role));
  }
}

/** Every user of a paginated listing. */
async function allUsers(
  page: (token: string | undefined) => Promise<{ users?: UserType[]; next?: string }>,
): Promise<UserType[]> {
  const users: UserType[] = [];
  let token: string | undefined;
  do {
    const answer = await page(token);
    users.push(...(answer.users ?? []));
    token = answer.next;
  } while (token);
  return users;
}
