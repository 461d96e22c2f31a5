/**
 * Parsing with zod/mini schemas, the issues worded as the API answers them: a missing field is
 * "is required", unknown keys are named, and zod's generic "Invalid input" (where a schema gives
 * no message of its own) becomes "is not valid here". English comes from zod-english.ts.
 */
import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors';

/**
 * A module-level schema, built on its first use rather than at module load: a cold start builds
 * only the schemas its first event parses with (the API's routes define dozens, one request
 * needs one or two). What is returned stands for the schema in every way zod uses it (a Proxy
 * that builds it on the first access to it, then forwards everything to it).
 *
 * Written `/* @__PURE__ *\/ schema(() => …)` so that a bundle that never uses one drops it:
 * esbuild keeps any module-level call it cannot prove harmless. Every module-level schema in
 * shared/domain is declared this way.
 */
export function schema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const target = (): T => {
    built ??= build();
    return built;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may not report a property its target lacks as non-configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(target(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One zod issue as the API words it; `root` names the whole input. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, root = '(body)'): FieldIssue {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : root;
  if (issue.code === 'unrecognized_keys')
    return { field, message: `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_union') &&
    valueAt(input, issue.path) === undefined
  )
    return { field, message: 'is required' };
  return { field, message: issue.message === 'Invalid input' ? 'is not valid here' : issue.message };
}

/** Parses with a zod/mini schema, or throws a ValidationError naming each field. */
export function parseMini<T extends z.ZodMiniType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => describeIssue(issue, input));
  throw new ValidationError(
    `Invalid ${what}: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
    issues,
  );
}
