/**
 * Parsing with zod/mini schemas, the issues worded as the API answers them: a missing field is
 * "is required", unknown keys are named, and zod's generic "Invalid input" (where a schema gives
 * no message of its own) becomes "is not valid here". English comes from zod-english.ts.
 */
import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors';

/**
 * A schema built at module load, as `build()` builds it, written
 * `/* @__PURE__ *\/ schema(() => …)` so that a bundle that never uses it drops it: esbuild
 * keeps any module-level call it cannot prove harmless, and zod/mini's `.check(...)` is a
 * method call (its own `@__NO_SIDE_EFFECTS__` marks are not followed across modules either).
 * Every module-level schema in shared/domain is declared this way.
 */
export function schema<T>(build: () => T): T {
  return build();
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
