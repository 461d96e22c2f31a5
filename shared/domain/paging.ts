import * as z from 'zod/mini';
import { parseMini, schema } from './mini-validation';

/** Items a listing route answers per page unless asked, and at most. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

export interface PageRequest {
  readonly cursor?: string;
  readonly limit: number;
}

/** A listing's `cursor` query parameter: an opaque token of the page before. */
export const cursorField = () =>
  z.optional(
    z
      .string()
      .check(z.minLength(1, 'must not be empty'), z.maxLength(2048, 'must be at most 2048 characters')),
  );

/** A listing's `limit` query parameter (a string, as API Gateway passes it): 1 to `max`. */
export const limitField = (max: number) => {
  const message = `must be a whole number from 1 to ${max}`;
  return z.optional(
    z.string().check(
      // abort: a value that is not a number at all is told once, not twice.
      z.regex(new RegExp(`^\\d{1,${String(max).length}}$`), { message, abort: true }),
      z.refine((value) => Number(value) >= 1 && Number(value) <= max, message),
    ),
  );
};

const pageSchema = /* @__PURE__ */ schema(() =>
  z.object({ cursor: cursorField(), limit: limitField(MAX_PAGE_LIMIT) }),
);

/** `?cursor=&limit=` of a listing route, or a ValidationError naming the parameter. */
export function parsePage(query: Readonly<Record<string, string | undefined>> | undefined): PageRequest {
  const page = parseMini(pageSchema, { cursor: query?.cursor, limit: query?.limit }, 'query');
  return {
    limit: page.limit === undefined ? DEFAULT_PAGE_LIMIT : Number(page.limit),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}
