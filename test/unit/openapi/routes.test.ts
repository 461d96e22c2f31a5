import { describe, expect, it } from 'vitest';
import { queueRoutes, routes } from '../../../shared/definitions';
import { operations } from '../../../shared/openapi/operations';

const keyOf = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('the OpenAPI operations against the routes of shared/definitions', () => {
  const routeKeys = [...routes, ...queueRoutes].map(keyOf);
  const operationKeys = operations.map(keyOf);

  it('describe every route (routes and queueRoutes)', () => {
    // Act
    const missing = routeKeys.filter((key) => !operationKeys.includes(key));

    // Assess: each missing route named, so the area that owns it knows what to write
    expect(missing, `routes with no operation in shared/openapi/operations/: ${missing.join(', ')}`).toEqual(
      [],
    );
  });

  it('describe no route that does not exist', () => {
    // Act
    const unknown = operationKeys.filter((key) => !routeKeys.includes(key));

    // Assess
    expect(unknown, `operations with no route in shared/definitions: ${unknown.join(', ')}`).toEqual([]);
  });

  it('describe each route once, under its own operationId', () => {
    // Act
    const twice = operationKeys.filter((key, index) => operationKeys.indexOf(key) !== index);
    const ids = operations.map((operation) => operation.operationId);
    const idsTwice = ids.filter((id, index) => ids.indexOf(id) !== index);

    // Assess
    expect(twice).toEqual([]);
    expect(idsTwice).toEqual([]);
  });

  it('state the auth each route has: the API key unless the route is public', () => {
    // Prepare
    const publicKeys = new Set([...routes.filter((route) => route.public), ...queueRoutes].map(keyOf));

    // Act
    const wrong = operations
      .filter((operation) => routeKeys.includes(keyOf(operation)))
      .filter((operation) => (operation.auth === 'bearer') === publicKeys.has(keyOf(operation)))
      .map(keyOf);

    // Assess
    expect(wrong).toEqual([]);
  });
});
