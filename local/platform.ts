import { type EmulatorEndpoints, startEmulators } from './emulators';
import { createHandlerLoader } from './lambda/functions';
import { startHttpGateway } from './lambda/http-gateway';
import { startScheduler } from './lambda/scheduler';
import { type PolledQueue, startSqsPollers } from './lambda/sqs-poller';
import { createResources } from './resources';
import { LOCAL_CONFIGURATION_SET, start as startSesEvents } from './ses-events';

/** A variable that configures the local platform, with its default. */
export interface LocalVariable {
  readonly name: string;
  readonly defaultValue: string;
  /** A secret's value: never printed. */
  readonly secret: boolean;
}

/** Every local variable, in the order `npm start` prints them. */
export const localVariables = [
  { name: 'CHAPAR_HOST', defaultValue: '127.0.0.1', secret: false },
  { name: 'CHAPAR_API_PORT', defaultValue: '3000', secret: false },
  { name: 'CHAPAR_SES_PORT', defaultValue: '8005', secret: false },
  { name: 'CHAPAR_KAVENEGAR_PORT', defaultValue: '8006', secret: false },
  { name: 'CHAPAR_DYNAMODB_PORT', defaultValue: '8000', secret: false },
  { name: 'CHAPAR_SQS_PORT', defaultValue: '4566', secret: false },
  { name: 'CHAPAR_SECRETS_PORT', defaultValue: '8007', secret: false },
  { name: 'CHAPAR_SMS_SENDER', defaultValue: '50004001051233', secret: false },
  { name: 'CHAPAR_FROM_EMAIL', defaultValue: 'news@chapar.local', secret: false },
  { name: 'CHAPAR_ABUSE_EMAIL', defaultValue: 'abuse@chapar.local', secret: false },
  { name: 'CHAPAR_API_KEY', defaultValue: 'local-dev-key', secret: true },
  { name: 'CHAPAR_WEBHOOK_SECRET', defaultValue: 'local-webhook-secret', secret: true },
  { name: 'CHAPAR_KAVENEGAR_API_KEY', defaultValue: 'local-kavenegar-key', secret: true },
  { name: 'CHAPAR_TOKEN_KEY', defaultValue: 'local-token-key', secret: true },
  { name: 'CHAPAR_DELIVERY_CALLBACK_SECRET', defaultValue: 'local-callback-secret', secret: true },
  { name: 'CHAPAR_ERASURE_KEY', defaultValue: 'local-erasure-key', secret: true },
] as const satisfies readonly LocalVariable[];

/** The name of a local variable. */
export type LocalVariableName = (typeof localVariables)[number]['name'];

/** The local variables, each from the environment or its default. */
export type LocalSettings = Readonly<Record<LocalVariableName, string>>;

/** How to start the platform. Ports default to the local variables; 0 = any free port. */
export interface PlatformOptions {
  apiPort?: number;
  sesPort?: number;
  kavenegarPort?: number;
  dynamodbPort?: number;
  sqsPort?: number;
  secretsPort?: number;
  /** Default: CHAPAR_HOST. */
  host?: string;
  /** Replaces every queue's visibility timeout (tests need seconds, not minutes). */
  visibilityTimeoutSeconds?: number;
  /** Functions log at WARN unless POWERTOOLS_LOG_LEVEL says otherwise; false: at INFO. */
  quiet?: boolean;
  /**
   * Read over process.env for the local variables, and copied into process.env for the
   * functions (below the platform's own variables, which always win).
   */
  env?: Record<string, string>;
}

/** A running local platform. */
export interface Platform {
  /** The API, e.g. `http://127.0.0.1:3000`; GET /health answers once everything is up. */
  readonly apiUrl: string;
  /** The SES emulator: web inbox at /, sent mail as JSON at /store. */
  readonly sesUrl: string;
  readonly kavenegarUrl: string;
  readonly endpoints: EmulatorEndpoints;
  /** What the platform put into process.env for the functions (no secret values). */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the scheduler, pollers (in-flight batches finish), gateway and emulators, then restores process.env. */
  stop(): Promise<void>;
}

