import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routes } from '../../../shared/definitions';
import { insightsOperations } from '../../../shared/openapi/operations/insights';

describe('the insights operations', () => {
  it('each names a route of the definitions', () => {
    // Act
    const missing = insightsOperations.filter(
      (operation) =>
        !routes.some((route) => route.method === operation.method && route.path === operation.path),
    );

    // Assess
    expect(missing).toEqual([]);
    expect(insightsOperations).toHaveLength(3);
  });

  it('gives examples that are valid against their schemas', () => {
    // Prepare
    const checked = insightsOperations.flatMap((operation) =>
      Object.entries(operation.responses).flatMap(([status, response]) =>
        response.schema
          ? [{ at: `${operation.operationId} ${status}`, schema: response.schema, example: response.example }]
          : [],
      ),
    );

    // Act
    const invalid = checked
      .filter(({ schema, example }) => !z.safeParse(schema, example).success)
      .map(({ at }) => at);

    // Assess
    expect(checked.length).toBeGreaterThanOrEqual(3);
    expect(invalid).toEqual([]);
  });

  it('refuses a response that breaks the listing schema', () => {
    // Prepare
    const schema = insightsOperations[0]?.responses[200]?.schema;
    if (!schema) throw new Error('no schema');

    // Act
    const result = z.safeParse(schema, { items: [{ id: 'x', verdict: 'maybe' }] });

    // Assess
    expect(result.success).toBe(false);
  });
});
