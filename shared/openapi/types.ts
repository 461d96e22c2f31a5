import type { z } from 'zod/mini';
import type { HttpMethod } from '../definitions/routes';

/** How a route is authorised, as the OpenAPI document names its security schemes. */
export type OperationAuth = 'bearer' | 'none' | 'signature' | 'token';

/** A body (request or response) as the contract states it. */
export interface BodyDoc {
  /** The zod schema the handler validates with (requests) or the answer's shape (responses). */
  readonly schema?: z.ZodMiniType;
  /** One example; a test validates it against `schema`. */
  readonly example?: unknown;
  /** Default `application/json`. */
  readonly contentType?: string;
  /**
   * The handler's own parse beyond `schema`, when it has one (a segment filter is checked by
   * `parseSegmentFilter`): the example test runs the example through it too. Throws when invalid.
   */
  readonly check?: (example: unknown) => unknown;
}

/** A response of an operation, by HTTP status. */
export interface ResponseDoc extends BodyDoc {
  readonly description: string;
  /** Headers the answer carries that a client reads (e.g. `x-next-cursor`), by name. */
  readonly headers?: Readonly<Record<string, { readonly description: string }>>;
}

/**
 * One operation of the HTTP API as the OpenAPI document states it. Each area keeps its
 * operations in shared/openapi/operations/<area>.ts, listed in operations/index.ts; every route
 * of shared/definitions must have exactly one (a test checks it). A 4xx or 5xx given without a
 * schema is stated in the error shape, and 400, 401, 413, 415 and 500 are added where they apply.
 * A response schema named with `named()` (shared/openapi/schemas/common.ts) becomes a component.
 */
export interface OperationDoc {
  readonly method: HttpMethod;
  /** The API Gateway path, with {parameters}, exactly as in shared/definitions/routes.ts. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: OperationAuth;
  /** What each {parameter} of the path is; a parameter not named here gets a generic line. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** Query parameters, as a zod object of strings. */
  readonly query?: z.ZodMiniType;
  /** Request headers the operation reads besides Authorization (e.g. Idempotency-Key). */
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly required: boolean }>>;
  readonly request?: BodyDoc & { readonly required?: boolean };
  /** Success and the operation's own refusals; the error shape is added for every 4xx. */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}
