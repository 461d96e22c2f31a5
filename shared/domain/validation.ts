import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors';
import './zod-english';

/** Parses with a zod schema, turning its issues into a ValidationError that names each field. */
export function parseWith<T extends z.core.$ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    // zod words a missing field as a type mismatch; say what a caller must do instead.
    message:
      issue.code === 'invalid_type' && / received undefined$/.test(issue.message)
        ? 'is required'
        : issue.message,
  }));
  const summary = issues.map((issue) => `${issue.field} ${issue.message}`).join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, issues);
}

/**
 * Adds a custom issue from inside a `z.transform`: zod/mini's transform context has no
 * `addIssue` (classic zod's), only the list of issues the parse will report.
 */
export function addIssue(ctx: z.core.ParsePayload, path: PropertyKey[], message: string): void {
  ctx.issues.push({ code: 'custom', path, message, input: ctx.value });
}
