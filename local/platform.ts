import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buckets, queueRoutes } from '../shared/definitions';
import { consoleSite, type LocalConsoleConfig } from './console';
import { type EmulatorEndpoints, type Emulators, startEmulators } from './emulators';
import { createHandlerLoader, type HandlerSource } from './lambda/functions';
import { type HttpGateway, type QueueRoute, startHttpGateway } from './lambda/http-gateway';
import { startScheduler } from './lambda/scheduler';
import { type PolledQueue, startSqsPollers } from './lambda/sqs-poller';
import { type Started, startInOrder } from './lifecycle';
import { createResources, type LocalResources } from './resources';
import { start as startS3Cors } from './s3-cors';
import { start as startS3Events } from './s3-events';
import { LOCAL_CONFIGURATION_SET, type SesEvents, start as startSesEvents } from './ses-events';

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
  { name: 'CHAPAR_COGNITO_PORT', defaultValue: '9229', secret: false },
  // The first admin of the local user pool, created at start.
  { name: 'CHAPAR_ADMIN_EMAIL', defaultValue: 'admin@chapar.local', secret: false },
  { name: 'CHAPAR_ADMIN_PASSWORD', defaultValue: 'local-admin-password', secret: true },
  { name: 'CHAPAR_SMS_SENDER', defaultValue: '50004001051233', secret: false },
  { name: 'CHAPAR_FROM_EMAIL', defaultValue: 'news@chapar.local', secret: false },
  { name: 'CHAPAR_ABUSE_EMAIL', defaultValue: 'abuse@chapar.local', secret: false },
  { name: 'CHAPAR_API_KEY', defaultValue: 'local-dev-key', secret: true },
  { name: 'CHAPAR_WEBHOOK_SECRET', defaultValue: 'local-webhook-secret', secret: true },
  { name: 'CHAPAR_KAVENEGAR_API_KEY', defaultValue: 'local-kavenegar-key', secret: true },
  { name: 'CHAPAR_TOKEN_KEY', defaultValue: 'local-token-key', secret: true },
  { name: 'CHAPAR_DELIVERY_CALLBACK_SECRET', defaultValue: 'local-callback-secret', secret: true },
  { name: 'CHAPAR_ERASURE_KEY', defaultValue: 'local-erasure-key', secret: true },
  // `on`: Kavenegar's delivery reports come to the callback route, which queues them as API Gateway would.
  { name: 'CHAPAR_SMS_DELIVERY_CALLBACK', defaultValue: 'off', secret: false },
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
  cognitoPort?: number;
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
  /** Ends the scheduler, pollers (in-flight batches finish), gateway and emulators, then restores process.env. */
  end(): Promise<void>;
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
 * and the scheduler, which load handlers lazily. If a step fails, what started is ended.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  // 1. Settings: options over the environment over the defaults; nothing has started yet.
  const { settings, host, port } = platformSettings(options);
  const environment = new SavedEnvironment();
  return startInOrder('The local platform', async (started) => {
    // First in, so last out: process.env is restored once every piece has ended.
    started.add('process.env', { end: async () => environment.restore() });
    // 2. Emulators: DynamoDB Local, Secrets Manager, SQS, SES, Cognito (with its pool and first
    //    admin) and the Kavenegar simulator.
    const emulators = started.add('Emulators', await startPlatformEmulators(settings, host, port, options));
    const { endpoints } = emulators;
    // 3. Resources: the tables, queues, topics and secrets, seeded with the local secret values;
    //    then the buckets, whose uploads become S3 event notifications on their queues.
    const resources = await createPlatformResources(endpoints, settings, options);
    started.add(
      'S3 event notifications',
      await startS3Events({
        endpoint: endpoints.sqs,
        region: endpoints.region,
        onUpload: emulators.onS3Upload,
        buckets: Object.values(buckets).map((definition) => ({
          definition,
          queueUrl: definition.notifies ? resources.queues[definition.notifies.queue].url : undefined,
        })),
      }),
    );
    // Browsers PUT uploads through a front that answers S3's CORS as the bucket's rule does.
    const s3Cors = started.add('S3 CORS front', await startS3Cors({ target: endpoints.sqs, host }));
    // 4. Runtime, consumers after what they consume: SES event publishing and the gateway
    //    (their URLs go into the functions' environment), the environment, then the pollers
    //    and the scheduler. The gateway answers 503 until all of it is up.
    let ready = false;
    // The console signs in to cognito-local itself, as it does to Cognito in the cloud.
    const consoleConfig: LocalConsoleConfig = {
      apiBase: '',
      cognito: {
        endpoint: `${endpoints.cognito.url}/`,
        region: endpoints.region,
        userPoolId: endpoints.cognito.userPoolId,
        clientId: endpoints.cognito.clientId,
      },
    };
    const handlers = createHandlerLoader();
    const { sesEvents, gateway, kavenegarUrl } = await startEdge(started, {
      handlers,
      host,
      apiPort: port(options.apiPort, 'CHAPAR_API_PORT'),
      endpoints,
      resources,
      settings,
      isReady: () => ready,
      consoleConfig: () => consoleConfig,
      uploadOrigin: new URL(s3Cors.url).origin,
    });
    const env: Record<string, string> = {
      ...resources.env,
      AWS_ENDPOINT_URL_SESV2: sesEvents.url,
      // Presigned upload URLs name the CORS front; every S3 call passes through it to fauxqs.
      AWS_ENDPOINT_URL_S3: s3Cors.url,
      SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
      KAVENEGAR_BASE_URL: kavenegarUrl,
      CHAPAR_SMS_SENDER: settings.CHAPAR_SMS_SENDER,
      CHAPAR_FROM_EMAIL: settings.CHAPAR_FROM_EMAIL,
      CHAPAR_ABUSE_EMAIL: settings.CHAPAR_ABUSE_EMAIL,
      CHAPAR_PUBLIC_BASE_URL: gateway.url,
      CHAPAR_SMS_DELIVERY_CALLBACK: callbackOn(settings) ? 'on' : 'off',
      POWERTOOLS_SERVICE_NAME: 'chapar',
      POWERTOOLS_LOG_LEVEL:
        options.env?.POWERTOOLS_LOG_LEVEL ??
        process.env.POWERTOOLS_LOG_LEVEL ??
        (options.quiet === false ? 'INFO' : 'WARN'),
    };
    // Handlers read their configuration at cold start, so this precedes the first invocation.
    environment.apply({ ...options.env, ...env, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined });
    startConsumers(started, handlers, endpoints, resources);
    ready = true;
    // 5. The handle.
    return platformHandle(started, { apiUrl: gateway.url, kavenegarUrl, endpoints, env });
  });
}

