import * as z from 'zod/mini';
import { parseMini, schema } from './mini-validation';

/** Items a listing route answers per page unless asked, and at most. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}

const pageSchema = /* @__PURE__ */ schema(() =>
  z.object({
    cursor: z.optional(
      z
        .string()
        .check(z.minLength(1, 'must not be empty'), z.maxLength(2048, 'must be at most 2048 characters')),
    ),
    limit: z.optional(
      z.string().check(
        z.regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`),
        z.refine(
          (value) => Number(value) >= 1 && Number(value) <= MAX_PAGE_LIMIT,
          `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`,
        ),
      ),
    ),
  }),
);

/** `?cursor=&limit=` of a listing route, or a ValidationError naming the parameter. */
export function parsePage(query: Readonly<Record<string, string | undefined>> | undefined): PageRequest {
  const page = parseMini(pageSchema, { cursor: query?.cursor, limit: query?.limit }, 'query');
  return {
    limit: page.limit === undefined ? DEFAULT_PAGE_LIMIT : Number(page.limit),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}
