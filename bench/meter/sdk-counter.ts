/**
 * A request counter around the AWS SDK, installed from outside the code it measures: every
 * SDK client (they all extend Smithy's `Client`) gets one middleware on its stack the first
 * time it sends. It sits in the `deserialize` step, inside the retry loop, so it sees every
 * HTTP attempt the SDK makes (retries included) with the wire request and the parsed answer.
 *
 * Each request is recorded under the scope it ran in (the function whose invocation made it,
 * see lambda-meter.ts, or `platform` for the local runtime itself) and handed to observers
 * (the DynamoDB capacity model).
 */
import { createRequire } from 'node:module';
import { currentScope } from './scope';

/** One SDK request as the counter saw it. */
export interface SdkRequest {
  /** e.g. `DynamoDB`, `SQS`, `SESv2`, `SNS`, `SecretsManager`. */
  readonly service: string;
  /** e.g. `PutItem`, `SendMessageBatch`. */
  readonly command: string;
  /** The function whose invocation made it, or `platform`. */
  readonly scope: string;
  /** Bytes of the request body (SQS and SNS bill per 64 KB chunk of payload). */
  readonly bodyBytes: number;
  /** The request's JSON body when it had one (DynamoDB, SQS, Secrets Manager, SESv2). */
  readonly input: Record<string, unknown> | undefined;
  /** The parsed answer (service shapes, not the Document client's). */
  readonly output: Record<string, unknown> | undefined;
  readonly failed: boolean;
}

/**
 * Sees a request before it is sent (may await, e.g. to read the item a write will replace) and
 * returns what to run once it has been answered.
 */
export type SdkObserver = (
  request: Omit<SdkRequest, 'output' | 'failed'>,
) => Promise<((answered: SdkRequest) => Promise<void>) | undefined>;

type Next = (args: { request?: unknown; input?: unknown }) => Promise<{ output?: unknown }>;
type Context = { clientName?: string; commandName?: string };
interface Stack {
  add(middleware: unknown, options: Record<string, unknown>): void;
}
interface SmithyClient {
  readonly middlewareStack: Stack;
}

const require = createRequire(import.meta.url);
// @smithy/core resolves its `node` condition (CommonJS) for import and require alike: one class.
const { Client } = require('@smithy/core/client') as {
  Client: { prototype: { send: (this: SmithyClient, ...args: unknown[]) => unknown } };
};

const requests: SdkRequest[] = [];
const observers: SdkObserver[] = [];
const instrumented = new WeakSet<Stack>();
/** Clients the bench itself uses to look (e.g. the capacity model's reads): never counted. */
const uncounted = new WeakSet<Stack>();
let installed = false;

/** Installs the counter on every SDK client, those built before included; idempotent. */
export function installSdkCounter(): void {
  if (installed) return;
  installed = true;
  const send = Client.prototype.send;
  Client.prototype.send = function (this: SmithyClient, ...args: unknown[]) {
    const stack = this.middlewareStack;
    if (!instrumented.has(stack) && !uncounted.has(stack)) {
      instrumented.add(stack);
      stack.add(countingMiddleware, { step: 'deserialize', priority: 'high', name: 'benchRequestCounter' });
    }
    return send.apply(this, args);
  };
}

/** A client the bench uses for its own look-ups: its requests are not counted. */
export function leaveUncounted(client: SmithyClient): void {
  uncounted.add(client.middlewareStack);
}

/** Adds an observer of every counted request. */
export function observeSdk(observer: SdkObserver): void {
  observers.push(observer);
}

/** Every request since the last {@link resetSdkRequests}. */
export function sdkRequests(): readonly SdkRequest[] {
  return requests;
}

export function resetSdkRequests(): void {
  requests.length = 0;
}

function countingMiddleware(next: Next, context: Context) {
  return async (args: { request?: unknown; input?: unknown }) => {
    const request = args.request as { headers?: Record<string, string>; body?: unknown; path?: string };
    const service = (context.clientName ?? 'Unknown').replace(/Client$/, '');
    const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    const body = bodyText(request?.body);
    const seen = {
      service,
      command,
      scope: currentScope(),
      bodyBytes: Buffer.byteLength(body),
      input: parseJson(body),
    };
    const after = await Promise.all(observers.map((observe) => observe(seen)));
    let output: Record<string, unknown> | undefined;
    let failed = false;
    try {
      const answer = await next(args);
      output = answer.output as Record<string, unknown> | undefined;
      return answer;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const answered = { ...seen, output, failed };
      requests.push(answered);
      await Promise.all(after.map((then) => then?.(answered)));
    }
  };
}

/** The request body as text: the JSON protocols serialise to a string or to bytes. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  return '';
}

function parseJson(body: string): Record<string, unknown> | undefined {
  if (!body.startsWith('{')) return undefined;
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
