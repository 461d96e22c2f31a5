/**
 * Lambda invocations, their durations and what they log, measured around the local runtime
 * from outside: each function's definition is pointed at metered-handler.ts, which loads the
 * real handler and runs every invocation inside the function's scope (so the SDK counter can
 * tell who made a request), timing it and counting the bytes it writes to stdout and stderr.
 *
 * Durations are the local runtime's wall clock on a shared two-core machine, with the
 * emulators in the same process: an honest count of work, not a forecast of Lambda's.
 */
import { type FunctionName, functions } from '../../shared/definitions';
import { currentScope, PLATFORM_SCOPE, runInScope } from './scope';

/** Header the bench's own API requests carry, so they are not billed to the messages. */
export const BENCH_REQUEST_HEADER = 'x-chapar-bench';

/** The scope of invocations the bench asked for itself. */
export const BENCH_SCOPE = 'bench';

/** What one function did since the last reset. */
export interface FunctionUsage {
  invocations: number;
  /** Invocations for requests the bench made itself (creating campaigns, polling their status). */
  benchInvocations: number;
  /** Sum of durations, each rounded up to 1 ms as Lambda bills. */
  billedMs: number;
  logBytes: number;
  logLines: number;
}

const usage = new Map<string, FunctionUsage>();
const originals = new Map<FunctionName, string>();

function usageOf(name: string): FunctionUsage {
  let found = usage.get(name);
  if (found === undefined) {
    found = { invocations: 0, benchInvocations: 0, billedMs: 0, logBytes: 0, logLines: 0 };
    usage.set(name, found);
  }
  return found;
}

/** Usage by function since the last reset. */
export function functionUsage(): ReadonlyMap<string, FunctionUsage> {
  return usage;
}

export function resetFunctionUsage(): void {
  usage.clear();
}

/** The handler module `name` really has (its definition's entry before the meter moved it). */
export function originalEntry(name: FunctionName): string {
  return originals.get(name) ?? functions[name].entry;
}

/**
 * Points every function's entry at the metering wrapper, before the platform loads any, and
 * counts what invocations write to stdout and stderr (their log lines, swallowed: the bench
 * prints figures, not logs). Lines written outside an invocation pass through.
 */
export function installLambdaMeter(): void {
  for (const name of Object.keys(functions) as FunctionName[]) {
    if (originals.has(name)) continue;
    originals.set(name, functions[name].entry);
    (functions[name] as { entry: string }).entry = `bench/meter/metered-handler.ts?function=${name}`;
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const scope = currentScope();
      if (scope === PLATFORM_SCOPE) return write(chunk, ...rest);
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
      const entry = usageOf(scope);
      entry.logBytes += Buffer.byteLength(text);
      entry.logLines += text.split('\n').filter((line) => line !== '').length;
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
}

/** Wraps a handler of `name`: scope, duration, bench-made requests. */
export function meterHandler(
  name: FunctionName,
  handler: (event: unknown, context: unknown) => Promise<unknown>,
): (event: unknown, context: unknown) => Promise<unknown> {
  return (event, context) => {
    const headers = (event as { headers?: Record<string, string> } | undefined)?.headers;
    const byBench = headers?.[BENCH_REQUEST_HEADER] !== undefined;
    // What the bench's own requests cost is the bench's, not the messages'.
    return runInScope(byBench ? BENCH_SCOPE : name, async () => {
      const entry = usageOf(name);
      entry.invocations += 1;
      if (byBench) entry.benchInvocations += 1;
      const started = performance.now();
      try {
        return await handler(event, context);
      } finally {
        entry.billedMs += Math.max(1, Math.ceil(performance.now() - started));
      }
    });
  };
}
