import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functions, USER_POOL_MANAGE_ACTIONS, userPool } from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { actionsOf, statementsOfRole } from './support/iam';
import { logicalIdOf, resourceOf, resourcesOfType } from './support/resources';

const { stacks, data, api } = synthChapar();
const poolId = logicalIdOf(stacks.data.users.userPool);

describe('user pool', () => {
  // biome-ignore lint/suspicious/noExplicitAny: a CloudFormation resource's properties, read as the template has them
  const pool = resourceOf(data, stacks.data.users.userPool) as any;

  it('signs in by email, invites only, and is kept: deletion protection and retained on delete', () => {
    // Prepare / Act: the synthesized pool. Assess:
    expect(pool.Properties.UsernameAttributes).toEqual(['email']);
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
  });

  it('asks for strong passwords, offers TOTP and enforces the Plus plan threat protection', () => {
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Properties.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Properties.UserPoolTier).toBe('PLUS');
  });

  it('has one console client without a secret, allowing USER_PASSWORD_AUTH and SRP', () => {
    data.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    data.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('has the role groups of the definition, admin first', () => {
    const groups = Object.values(resourcesOfType(data, 'AWS::Cognito::UserPoolGroup')).map((group) => ({
      name: group.Properties.GroupName,
      precedence: group.Properties.Precedence,
    }));
    expect(groups).toEqual(
      userPool.groups.map((group) => ({ name: group.name, precedence: group.precedence })),
    );
    expect(groups.map((group) => group.name)).toEqual(['admin', 'marketer', 'viewer']);
  });
});

describe('functions and the user pool', () => {
  it('gives http-api the issuer, client and pool id, and the admin operations on that pool alone', () => {
    // Prepare
    const construct = stacks.api.functions['http-api'];
    // biome-ignore lint/suspicious/noExplicitAny: the template's environment, tokens included
    const env = (resourceOf(api, construct.function).Properties as any).Environment.Variables;
    // Act
    const statements = statementsOfRole(api, logicalIdOf(construct.role)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('cognito-idp:')),
    );
    // Assess
    // https:// before the pool's provider URL (cognito-idp.<region>.amazonaws.com/<poolId>), imported.
    expect(env.COGNITO_ISSUER['Fn::Join'][1][0]).toBe('https://');
    expect(JSON.stringify(env.COGNITO_ISSUER)).toContain(`${poolId}ProviderURL`);
    expect(JSON.stringify(env.COGNITO_CLIENT_ID)).toContain(logicalIdOf(stacks.data.users.client));
    expect(JSON.stringify(env.COGNITO_USER_POOL_ID)).toContain(poolId);
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0] as never).sort()).toEqual([...USER_POOL_MANAGE_ACTIONS].sort());
    expect(JSON.stringify((statements[0] as { Resource: unknown }).Resource)).toContain(poolId);
  });

  it('gives no other function anything of the pool', () => {
    for (const [name, definition] of Object.entries(functions)) {
      if ('userPool' in definition) continue;
      const construct = stacks.api.functions[name as keyof typeof functions];
      const env = (resourceOf(api, construct.function).Properties as { Environment: { Variables: object } })
        .Environment.Variables;
      expect(
        Object.keys(env).filter((key) => key.startsWith('COGNITO_')),
        name,
      ).toEqual([]);
    }
  });
});
