import type { z } from 'zod';
import { type FieldIssue, ValidationError } from './errors';

/** Parses with a zod schema, turning its issues into a ValidationError that names each field. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
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
