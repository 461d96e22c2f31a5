import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { operations } from '../../../shared/openapi/operations';
import type { BodyDoc } from '../../../shared/openapi/types';

interface Case {
  readonly name: string;
  readonly body: BodyDoc;
}

const cases: Case[] = operations.flatMap((operation) => {
  const key = `${operation.method} ${operation.path}`;
  return [
    ...(operation.request ? [{ name: `${key} request`, body: operation.request }] : []),
    ...Object.entries(operation.responses).map(([status, body]) => ({ name: `${key} ${status}`, body })),
  ];
});

describe('OpenAPI examples', () => {
  it.each(cases.filter(({ body }) => body.schema !== undefined))(
    '$name has an example valid against its schema',
    ({ body }) => {
      // Act
      const result = z.safeParse(body.schema as z.ZodMiniType, body.example);

      // Assess
      expect(body.example).toBeDefined();
      expect(result.error?.issues ?? []).toEqual([]);
    },
  );

  it.each(cases.filter(({ body }) => body.check !== undefined))(
    '$name passes the handler’s own parse',
    ({ body }) => {
      // Act, Assess
      expect(() => body.check?.(body.example)).not.toThrow();
    },
  );

  it('give every request body a schema and an example', () => {
    // Act
    const bare = operations
      .filter(
        (operation) =>
          operation.request && (!operation.request.schema || operation.request.example === undefined),
      )
      .map((operation) => `${operation.method} ${operation.path}`);

    // Assess
    expect(bare).toEqual([]);
  });

  it('give every success answer with a body a schema', () => {
    // Act
    const bare = cases
      .filter(({ name, body }) => /\s2\d\d$/.test(name) && body.example !== undefined && !body.schema)
      .map(({ name }) => name);

    // Assess
    expect(bare).toEqual([]);
  });

  it('would catch an example that breaks its schema', () => {
    // Prepare: the contact body's locale is fa or en
    const put = operations.find((operation) => operation.operationId === 'putContact');

    // Act
    const result = z.safeParse(put?.request?.schema as z.ZodMiniType, { phone: '09123456789', locale: 'de' });

    // Assess
    expect(result.success).toBe(false);
  });
});
