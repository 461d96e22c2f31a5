import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routes } from '../../../shared/definitions/routes';
import { messageOperations } from '../../../shared/openapi/operations/messages';

describe('the messages operations of the OpenAPI contract', () => {
  it('describes every /v1/messages route exactly once', () => {
    // Prepare
    const wanted = routes
      .filter((route) => route.path.startsWith('/v1/messages'))
      .map((route) => `${route.method} ${route.path}`)
      .sort();

    // Act
    const described = messageOperations.map((operation) => `${operation.method} ${operation.path}`).sort();

    // Assess
    expect(described).toEqual(wanted);
  });

  it('gives examples that are valid against their schemas', () => {
    // Prepare
    const bodies = messageOperations.flatMap((operation) => [
      ...(operation.request?.schema
        ? [{ schema: operation.request.schema, example: operation.request.example }]
        : []),
      ...Object.values(operation.responses)
        .filter((response) => response.schema !== undefined)
        .map((response) => ({ schema: response.schema as z.ZodMiniType, example: response.example })),
    ]);

    // Act
    const results = bodies.map(({ schema, example }) => z.safeParse(schema, example).success);

    // Assess
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    expect(results.every(Boolean)).toBe(true);
  });
});
