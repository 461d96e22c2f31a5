import * as dynamodb from './dynamodb';
import { type KavenegarSimulatorOptions, startKavenegarSimulator } from './kavenegar-simulator';
import type { AwsEndpoints } from './resources';
import * as secretsManager from './secrets-manager';
import * as ses from './ses';
import * as sqs from './sqs';

/** Region the local platform and the tests pretend to be in. */
export const LOCAL_REGION = 'us-east-1';

/** How to start the emulators; every port defaults to the local platform's, 0 = any free port. */
export interface EmulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  dynamodbPort?: number;
  sqsPort?: number;
  sesPort?: number;
  secretsPort?: number;
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
  /** Stops every emulator (DynamoDB's Java process included) and waits for each; safe to call twice. */
  stop(): Promise<void>;
}

interface Stoppable {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * Starts the AWS-side emulators and, when asked, the Kavenegar simulator. If one fails,
 * those already started are stopped before the error is rethrown.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const host = options.host ?? '127.0.0.1';
  const started: Stoppable[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse order; every one is stopped even if another fails to.
    const results = await Promise.allSettled(started.toReversed().map((service) => service.stop()));
    const failures = results.filter((result) => result.status === 'rejected');
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((failure) => failure.reason),
        'Some emulators did not stop cleanly',
      );
    }
  };
  try {
    // 1. DynamoDB Local first: the slowest (a JVM) and the likeliest to fail (no Java), so a
    //    broken machine fails before anything else has started.
    const dynamo = await dynamodb.start({ host, port: options.dynamodbPort, region: LOCAL_REGION });
    started.push({ name: 'DynamoDB Local', stop: dynamo.end });
    // 2. Secrets Manager: functions read their keys from it at cold start.
    const secrets = await secretsManager.start({ host, port: options.secretsPort, region: LOCAL_REGION });
    started.push({ name: 'Secrets Manager', stop: secrets.end });
    // 3. SQS (fauxqs): the queues between functions.
    const queues = await sqs.start({ host, port: options.sqsPort });
    started.push({ name: 'SQS', stop: queues.end });
    // 4. SES: where email goes; its inbox is a web page.
    const email = await ses.start({ host, port: options.sesPort });
    started.push({ name: 'SES', stop: email.end });
    // 5. Kavenegar last: a provider, not AWS, and only the platform needs it running.
    const kavenegar =
      options.kavenegar === undefined
        ? undefined
        : await startKavenegarSimulator({ ...options.kavenegar, host });
    if (kavenegar !== undefined) started.push({ name: 'Kavenegar simulator', stop: kavenegar.stop });

    let stopped: Promise<void> | undefined;
    return {
      endpoints: {
        region: LOCAL_REGION,
        dynamodb: dynamo.url,
        dynamodbPid: dynamo.pid,
        sqs: queues.url,
        ses: email.url,
        secretsManager: secrets.url,
        ...(kavenegar === undefined ? {} : { kavenegar: kavenegar.url }),
      },
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}
