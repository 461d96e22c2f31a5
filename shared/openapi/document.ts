/**
 * The OpenAPI 3.1 document of Chapar's HTTP API, generated from every area's operations
 * (shared/openapi/operations/) and from the same zod schemas the handlers validate with, through
 * zod 4's own JSON Schema output (requests as input, answers as output).
 */

import * as z from 'zod/mini';
import { operations } from './operations';
import { authSecuritySchemes } from './operations/auth';
import { docRegistry, errorSchema } from './schemas/common';
import type { BodyDoc, OperationAuth, OperationDoc, ResponseDoc } from './types';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/** The version of the contract itself (info.version), not of the package. */
export const CONTRACT_VERSION = '1.0.0';

const JSON_TYPE = 'application/json';
const ERROR_REF = { $ref: '#/components/schemas/Error' };

/**
 * How each auth kind of an operation is stated. `token` routes carry their proof in the path (a
 * signed token, a short code, a secret), which no OpenAPI security scheme can name: no credential
 * is sent, and `x-chapar-auth: token` says what protects them.
 */
const SECURITY: Record<OperationAuth, Json[]> = {
  bearer: [{ bearer: [] }],
  signature: [{ signature: [] }],
  none: [],
  token: [],
};

const SECURITY_SCHEMES = {
  ...authSecuritySchemes,
  signature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Chapar-Signature',
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` under the webhook secret; refused when more than 5 minutes off.',
  },
};

/** What the generator states for a refusal an operation does not describe itself. */
const IMPLIED_REFUSALS: Record<number, string> = {
  400: 'Bad input: the message names each field and the reason.',
  401: 'Missing or wrong credentials.',
  413: 'The body is larger than the route accepts.',
  415: 'A Content-Type the route does not read.',
  500: 'Internal error: nothing internal is said.',
};

/** What each area's tag groups; a tag not named here is listed without a description. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  contacts: 'People, their addresses, consent, export and erasure.',
  lists: 'Named sets of contacts a campaign can aim at.',
  segments: 'Saved filters over contacts, their lists, addresses and consent.',
  imports: 'Spreadsheets of contacts, uploaded through a presigned URL.',
  campaigns: 'SMS and email campaigns: create, schedule, follow, pause, resume, cancel.',
  templates: 'Reusable content in Persian and English.',
  messages: 'Transactional messages, one at a time.',
  unsubscribe: 'The public preference centre behind unsubscribe links (HTML pages).',
  reports: 'SMS received in the brand’s name, reported and judged.',
  callbacks: 'Provider callbacks.',
  docs: 'This contract and its reference page.',
};

/** Formats zod also spells as a pattern: the format says it, the pattern is noise. */
const FORMATS_WITH_PATTERN = new Set(['date-time', 'date', 'time', 'email', 'uuid']);

/** Components gathered while operations are converted. */
class Components {
  readonly schemas: Record<string, Json> = {};

  /** The JSON Schema of `schema`, with its named parts (and its recursion) as components. */
  convert(schema: z.ZodMiniType, io: Io, nameIfRecursive: string): Json {
    const raw = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      metadata: docRegistry,
      cycles: 'ref',
      reused: 'inline',
    }) as Json;
    const { $schema: _dialect, $defs, ...root } = raw;
    const defs = ($defs ?? {}) as Record<string, Json>;
    // Input and output of one named schema differ (defaults are optional going in): `<id>Input`.
    const nameOf = (key: string) => {
      const base = key.startsWith('__') ? `${nameIfRecursive}${key.replace(/\W/g, '')}` : key;
      return io === 'input' ? `${base}Input` : base;
    };
    const rootIsRecursive = JSON.stringify(raw).includes('"$ref":"#"');
    const rootName = nameOf(nameIfRecursive);
    const rewrite = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (!node || typeof node !== 'object') return node;
      const out: Json = {};
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === '$ref' && typeof value === 'string') {
          out.$ref =
            value === '#'
              ? `#/components/schemas/${rootName}`
              : value.replace(
                  /^#\/\$defs\/(.+)$/,
                  (_all, name: string) => `#/components/schemas/${nameOf(name)}`,
                );
        } else if (key === 'id' && typeof value === 'string') {
          // zod's metadata id: the component's name already says it.
        } else out[key] = rewrite(value);
      }
      if (typeof out.format === 'string' && FORMATS_WITH_PATTERN.has(out.format)) delete out.pattern;
      return out;
    };
    for (const [key, def] of Object.entries(defs)) this.add(nameOf(key), rewrite(def) as Json);
    const converted = rewrite(root) as Json;
    if (!rootIsRecursive) return converted;
    this.add(rootName, converted);
    return { $ref: `#/components/schemas/${rootName}` };
  }

  private add(name: string, schema: Json): void {
    const existing = this.schemas[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema))
      throw new Error(`Two different schemas are named ${name} in the OpenAPI document`);
    this.schemas[name] = schema;
  }

  /** Drops each `<id>Input` that reads exactly as its output twin, pointing its uses at the twin. */
  mergeInputs(document: Json): Json {
    const same = Object.keys(this.schemas).filter((name) => {
      const twin = name.endsWith('Input') ? this.schemas[name.slice(0, -'Input'.length)] : undefined;
      if (twin === undefined) return false;
      const base = name.slice(0, -'Input'.length);
      return JSON.stringify(this.schemas[name]).replaceAll(`/${name}"`, `/${base}"`) === JSON.stringify(twin);
    });
    if (same.length === 0) return document;
    for (const name of same) delete this.schemas[name];
    let text = JSON.stringify(document);
    for (const name of same)
      text = text.replaceAll(`"#/components/schemas/${name}"`, `"#/components/schemas/${name.slice(0, -5)}"`);
    return JSON.parse(text) as Json;
  }
}