type PortOf = (value: number | undefined, name: LocalVariableName) => number;

/** The local variables (options.env over process.env), the host, and each port: its option or its variable. */
function platformSettings(options: PlatformOptions): { settings: LocalSettings; host: string; port: PortOf } {
  const settings = readLocalSettings({ ...process.env, ...options.env });
  const port: PortOf = (value, name) => value ?? parsePort(name, settings[name]);
  return { settings, host: options.host ?? settings.CHAPAR_HOST, port };
}

/** Every emulator, the Kavenegar simulator included, with the sender line and key of the settings. */
function startPlatformEmulators(
  settings: LocalSettings,
  host: string,
  port: PortOf,
  options: PlatformOptions,
): Promise<Emulators> {
  return startEmulators({
    host,
    dynamodbPort: port(options.dynamodbPort, 'CHAPAR_DYNAMODB_PORT'),
    sqsPort: port(options.sqsPort, 'CHAPAR_SQS_PORT'),
    sesPort: port(options.sesPort, 'CHAPAR_SES_PORT'),
    secretsPort: port(options.secretsPort, 'CHAPAR_SECRETS_PORT'),
    cognitoPort: port(options.cognitoPort, 'CHAPAR_COGNITO_PORT'),
    admin: { email: settings.CHAPAR_ADMIN_EMAIL, password: settings.CHAPAR_ADMIN_PASSWORD },
    kavenegar: {
      port: port(options.kavenegarPort, 'CHAPAR_KAVENEGAR_PORT'),
      apiKey: settings.CHAPAR_KAVENEGAR_API_KEY,
      lines: [settings.CHAPAR_SMS_SENDER],
    },
  });
}

