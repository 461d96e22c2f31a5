import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routes } from '../../../shared/definitions';
import { campaignOperations } from '../../../shared/openapi/operations/campaigns';

describe('the campaign operations of the OpenAPI contract', () => {
  it('describe routes of the definitions, each once (the generator test checks that every route is covered)', () => {
    const defined = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const documented = campaignOperations.map((operation) => `${operation.method} ${operation.path}`);
    expect(documented.filter((key) => !defined.has(key))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
    expect(documented).toHaveLength(9);
    expect(new Set(campaignOperations.map((operation) => operation.operationId)).size).toBe(
      documented.length,
    );
  });

  it.each(campaignOperations.map((operation) => [operation.operationId, operation] as const))(
    '%s: every example is valid against its schema',
    (_id, operation) => {
      const bodies = [operation.request, ...Object.values(operation.responses)];
      for (const body of bodies) {
        if (!body?.schema || body.example === undefined) continue;
        const result = z.safeParse(body.schema, body.example);
        expect(result.success, result.error?.message).toBe(true);
      }
    },
  );
});