function pascal(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_all, _sep, letter: string) => letter.toUpperCase());
}

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
}

function mediaType(components: Components, body: BodyDoc, io: Io, name: string): Json {
  return {
    [body.contentType ?? JSON_TYPE]: {
      ...(body.schema ? { schema: components.convert(body.schema, io, name) } : {}),
      ...(body.example === undefined ? {} : { example: body.example }),
    },
  };
}

function parametersOf(components: Components, operation: OperationDoc): Json[] {
  const path = pathParameterNames(operation.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: operation.pathParameters?.[name] ?? `The ${name} of the path.`,
    schema: { type: 'string' },
  }));
  const query: Json[] = [];
  if (operation.query) {
    const schema = components.convert(operation.query, 'input', `${pascal(operation.operationId)}Query`);
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      query.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      });
    }
  }
  const headers = Object.entries(operation.headers ?? {}).map(([name, header]) => ({
    name,
    in: 'header',
    required: header.required,
    description: header.description,
    schema: { type: 'string' },
  }));
  return [...path, ...query, ...headers];
}

function responseOf(components: Components, status: number, response: ResponseDoc, name: string): Json {
  const hasBody = response.schema !== undefined || response.example !== undefined;
  const headers = Object.entries(response.headers ?? {});
  const head = {
    description: response.description,
    ...(headers.length === 0
      ? {}
      : {
          headers: Object.fromEntries(
            headers.map(([header, { description }]) => [header, { description, schema: { type: 'string' } }]),
          ),
        }),
  };
  const json = (response.contentType ?? JSON_TYPE) === JSON_TYPE;
  // A JSON refusal is the error shape, whether or not its operation gives an example of it.
  if (status >= 400 && json && response.schema === undefined) {
    const example = response.example === undefined ? {} : { example: response.example };
    return { ...head, content: { [JSON_TYPE]: { schema: ERROR_REF, ...example } } };
  }
  if (!hasBody) return head;
  return { ...head, content: mediaType(components, response, 'output', name) };
}

/** The statuses an operation can answer beyond its own: credentials, bad input, body rules, 500. */
function impliedStatuses(operation: OperationDoc): number[] {
  const statuses = [500];
  if (operation.auth === 'bearer' || operation.auth === 'signature') statuses.push(401);
  if (operation.request || operation.query || pathParameterNames(operation.path).length > 0)
    statuses.push(400);
  if (operation.request) statuses.push(413, 415);
  return statuses.filter((status) => operation.responses[status] === undefined);
}

function operationObject(components: Components, operation: OperationDoc): Json {
  const id = pascal(operation.operationId);
  const parameters = parametersOf(components, operation);
  const responses: Json = {};
  const statuses = [...Object.keys(operation.responses).map(Number), ...impliedStatuses(operation)].sort(
    (a, b) => a - b,
  );
  for (const status of statuses) {
    const own = operation.responses[status];
    responses[String(status)] = own
      ? responseOf(components, status, own, `${id}Response${status}`)
      : { description: IMPLIED_REFUSALS[status], content: { [JSON_TYPE]: { schema: ERROR_REF } } };
  }
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [...operation.tags],
    security: SECURITY[operation.auth],
    // OpenAPI has no scheme for a proof carried in the path: the kind is stated for every route.
    'x-chapar-auth': operation.auth,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.request
      ? {
          requestBody: {
            required: operation.request.required ?? true,
            content: mediaType(components, operation.request, 'input', `${id}Request`),
          },
        }
      : {}),
    responses,
  };
}

/** The document for these operations (every area's, by default). */
export function buildOpenApiDocument(docs: readonly OperationDoc[] = operations): Record<string, unknown> {
  const components = new Components();
  components.convert(errorSchema, 'output', 'Error');
  const paths: Record<string, Json> = {};
  for (const operation of docs) {
    const item = paths[operation.path] ?? {};
    paths[operation.path] = item;
    const method = operation.method.toLowerCase();
    if (item[method] !== undefined)
      throw new Error(`Two operations for ${operation.method} ${operation.path}`);
    item[method] = operationObject(components, operation);
  }
  const tags = [...new Set(docs.flatMap((operation) => operation.tags))].map((name) => ({
    name,
    ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
  }));
  const document: Json = {
    openapi: '3.1.1',
    info: {
      title: 'Chapar API',
      version: CONTRACT_VERSION,
      description:
        "Chapar sends a brand's campaigns and messages by SMS (from its one verified line) and email, and keeps every promise of its privacy policy: consent, unsubscribing, erasure. Marketer routes take `Authorization: Bearer <key>`; a refusal is a 4xx whose JSON body names the field and the reason, never a 5xx for bad input. Texts are Persian first (fa, right to left), English too.",
    },
    servers: [{ url: '/', description: 'The API that serves this document' }],
    tags,
    paths,
    components: { schemas: components.schemas, securitySchemes: SECURITY_SCHEMES },
  };
  return components.mergeInputs(document);
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document of every route, built once per process; each caller gets its own copy. */
export function openApiDocument(): Record<string, unknown> {
  cached ??= buildOpenApiDocument();
  return structuredClone(cached);
}
