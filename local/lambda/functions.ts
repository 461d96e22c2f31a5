import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '../../shared/definitions';
import { createContext } from './context';

/**
 * A handler as Lambda's Node.js runtime calls it. Declared as a method so parameters are
 * bivariant: handlers typed for their own event (SQSEvent, APIGatewayProxyEventV2) fit.
 */
export type LambdaHandler = {
  bivarianceHack(event: unknown, context: Context): Promise<unknown>;
}['bivarianceHack'];

/** Handlers given directly, by function name (tests inject fixtures this way). */
export type HandlerMap = Partial<Record<FunctionName, LambdaHandler>>;

/** Finds the handler of a function, e.g. {@link createHandlerLoader}. */
export type HandlerLoader = (name: FunctionName) => Promise<LambdaHandler>;

/** Where the runtime gets handlers from. */
export type HandlerSource = HandlerMap | HandlerLoader;

/** Lambda's own words when a function runs past its timeout. */
export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
}

/** How to invoke a function. */
export interface InvokeOptions {
  readonly region: string;
  /** Replaces the function's timeoutSeconds from shared/definitions.ts. */
  readonly timeoutSeconds?: number;
}

const projectRoot = new URL('../../', import.meta.url);

/**
 * Loads `functions/<name>/handler.ts` (its `handler` export) on first use, as Lambda does
 * at a cold start, so the module reads process.env only once the platform has set it. A
 * module that fails to load is retried on the next invocation.
 */
export function createHandlerLoader(root: URL = projectRoot): HandlerLoader {
  const loaded = new Map<FunctionName, Promise<LambdaHandler>>();
  return (name) => {
    let handler = loaded.get(name);
    if (handler === undefined) {
      handler = importHandler(new URL(functions[name].entry, root));
      loaded.set(name, handler);
      handler.catch(() => loaded.delete(name));
    }
    return handler;
  };
}

async function importHandler(entry: URL): Promise<LambdaHandler> {
  const module: { handler?: unknown } = await import(entry.href);
  if (typeof module.handler !== 'function')
    throw new Error(`${entry.pathname} does not export a handler function`);
  return module.handler as LambdaHandler;
}

/** The handler of `name` from `source`. */
export async function resolveHandler(source: HandlerSource, name: FunctionName): Promise<LambdaHandler> {
  if (typeof source === 'function') return source(name);
  const handler = source[name];
  if (handler === undefined) throw new Error(`No handler given for function ${name}`);
  return handler;
}

/**
 * Invokes `name` with `event` and a fresh context, as Lambda would: the result, or the
 * handler's error, or a {@link FunctionTimeoutError} once the function's timeout has passed
 * (the handler is then abandoned, not stopped).
 */
export async function invokeFunction(
  source: HandlerSource,
  name: FunctionName,
  event: unknown,
  options: InvokeOptions,
): Promise<unknown> {
  const handler = await resolveHandler(source, name);
  const timeoutSeconds = options.timeoutSeconds ?? functions[name].timeoutSeconds;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const context = createContext(name, { region: options.region, deadline });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(`Task timed out after ${timeoutSeconds.toFixed(2)} seconds`)),
      timeoutSeconds * 1000,
    );
  });
  const run = Promise.resolve().then(() => handler(event, context));
  // An abandoned run may still fail later; that must not become an unhandled rejection.
  run.catch(() => undefined);
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
