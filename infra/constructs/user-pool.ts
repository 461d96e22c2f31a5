import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { UserPoolDefinition } from '../../shared/definitions';

export interface AppUserPoolProps {
  /** The pool, its client and groups as shared/definitions/user-pool.ts states them. */
  readonly definition: UserPoolDefinition;
}

/**
 * The user pool people sign in to the console with: email as the username, no self sign-up
 * (admins invite), a strong password policy, optional TOTP MFA, the Plus plan's threat protection
 * enforced, deletion protection and retained on stack deletion (it holds every user). Its app
 * client has no secret (a browser holds it) and allows USER_PASSWORD_AUTH and SRP; the role groups
 * are made from the definition.
 */
export class AppUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the `iss` of its tokens. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: AppUserPoolProps) {
    super(scope, id);
    const { definition } = props;

    this.userPool = new cognito.UserPool(this, 'Pool', {
      signInAliases: { email: true },
      autoVerify: { email: true },
      selfSignUpEnabled: false,
      signInCaseSensitive: false,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'دعوت به چاپار / Your Chapar invitation',
        emailBody:
          'برای ورود به چاپار: نام کاربری {username} و گذرواژهٔ موقت {####}<br>' +
          'To sign in to Chapar: username {username}, temporary password {####}',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.client = this.userPool.addClient(definition.clientId, {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    for (const group of definition.groups) {
      new cognito.CfnUserPoolGroup(this, `${group.name[0]?.toUpperCase()}${group.name.slice(1)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group.name,
        precedence: group.precedence,
        description: group.description,
      });
    }

    this.issuer = `https://${this.userPool.userPoolProviderUrl}`;
  }
}
