import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from './http-listen';

/** How to start the Secrets Manager emulator. */
export interface SecretsManagerOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 8007; 0 = any free port. */
  port?: number;
  /** Region written into secret ARNs. Default 'us-east-1'. */
  region?: string;
}

/** A running Secrets Manager emulator. */
export interface SecretsManagerEmulator {
  /** e.g. `http://127.0.0.1:8007`, the value of AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  url: string;
  port: number;
  /** Stops listening and drops open connections; safe to call twice. */
  end(): Promise<void>;
}

interface SecretVersion {
  readonly id: string;
  readonly value: string;
  readonly created: Date;
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  /** Oldest first; the last is AWSCURRENT, the one before it AWSPREVIOUS. */
  readonly versions: SecretVersion[];
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Operation = (store: SecretStore, body: Body) => Body;

const ACCOUNT_ID = '000000000000';
const MAX_BODY_BYTES = 1024 * 1024;

class SecretStore {
  private readonly byName = new Map<string, Secret>();
  private readonly byArn = new Map<string, Secret>();

  constructor(private readonly region: string) {}

  create(name: string, value: string, versionId: string): Secret {
    if (this.byName.has(name)) {
      throw new ApiError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    // Like AWS, the ARN ends with 6 random characters so a re-created secret has a new ARN.
    const suffix = randomBytes(4).toString('base64url').slice(0, 6);
    const secret: Secret = {
      arn: `arn:aws:secretsmanager:${this.region}:${ACCOUNT_ID}:secret:${name}-${suffix}`,
      name,
      versions: [{ id: versionId, value, created: new Date() }],
    };
    this.byName.set(name, secret);
    this.byArn.set(secret.arn, secret);
    return secret;
  }

  find(secretId: string): Secret {
    const secret = this.byName.get(secretId) ?? this.byArn.get(secretId);
    if (secret === undefined) {
      throw new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return secret;
  }
}

const operations: Record<string, Operation> = {
  CreateSecret: (store, body) => {
    const name = requiredString(body, 'Name');
    const versionId = optionalString(body, 'ClientRequestToken') ?? randomUUID();
    const secret = store.create(name, optionalString(body, 'SecretString') ?? '', versionId);
    return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
  },
  PutSecretValue: (store, body) => {
    const secret = store.find(requiredString(body, 'SecretId'));
    const version = {
      id: optionalString(body, 'ClientRequestToken') ?? randomUUID(),
      value: requiredString(body, 'SecretString'),
      created: new Date(),
    };
    secret.versions.push(version);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: ['AWSCURRENT'] };
  },
  GetSecretValue: (store, body) => {
    const secret = store.find(requiredString(body, 'SecretId'));
    const version = pickVersion(
      secret,
      optionalString(body, 'VersionId'),
      optionalString(body, 'VersionStage'),
    );
    const stages = version === secret.versions.at(-1) ? ['AWSCURRENT'] : ['AWSPREVIOUS'];
    return {
      ARN: secret.arn,
      Name: secret.name,
      SecretString: version.value,
      VersionId: version.id,
      VersionStages: stages,
      // awsJson1_1 timestamps are epoch seconds.
      CreatedDate: version.created.getTime() / 1000,
    };
  },
};

function pickVersion(secret: Secret, versionId?: string, stage?: string): SecretVersion {
  const current = secret.versions.at(-1);
  const version =
    versionId !== undefined
      ? secret.versions.find((candidate) => candidate.id === versionId)
      : stage === undefined || stage === 'AWSCURRENT'
        ? current
        : stage === 'AWSPREVIOUS'
          ? secret.versions.at(-2)
          : undefined;
  if (version === undefined) {
    throw new ApiError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for the version or staging label.",
    );
  }
  return version;
}

function requiredString(body: Body, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined || value === '') {
    throw new ApiError('InvalidParameterException', `${key} is required.`);
  }
  return value;
}

function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiError('InvalidParameterException', `${key} must be a string.`);
  return value;
}

async function readBody(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiError('InvalidRequestException', 'Request too large.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const parsed: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as Body;
  } catch {
    throw new ApiError('SerializationException', 'Request body is not a JSON object.');
  }
}

function send(response: ServerResponse, status: number, body: Body): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

/**
 * Starts a thin Secrets Manager: the AWS JSON 1.1 protocol (POST /, `X-Amz-Target:
 * secretsmanager.<Operation>`) for GetSecretValue, plus CreateSecret and PutSecretValue for
 * seeding. In memory. Logs nothing, least of all secret values.
 */
export async function start(options: SecretsManagerOptions = {}): Promise<SecretsManagerEmulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new SecretStore(options.region ?? 'us-east-1');
  const server = createServer((request, response) => {
    handle(request)
      .then((body) => send(response, 200, body))
      .catch((error: unknown) => {
        const failure =
          error instanceof ApiError ? error : new ApiError('InternalServiceError', 'Internal error.', 500);
        send(response, failure.status, { __type: failure.type, message: failure.message });
      });
  });

  async function handle(request: IncomingMessage): Promise<Body> {
    const target = request.headers['x-amz-target'];
    const operation =
      request.method === 'POST' && typeof target === 'string' && target.startsWith('secretsmanager.')
        ? operations[target.slice('secretsmanager.'.length)]
        : undefined;
    if (operation === undefined) {
      throw new ApiError('UnknownOperationException', `Operation not supported: ${String(target)}`);
    }
    return operation(store, await readBody(request));
  }

  const listening = await listen(server, host, options.port ?? 8007, 'Secrets Manager emulator');
  return { url: listening.url, port: listening.port, end: listening.end };
}
