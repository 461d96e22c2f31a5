import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openApiDocument } from '../../shared/openapi/document';
import { operations } from '../../shared/openapi/operations';
import { errorSchema } from '../../shared/openapi/schemas/common';
import { call } from '../support/http';
import { openApiProblems } from '../support/openapi';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * The contract over the running platform: the document without a key, the reference page in a
 * real browser (Debian's Chromium), and the documented examples sent to the API, whose answers
 * must have the documented shape.
 */

let platform: TestPlatform;
let api: string;
let browser: Browser;

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await platform?.end();
});

const operation = (operationId: string) => {
  const found = operations.find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found;
};

/** Sends an operation's request example and checks the answer against the documented schema. */
async function sendExample(operationId: string, path: string, status: number) {
  const doc = operation(operationId);
  const reply = await call(api, doc.method, path, doc.request ? { json: doc.request.example } : {});
  expect(reply.status, reply.text).toBe(status);
  const schema = doc.responses[status]?.schema ?? errorSchema;
  const parsed = z.safeParse(schema, reply.body);
  expect(parsed.error?.issues ?? [], `${operationId}: ${reply.text}`).toEqual([]);
  return reply.body as Record<string, unknown>;
}

describe('the OpenAPI document over the platform', () => {
  it('is served at GET /v1/openapi.json without a key: the generated document, valid, cacheable', async () => {
    // Act
    const reply = await call(api, 'GET', '/v1/openapi.json', { auth: false });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('cache-control')).toBe('public, max-age=300');
    expect(reply.body).toEqual(openApiDocument());
    expect(openApiProblems(reply.body)).toEqual([]);
  });

  it('answers 304 to a revalidation with its ETag', async () => {
    // Prepare
    const first = await call(api, 'GET', '/v1/openapi.json', { auth: false });
    const etag = first.headers.get('etag') ?? '';

    // Act
    const again = await call(api, 'GET', '/v1/openapi.json', {
      auth: false,
      headers: { 'if-none-match': etag },
    });

    // Assess
    expect(etag).not.toBe('');
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('gives the documented answer shape to the documented request examples', async () => {
    // Act, Assess: the contact the PUT example makes is the one the other examples use
    const contact = await sendExample('putContact', '/v1/contacts/c1', 200);
    expect(contact.phone).toBe('+989123456789');
    await sendExample('getContact', '/v1/contacts/c1', 200);
    await sendExample('listContacts', '/v1/contacts?q=09123456789', 200);
    await sendExample('recordContactConsent', '/v1/contacts/c1/consent', 201);
    await sendExample('getContactConsent', '/v1/contacts/c1/consent', 200);
    await sendExample('exportContact', '/v1/contacts/c1/export', 200);
    const list = await sendExample('createList', '/v1/lists', 201);
    await sendExample('getList', `/v1/lists/${String(list.id)}`, 200);
    await sendExample('listLists', '/v1/lists', 200);
    await sendExample('previewSegment', '/v1/segments/preview', 200);
    await sendExample('createImport', '/v1/imports', 400);
  });

  it('refuses bad input with the documented error shape', async () => {
    // Act
    const reply = await call(api, 'PUT', '/v1/contacts/c2', { json: { phone: '123', locale: 'de' } });

    // Assess
    expect(reply.status).toBe(400);
    expect(z.safeParse(errorSchema, reply.body).success).toBe(true);
    expect(reply.body).toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ field: 'locale' })]),
    });
  });
});

describe('the reference page at /docs', () => {
  it('is HTML with a CSP that loads its own script and styles, gzipped for a browser', async () => {
    // Act
    const page = await call(api, 'GET', '/docs', { auth: false });
    const bundle = await fetch(`${api}/docs/swagger-ui-bundle.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    const missing = await call(api, 'GET', '/docs/index.html', { auth: false });

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.text).toMatch(/src="docs\/swagger-ui-bundle\.js\?v=/);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    expect(await bundle.text()).toContain('SwaggerUIBundle');
    expect(missing.status).toBe(404);
  });

  it('renders every operation in Chromium from this API alone, with no CSP violation', async () => {
    // Prepare
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const foreign: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(api) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    // Act
    await page.goto(`${api}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    const rendered = await page.locator('.opblock').count();
    const title = await page.locator('.info .title').innerText();
    // An operation opened: its parameters, request example and answers render too.
    await page.locator('#operations-contacts-putContact .opblock-summary').click();
    const example = await page.locator('#operations-contacts-putContact .body-param__example').innerText();
    await page.locator('#operations-contacts-putContact .responses-table').waitFor();
    await page.screenshot({ path: new URL('openapi-docs.png', ARTIFACTS).pathname, fullPage: true });
    await context.close();

    // Assess
    expect(rendered).toBe(operations.length);
    expect(title).toContain('Chapar API');
    expect(example).toContain('۰۹۱۲ ۳۴۵ ۶۷۸۹');
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });
});
