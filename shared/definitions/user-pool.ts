/** The Cognito user pool people sign in to, its console client and its role groups. */

import { ROLES, type Role } from '../domain/roles';

export interface UserPoolDefinition {
  /** Stable CDK id of the pool; its name on the local platform too. */
  readonly id: string;
  readonly clientId: string;
  /** Role groups, highest precedence (lowest number) first: a token's highest group is its role. */
  readonly groups: readonly {
    readonly name: Role;
    readonly precedence: number;
    readonly description: string;
  }[];
}

const GROUP_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  admin: 'Everything, including erasure, users and API keys',
  marketer: 'Contacts, imports, lists, segments, templates, campaigns and messages',
  viewer: 'Read only',
};

export const userPool: UserPoolDefinition = {
  id: 'UserPool',
  clientId: 'ConsoleClient',
  groups: ROLES.toReversed().map((name, index) => ({
    name,
    precedence: index,
    description: GROUP_DESCRIPTIONS[name],
  })),
};

/**
 * What a function does with the pool: `verify` access tokens (issuer and client), or `manage` its
 * users too (the pool id, with the admin operations the users routes call).
 */
export type UserPoolAccess = 'verify' | 'manage';

export const USER_POOL_SETTINGS = {
  verify: ['COGNITO_ISSUER', 'COGNITO_CLIENT_ID'],
  manage: ['COGNITO_ISSUER', 'COGNITO_CLIENT_ID', 'COGNITO_USER_POOL_ID'],
} as const satisfies Record<UserPoolAccess, readonly string[]>;

/** The admin operations `manage` grants, on the pool alone. */
export const USER_POOL_MANAGE_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:ListUsers',
  'cognito-idp:ListUsersInGroup',
] as const;
