import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routes } from '../../../shared/definitions/routes';
import { analyseSms } from '../../../shared/domain/sms-segments';
import { templateOperations } from '../../../shared/openapi/operations/templates';

describe('the template operations of the contract', () => {
  it('documents every template route once', () => {
    // Prepare
    const templateRoutes = routes.filter((route) => route.path.startsWith('/v1/templates'));

    // Act
    const documented = templateOperations.map((operation) => `${operation.method} ${operation.path}`);

    // Assess
    expect(documented.sort()).toEqual(templateRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('gives examples that validate against their schemas', () => {
    // Prepare
    const bodies = templateOperations.flatMap((operation) => [
      ...(operation.request ? [{ where: `${operation.operationId} request`, doc: operation.request }] : []),
      ...Object.entries(operation.responses).map(([status, doc]) => ({
        where: `${operation.operationId} ${status}`,
        doc,
      })),
    ]);

    // Act
    const failures = bodies
      .filter(({ doc }) => doc.schema !== undefined)
      .filter(({ doc }) => !z.safeParse(doc.schema as z.ZodMiniType, doc.example).success)
      .map(({ where }) => where);

    // Assess
    expect(failures).toEqual([]);
  });

  it("states the render example's SMS figures as the code counts them", () => {
    // Prepare
    const render = templateOperations.find((operation) => operation.operationId === 'renderTemplate');
    const example = render?.responses[200]?.example as { sms: { text: string } & Record<string, unknown> };

    // Act
    const analysis = analyseSms(example.sms.text);

    // Assess
    expect(example.sms).toMatchObject(analysis);
  });
});
