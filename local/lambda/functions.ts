import type { Context } from 'aws-lambda';
import { ALL_FUNCTION_ENV_KEYS, environmentOf, type FunctionName, functions } from '../../shared/definitions';
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
 * at a cold start, so the module reads process.env only once the platform has set it, and
 * sees only its function's environment then (see {@link hiddenVariables}): a handler that
 * reads a variable its definition does not give it fails at its cold start, as in the cloud.
 * A module that fails to load is retried on the next invocation.
 */
export function createHandlerLoader(root: URL = projectRoot): HandlerLoader {
  const loaded = new Map<FunctionName, Promise<LambdaHandler>>();
  return (name) => {
    let handler = loaded.get(name);
    if (handler === undefined) {
      const entry = new URL(functions[name].entry, root);
      handler = withEnvironmentOf(name, () => importHandler(entry));
      loaded.set(name, handler);
      handler.catch(() => loaded.delete(name));
    }
    return handler;
  };
}

/**
 * The variables of process.env that function `name` must not see: every variable another
 * function may be given and every CHAPAR_* one (the local platform's own, secret values
 * included), unless `environmentOf` its definition names it. What stays is its environment,
 * the SDK's endpoint, region and credential variables (AWS_*), Powertools' (POWERTOOLS_*) and
 * the process's own (PATH, HOME, a test runner's), as Lambda's runtime has its own.
 */
export function hiddenVariables(
  name: FunctionName,
  env: Record<string, string | undefined> = process.env,
): string[] {
  const own = new Set<string>(environmentOf(functions[name]));
  const chapar = new Set(ALL_FUNCTION_ENV_KEYS);
  return Object.keys(env).filter((key) => !own.has(key) && (chapar.has(key) || key.startsWith('CHAPAR_')));
}

// process.env is one for the whole process: cold starts take turns, so none sees another's.
let coldStarts: Promise<unknown> = Promise.resolve();

/** Runs `load` with process.env cut to the environment of `name`, then restores it. */
function withEnvironmentOf<T>(name: FunctionName, load: () => Promise<T>): Promise<T> {
  const run = coldStarts.then(async () => {
    const saved = hiddenVariables(name).map((key) => [key, process.env[key]] as const);
    for (const [key] of saved) delete process.env[key];
    try {
      return await load();
    } finally {
      for (const [key, value] of saved) if (value !== undefined) process.env[key] = value;
    }
  });
  coldStarts = run.catch(() => undefined);
  return run;
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
