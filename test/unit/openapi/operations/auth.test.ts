import { describe, expect, it } from 'vitest';
import { routes } from '../../../../shared/definitions';
import { authOperations } from '../../../../shared/openapi/operations/auth';

describe('the access operations of the OpenAPI contract', () => {
  it('describe exactly the api-keys and users routes', () => {
    const described = authOperations.map((operation) => `${operation.method} ${operation.path}`).sort();
    const defined = routes
      .filter((route) => /^\/v1\/(api-keys|users)(\/|$)/.test(route.path))
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    expect(described).toEqual(defined);
  });

  it.each(authOperations.map((operation) => [operation.operationId, operation] as const))(
    '%s: every example is valid against its schema',
    (_, operation) => {
      if (operation.request?.schema)
        expect(operation.request.schema.safeParse(operation.request.example).success).toBe(true);
      for (const response of Object.values(operation.responses)) {
        if (response.schema) expect(response.schema.safeParse(response.example).success).toBe(true);
      }
    },
  );
});
