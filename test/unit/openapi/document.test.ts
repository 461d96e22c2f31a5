import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, openApiDocument } from '../../../shared/openapi/document';
import { errorSchema } from '../../../shared/openapi/schemas/common';
import type { OperationDoc } from '../../../shared/openapi/types';
import { openApiProblems } from '../../support/openapi';

// biome-ignore lint/suspicious/noExplicitAny: the document is read by path in the assertions
type Json = Record<string, any>;

describe('openApiDocument', () => {
  const document = openApiDocument() as Json;

  it('is a structurally valid OpenAPI 3.1 document whose every $ref resolves', () => {
    // Act
    const problems = openApiProblems(document);

    // Assess
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(problems).toEqual([]);
  });

  it('states the error shape of shared/http/respond.ts for every 4xx and 5xx of a JSON route', () => {
    // Prepare
    const refusals = Object.values(document.paths as Json)
      .flatMap((item) => Object.values(item as Json))
      .flatMap((operation: Json) => Object.entries(operation.responses as Json))
      .filter(([status]) => Number(status) >= 400)
      .map(([, response]) => response as Json)
      .filter((response) => response.content?.['application/json']);

    // Act
    const refs = new Set(refusals.map((response) => response.content['application/json'].schema.$ref));

    // Assess
    expect(refusals.length).toBeGreaterThan(20);
    expect([...refs]).toEqual(['#/components/schemas/Error']);
    expect(document.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['message'],
      properties: { issues: { type: 'array', items: { $ref: '#/components/schemas/FieldIssue' } } },
    });
  });

  it('names the security of each kind of route: bearer, signature, none, a token in the path', () => {
    // Act
    const contacts = document.paths['/v1/contacts'].get;
    const spoof = document.paths['/v1/reports/spoofed-sms'].post;
    const unsubscribe = document.paths['/u/{token}'].get;

    // Assess
    expect(contacts.security).toEqual([{ bearer: [] }]);
    expect(contacts.responses['401'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Error',
    );
    expect(spoof.security).toEqual([{ signature: [] }]);
    expect(document.components.securitySchemes.signature).toMatchObject({
      in: 'header',
      name: 'X-Chapar-Signature',
    });
    expect(unsubscribe.security).toEqual([]);
    expect(unsubscribe['x-chapar-auth']).toBe('token');
    expect(Object.keys(unsubscribe.responses['404'].content)).toEqual(['text/html']);
  });

  it('writes request bodies as zod reads them (defaults optional) and answers as they are written', () => {
    // Act
    const put = document.paths['/v1/contacts/{contactId}'].put;
    const body = put.requestBody.content['application/json'];
    const answer = document.components.schemas.Contact;

    // Assess: locale has a default going in, so it is not required; the contact always has one
    expect(body.schema.properties.locale).toMatchObject({ default: 'fa', enum: ['fa', 'en'] });
    expect(body.schema.required ?? []).not.toContain('locale');
    expect(answer.required).toContain('locale');
    expect(body.example.phone).toBe('۰۹۱۲ ۳۴۵ ۶۷۸۹');
  });

  it('states the headers an answer carries for the client', () => {
    // Act
    const errors = document.paths['/v1/imports/{importId}/errors'].get.responses['200'];

    // Assess
    expect(errors.headers['x-next-cursor']).toMatchObject({ schema: { type: 'string' } });
    expect(Object.keys(errors.content)).toEqual(['text/csv']);
  });

  it('keeps a recursive schema (the segment filter) as one component that refers to itself', () => {
    // Act
    const filter = document.components.schemas.SegmentFilter;

    // Assess
    expect(JSON.stringify(filter)).toContain('"$ref":"#/components/schemas/SegmentFilter"');
    expect(document.components.schemas.SegmentFilterInput).toBeUndefined();
  });

  it('turns a query schema into parameters and every {parameter} of a path into a path parameter', () => {
    // Act
    const search = document.paths['/v1/contacts'].get.parameters as Json[];
    const members = document.paths['/v1/lists/{listId}/members'].get.parameters as Json[];

    // Assess
    expect(search.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      'query:cursor',
      'query:limit',
      'query:q',
    ]);
    expect(members[0]).toMatchObject({ name: 'listId', in: 'path', required: true });
  });

  it('gives each caller its own copy: a caller that changes it changes nobody else’s', () => {
    // Prepare
    const mine = openApiDocument() as Json;

    // Act
    mine.paths['/v1/contacts'] = undefined;

    // Assess
    expect((openApiDocument() as Json).paths['/v1/contacts'].get.operationId).toBe('listContacts');
  });

  it('refuses two operations for one route', () => {
    // Prepare
    const operation: OperationDoc = {
      method: 'GET',
      path: '/v1/things',
      operationId: 'a',
      summary: 'a',
      tags: ['t'],
      auth: 'none',
      responses: { 200: { description: 'ok', schema: errorSchema, example: { message: 'x' } } },
    };

    // Act, Assess
    expect(() => buildOpenApiDocument([operation, { ...operation, operationId: 'b' }])).toThrow(
      /Two operations for GET \/v1\/things/,
    );
  });

  it('finds a $ref that does not resolve', () => {
    // Prepare
    const broken = structuredClone(document);
    delete broken.components.schemas.Contact;

    // Act
    const problems = openApiProblems(broken);

    // Assess
    expect(
      problems.some((problem) => problem.includes('#/components/schemas/Contact does not resolve')),
    ).toBe(true);
  });

  it('generates client types with openapi-typescript, as the CLI does', async () => {
    // Act
    const types = astToString(await openapiTS(structuredClone(document) as never));

    // Assess
    expect(types).toContain('"/v1/contacts/{contactId}"');
    expect(types).toContain('listContacts');
    expect(types).toContain('SegmentFilter');
  });
});
