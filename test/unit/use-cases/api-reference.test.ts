import { describe, expect, it } from 'vitest';
import { swaggerUiFile } from '../../../shared/adapters/swagger-ui/asset-files';
import { templateFile } from '../../../shared/adapters/templates/template-files';
import { NotFoundError } from '../../../shared/domain/errors';
import { openApiDocument } from '../../../shared/openapi/document';
import {
  contractFile,
  referenceFile,
  referencePage,
  START_SCRIPT,
} from '../../../shared/use-cases/api-reference';

const deps = { template: templateFile, rendererFile: swaggerUiFile, document: openApiDocument };

describe('the API reference', () => {
  it('names each file the page loads with the digest of its bytes, relative to the page', () => {
    // Act
    const page = referencePage(deps).body.toString('utf8');

    // Assess
    expect(page).toMatch(/<link rel="stylesheet" href="docs\/swagger-ui\.css\?v=[\w-]{16}">/);
    expect(page).toMatch(/<script src="docs\/swagger-ui-bundle\.js\?v=[\w-]{16}"><\/script>/);
    expect(page).toMatch(/<script src="docs\/reference\.js\?v=[\w-]{16}"><\/script>/);
    expect(page).not.toContain('{{');
    // No inline script: the page's CSP allows only script-src 'self'.
    expect(page).not.toMatch(/<script>/);
  });

  it('serves swagger-ui-dist’s own bundle and styles, and a start-up script reading this API’s document', () => {
    // Act
    const bundle = referenceFile(deps, 'swagger-ui-bundle.js');
    const styles = referenceFile(deps, 'swagger-ui.css');
    const start = referenceFile(deps, START_SCRIPT).body.toString('utf8');

    // Assess
    expect(bundle.contentType).toBe('text/javascript; charset=utf-8');
    expect(bundle.body.toString('utf8')).toContain('SwaggerUIBundle');
    expect(styles.contentType).toBe('text/css; charset=utf-8');
    expect(start).toContain("'v1/openapi.json'");
    expect(start).toContain('validatorUrl: null');
  });

  it('refuses any other name with a 404, including paths out of the folder', () => {
    // Act, Assess
    for (const name of [
      'index.html',
      '../package.json',
      'swagger-ui-bundle.js.map',
      'swagger-initializer.js',
    ])
      expect(() => referenceFile(deps, name)).toThrow(NotFoundError);
  });

  it('serves the document as JSON', () => {
    // Act
    const file = contractFile(deps);

    // Assess
    expect(file.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(file.body.toString('utf8'))).toMatchObject({
      openapi: expect.stringMatching(/^3\.1\./),
    });
  });
});