/** The resources of shared/definitions.ts, their secrets holding the settings' values. */
function createPlatformResources(
  endpoints: EmulatorEndpoints,
  settings: LocalSettings,
  options: PlatformOptions,
): Promise<LocalResources> {
  return createResources({
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
}

/** What the pieces that face the outside need. */
interface EdgeOptions {
  readonly handlers: HandlerSource;
  readonly host: string;
  readonly apiPort: number;
  readonly endpoints: EmulatorEndpoints;
  readonly resources: LocalResources;
  readonly settings: LocalSettings;
  readonly isReady: () => boolean;
  /** The console's config.json once the platform knows it (Cognito's pool and client). */
  readonly consoleConfig: () => LocalConsoleConfig | undefined;
  /** Where the console's pages PUT uploads (the S3 CORS front). */
  readonly uploadOrigin: string;
}

/**
 * The pieces whose URLs the functions are given: SES event publishing (functions send through
 * it) and the HTTP gateway, which then becomes the Kavenegar simulator's callback URL.
 */
async function startEdge(
  started: Started,
  {
    handlers,
    host,
    apiPort,
    endpoints,
    resources,
    settings,
    isReady,
    consoleConfig,
    uploadOrigin,
  }: EdgeOptions,
): Promise<{ sesEvents: SesEvents; gateway: HttpGateway; kavenegarUrl: string }> {
  // Mail to the mailbox simulator's addresses becomes SES events on the sesEvents topic, as a
  // configuration set publishes them.
  const sesEvents = started.add(
    'SES event publishing',
    await startSesEvents({
      host,
      sesUrl: endpoints.ses,
      snsEndpoint: endpoints.sqs,
      region: endpoints.region,
      topicArn: resources.topics.sesEvents.arn,
    }),
  );

  // The gateway listens first (its URL is CHAPAR_PUBLIC_BASE_URL) but answers 503 until ready.
  const gateway = started.add(
    'HTTP gateway',
    await startHttpGateway({
      handlers,
      region: endpoints.region,
      host,
      port: apiPort,
      isReady,
      queueRoutes: callbackOn(settings) ? localQueueRoutes(started, endpoints, resources) : [],
      // The console and its config.json; its pages call Cognito and PUT uploads to S3 (fauxqs).
      site: consoleSite(consoleConfig, () => {
        const cognito = consoleConfig()?.cognito.endpoint;
        return [uploadOrigin, ...(cognito ? [new URL(cognito).origin] : [])];
      }),
    }),
  );

  const kavenegarUrl = endpoints.kavenegar ?? '';
  // As an operator sets it in Kavenegar's panel: delivery reports come to our callback route.
  if (kavenegarUrl && callbackOn(settings)) {
    const callbackUrl = `${gateway.url}/v1/callbacks/kavenegar/${encodeURIComponent(settings.CHAPAR_DELIVERY_CALLBACK_SECRET)}`;
    const answer = await fetch(`${kavenegarUrl}/_sim/callback`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: callbackUrl }),
    });
    if (!answer.ok) throw new Error(`The Kavenegar simulator refused the callback URL (${answer.status})`);
  }
  return { sesEvents, gateway, kavenegarUrl };
}

/** Whether the optional delivery-report callback is on (CHAPAR_SMS_DELIVERY_CALLBACK). */
function callbackOn(settings: LocalSettings): boolean {
  const value = settings.CHAPAR_SMS_DELIVERY_CALLBACK;
  if (value !== 'on' && value !== 'off')
    throw new Error(`CHAPAR_SMS_DELIVERY_CALLBACK must be on or off, not "${value}"`);
  return value === 'on';
}

/** The queue routes, each sending to its local queue as API Gateway's SQS integration does. */
function localQueueRoutes(
  started: Started,
  endpoints: EmulatorEndpoints,
  resources: LocalResources,
): QueueRoute[] {
  const sqs = new SQSClient({
    endpoint: endpoints.sqs,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Ended after the gateway (added before it), so no request in flight loses its client.
  started.add('Queue routes', { end: async () => sqs.destroy() });
  return queueRoutes.map((definition) => ({
    definition,
    send: async (body, attributes) => {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: resources.queues[definition.queue].url,
          MessageBody: body,
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    },
  }));
}

/** The consumers: a poller for every queue, then the scheduler. */
function startConsumers(
  started: Started,
  handlers: HandlerSource,
  endpoints: EmulatorEndpoints,
  resources: LocalResources,
): void {
  started.add(
    'SQS pollers',
    startSqsPollers({
      handlers,
      endpoint: endpoints.sqs,
      region: endpoints.region,
      queues: Object.fromEntries(
        Object.entries(resources.queues).map(([name, queue]) => [name, { url: queue.url, arn: queue.arn }]),
      ) as Record<keyof typeof resources.queues, PolledQueue>,
    }),
  );
  started.add('Scheduler', startScheduler({ handlers, region: endpoints.region }));
}

/** The running platform as its callers see it; ending it ends every piece, last started first. */
function platformHandle(
  started: Started,
  running: Pick<Platform, 'apiUrl' | 'kavenegarUrl' | 'endpoints' | 'env'>,
): Platform {
  return {
    apiUrl: running.apiUrl,
    sesUrl: running.endpoints.ses,
    kavenegarUrl: running.kavenegarUrl,
    endpoints: running.endpoints,
    env: running.env,
    end: () => started.end(),
  };
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
