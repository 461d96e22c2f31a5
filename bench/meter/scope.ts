/** Which function's invocation the current code runs in, carried across awaits. */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The scope of code that runs outside any invocation: the local runtime, the bench's set-up. */
export const PLATFORM_SCOPE = 'platform';

const storage = new AsyncLocalStorage<string>();

/** Runs `work` as part of an invocation of `scope` (a function name). */
export function runInScope<T>(scope: string, work: () => T): T {
  return storage.run(scope, work);
}

/** The function whose invocation is running, or {@link PLATFORM_SCOPE}. */
export function currentScope(): string {
  return storage.getStore() ?? PLATFORM_SCOPE;
}
