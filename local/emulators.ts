import * as cognito from './cognito';
import * as dynamodb from './dynamodb';
import { type KavenegarSimulatorOptions, startKavenegarSimulator } from './kavenegar-simulator';
import { startInOrder } from './lifecycle';
import type { AwsEndpoints } from './resources';
import * as secretsManager from './secrets-manager';
import * as ses from './ses';
import * as sqs from './sqs';

/** Region the local platform and the tests pretend to be in. */
export const LOCAL_REGION = 'us-east-1';

/** The first admin of the local user pool, unless CHAPAR_ADMIN_EMAIL / CHAPAR_ADMIN_PASSWORD say otherwise. */
export const LOCAL_ADMIN = { email: 'admin@chapar.local', password: 'local-admin-password' } as const;

/** How to start the emulators; every port defaults to the local platform's, 0 = any free port. */
export interface EmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  dynamodbPort?: number;
  sqsPort?: number;
  sesPort?: number;
  secretsPort?: number;
  /** cognito-local's port (CHAPAR_COGNITO_PORT). */
  cognitoPort?: number;
  /** The first admin cognito-local is given. Default admin@chapar.local / local-admin-password. */
  admin?: { readonly email: string; readonly password: string };
  /** Starts the Kavenegar simulator too when given. */
  kavenegar?: Omit<KavenegarSimulatorOptions, 'host'>;
}

/** Where each emulator answers. */
export interface EmulatorEndpoints extends AwsEndpoints {
  /** The Kavenegar simulator's base URL, when it was started. */
  readonly kavenegar?: string;
  /** Pid of DynamoDB Local's Java process. */
  readonly dynamodbPid: number;
}

/** The running emulators. */
export interface Emulators {
  readonly endpoints: EmulatorEndpoints;
  /** Calls `listener` for every object put into fauxqs's S3; returns the way to stop. */
  readonly onS3Upload: sqs.SqsEmulator['onUpload'];
  /** Ends every emulator (DynamoDB's Java process included) and waits for each; safe to call twice. */
  end(): Promise<void>;
}

/**
 * Starts the AWS-side emulators and, when asked, the Kavenegar simulator. If one fails,
 * those already started are ended before the error is rethrown.
 */
export function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  return startInOrder('The emulators', async (started) => {
    // 1. DynamoDB Local first: the slowest (a JVM) and the likeliest to fail (no Java), so a
    //    broken machine fails before anything else has started.
    const dynamo = started.add(
      'DynamoDB Local',
      await dynamodb.start({ host, port: options.dynamodbPort, region: LOCAL_REGION }),
    );
    // 2. Secrets Manager: functions read their keys from it at cold start.
    const secrets = started.add(
      'Secrets Manager',
      await secretsManager.start({ host, port: options.secretsPort, region: LOCAL_REGION }),
    );
    // 3. SQS (fauxqs): the queues between functions.
    const queues = started.add('SQS', await sqs.start({ host, port: options.sqsPort }));
    // 4. SES: where email goes; its inbox is a web page.
    const email = started.add('SES', await ses.start({ host, port: options.sesPort }));
    // 5. Cognito (cognito-local): sign-in; its pool, client, groups and first admin made at start.
    const users = started.add(
      'Cognito',
      await cognito.start({
        host,
        port: options.cognitoPort,
        region: LOCAL_REGION,
        admin: options.admin ?? LOCAL_ADMIN,
      }),
    );
    // 6. Kavenegar last: a provider, not AWS, and only the platform needs it running.
    const kavenegar =
      options.kavenegar === undefined
        ? undefined
        : started.add('Kavenegar simulator', await startKavenegarSimulator({ ...options.kavenegar, host }));

    return {
      endpoints: {
        region: LOCAL_REGION,
        dynamodb: dynamo.url,
        dynamodbPid: dynamo.pid,
        sqs: queues.url,
        ses: email.url,
        secretsManager: secrets.url,
        cognito: {
          url: users.url,
          userPoolId: users.userPoolId,
          clientId: users.clientId,
          issuer: users.issuer,
        },
        ...(kavenegar === undefined ? {} : { kavenegar: kavenegar.url }),
      },
      onS3Upload: queues.onUpload,
      end: () => started.end(),
    };
  });
}