/** The local variables from `env`, defaults filled in. */
export function readLocalSettings(env: Record<string, string | undefined> = process.env): LocalSettings {
  const settings = Object.fromEntries(
    localVariables.map((variable) => {
      const value = env[variable.name];
      return [variable.name, value === undefined || value === '' ? variable.defaultValue : value];
    }),
  ) as Record<LocalVariableName, string>;
  for (const variable of localVariables) {
    if (variable.name.endsWith('_PORT')) parsePort(variable.name, settings[variable.name]);
  }
  return settings;
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number (0 to 65535), not "${value}"`);
  }
  return port;
}

/**
 * Starts Chapar on this machine: the emulators, the tables, queues and secrets of
 * shared/definitions.ts, the functions' environment, then the HTTP gateway, the SQS pollers
 * and the scheduler, which load handlers lazily. If a step fails, what started is stopped.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const settings = readLocalSettings({ ...process.env, ...options.env });
  const port = (value: number | undefined, name: LocalVariableName): number =>
    value ?? parsePort(name, settings[name]);
  const host = options.host ?? settings.CHAPAR_HOST;

  const emulators = await startEmulators({
    host,
    dynamodbPort: port(options.dynamodbPort, 'CHAPAR_DYNAMODB_PORT'),
    sqsPort: port(options.sqsPort, 'CHAPAR_SQS_PORT'),
    sesPort: port(options.sesPort, 'CHAPAR_SES_PORT'),
    secretsPort: port(options.secretsPort, 'CHAPAR_SECRETS_PORT'),
    kavenegar: {
      port: port(options.kavenegarPort, 'CHAPAR_KAVENEGAR_PORT'),
      apiKey: settings.CHAPAR_KAVENEGAR_API_KEY,
      lines: [settings.CHAPAR_SMS_SENDER],
    },
  });
  const stoppers: (() => Promise<void>)[] = [emulators.stop];
  const environment = new SavedEnvironment();
  const stopAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    // Consumers before what they consume: scheduler, pollers, gateway, SES events, then emulators.
    for (const stop of stoppers.toReversed()) {
      await stop().catch((error: unknown) => failures.push(error));
    }
    environment.restore();
    if (failures.length > 0) throw new AggregateError(failures, 'The local platform did not stop cleanly');
  };

  try {
    const { endpoints } = emulators;
    const resources = await createResources({
      endpoints,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      secretValues: {
        apiKey: settings.CHAPAR_API_KEY,
        webhookSecret: settings.CHAPAR_WEBHOOK_SECRET,
        kavenegarApiKey: settings.CHAPAR_KAVENEGAR_API_KEY,
        tokenKeys: JSON.stringify({ current: 'local', keys: { local: settings.CHAPAR_TOKEN_KEY } }),
        deliveryCallbackSecret: settings.CHAPAR_DELIVERY_CALLBACK_SECRET,
        erasureKey: settings.CHAPAR_ERASURE_KEY,
      },
    });

    // SES event publishing: functions send through it, and mail to the mailbox simulator's
    // addresses becomes SES events on the sesEvents topic, as a configuration set publishes them.
    const sesEvents = await startSesEvents({
      host,
      sesUrl: endpoints.ses,
      snsEndpoint: endpoints.sqs,
      region: endpoints.region,
      topicArn: resources.topics.sesEvents.arn,
    });
    stoppers.push(sesEvents.end);

    // The gateway listens first (its URL is CHAPAR_PUBLIC_BASE_URL) but answers 503 until ready.
    let ready = false;
    const handlers = createHandlerLoader();
    const gateway = await startHttpGateway({
      handlers,
      region: endpoints.region,
      host,
      port: port(options.apiPort, 'CHAPAR_API_PORT'),
      isReady: () => ready,
    });
    stoppers.push(gateway.end);

    const kavenegarUrl = endpoints.kavenegar ?? '';
    // As an operator sets it in Kavenegar's panel: delivery reports come to our callback route.
    if (kavenegarUrl) {
      const callbackUrl = `${gateway.url}/v1/callbacks/kavenegar/${encodeURIComponent(settings.CHAPAR_DELIVERY_CALLBACK_SECRET)}`;
      const answer = await fetch(`${kavenegarUrl}/_sim/callback`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: callbackUrl }),
      });
      if (!answer.ok) throw new Error(`The Kavenegar simulator refused the callback URL (${answer.status})`);
    }
    const env: Record<string, string> = {
      ...resources.env,
      AWS_ENDPOINT_URL_SESV2: sesEvents.url,
      SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
      KAVENEGAR_BASE_URL: kavenegarUrl,
      CHAPAR_SMS_SENDER: settings.CHAPAR_SMS_SENDER,
      CHAPAR_FROM_EMAIL: settings.CHAPAR_FROM_EMAIL,
      CHAPAR_ABUSE_EMAIL: settings.CHAPAR_ABUSE_EMAIL,
      CHAPAR_PUBLIC_BASE_URL: gateway.url,
      POWERTOOLS_SERVICE_NAME: 'chapar',
      POWERTOOLS_LOG_LEVEL:
        options.env?.POWERTOOLS_LOG_LEVEL ??
        process.env.POWERTOOLS_LOG_LEVEL ??
        (options.quiet === false ? 'INFO' : 'WARN'),
    };
    // Handlers read their configuration at cold start, so this precedes the first invocation.
    environment.apply({ ...options.env, ...env, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined });

    const pollers = startSqsPollers({
      handlers,
      endpoint: endpoints.sqs,
      region: endpoints.region,
      queues: Object.fromEntries(
        Object.entries(resources.queues).map(([name, queue]) => [name, { url: queue.url, arn: queue.arn }]),
      ) as Record<keyof typeof resources.queues, PolledQueue>,
    });
    stoppers.push(pollers.stop);
    const scheduler = startScheduler({ handlers, region: endpoints.region });
    stoppers.push(scheduler.stop);
    ready = true;

    let stopped: Promise<void> | undefined;
    return {
      apiUrl: gateway.url,
      sesUrl: endpoints.ses,
      kavenegarUrl,
      endpoints,
      env,
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

/** process.env changes that can be undone. */
class SavedEnvironment {
  private readonly saved = new Map<string, string | undefined>();

  apply(variables: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(variables)) {
      if (!this.saved.has(name)) this.saved.set(name, process.env[name]);
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  restore(): void {
    for (const [name, value] of this.saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.saved.clear();
  }
}
