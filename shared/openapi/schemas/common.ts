/**
 * Building blocks of the contract's response schemas (zod/mini): the error shape, pages, times,
 * and the registry that names a schema as a component of the OpenAPI document.
 */
import * as z from 'zod/mini';

/** What the document knows about a schema besides its shape: a component name, a description. */
export interface SchemaMeta {
  /** The schema becomes `#/components/schemas/<id>`, referenced wherever it is used. */
  readonly id?: string;
  readonly description?: string;
}

/** Schemas with a name or a description; `openApiDocument()` reads it. */
export const docRegistry = z.registry<SchemaMeta>();

/** The schema, registered as the component `id` (with a description). */
export function named<T extends z.ZodMiniType>(schema: T, id: string, description?: string): T {
  docRegistry.add(schema, { id, ...(description === undefined ? {} : { description }) });
  return schema;
}

/** The schema with a description, inline wherever it is used. */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  docRegistry.add(schema, { description });
  return schema;
}

/** An instant as the API writes it: ISO 8601 in UTC (`2026-12-02T10:15:00.000Z`). */
export const isoTime = z.iso.datetime();

/** One problem with one field of a request (shared/domain/errors.ts FieldIssue). */
export const fieldIssueSchema = named(
  z.object({ field: z.string(), message: z.string() }),
  'FieldIssue',
  'One problem with one field: the field as a dotted path (`filter.all.1.op`), the reason in words.',
);

/**
 * Every 4xx and 5xx answer of a JSON route (shared/http/respond.ts errorBody): the message,
 * and for a 400 the issues per field. A 5xx says nothing internal.
 */
export const errorSchema = named(
  z.object({
    message: z.string(),
    issues: z.optional(z.array(fieldIssueSchema)),
    requiredRole: z.optional(z.enum(['viewer', 'marketer', 'admin'])),
    cost: z.optional(z.object({ recipients: z.number(), segments: z.number(), rial: z.number() })),
    creditRial: z.optional(z.number()),
  }),
  'Error',
  'A refusal: the message in words; a 400 lists the issues per field, a 403 the role needed, the 409 of a campaign the Kavenegar credit does not cover its SMS cost and the credit.',
);

/** A page of a listing route: its items and, when there is more, the cursor of the next page. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), cursor: z.optional(z.string()) });
}

/** `?cursor=&limit=` of a listing route (shared/domain/paging.ts reads it). */
export const pageQuery = z.object({
  cursor: z.optional(described(z.string(), 'The `cursor` of the previous page.')),
  limit: z.optional(
    described(z.string().check(z.regex(/^\d{1,4}$/)), 'Items per page, 1 to 1000 (default 100).'),
  ),
});
