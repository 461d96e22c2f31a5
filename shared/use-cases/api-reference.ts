/**
 * The contract as served: the OpenAPI document, and a reference page (Swagger UI) whose every
 * file comes from this API. Files are named in the page with a digest of their bytes, so each
 * can be cached for good; the page and the document are revalidated.
 */
import { createHash } from 'node:crypto';
import { NotFoundError } from '../domain/errors';

/** The renderer's files, as the page names them. */
export const RENDERER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;
export type RendererFile = (typeof RENDERER_FILES)[number];

/** The page's own start-up script, served beside the renderer's files. */
export const START_SCRIPT = 'reference.js';

export interface ApiReferenceDeps {
  /** A file of templates/ (`api-reference.page.html`). */
  readonly template: (name: string) => string;
  /** A file of the renderer (swagger-ui-dist). */
  readonly rendererFile: (name: RendererFile) => Buffer;
  readonly document: () => Record<string, unknown>;
}

export interface ServedFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** `immutable`: named by its digest, cacheable for good; `revalidate`: asked again after a while. */
  readonly caching: 'immutable' | 'revalidate';
}

const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** What a container serves never changes: each answer is built once per deps (and hashed once). */
const contracts = new WeakMap<ApiReferenceDeps, ServedFile>();
const pages = new WeakMap<ApiReferenceDeps, ServedFile>();

function memo(cache: WeakMap<ApiReferenceDeps, ServedFile>, deps: ApiReferenceDeps, build: () => ServedFile) {
  let file = cache.get(deps);
  if (file === undefined) {
    file = build();
    cache.set(deps, file);
  }
  return file;
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}

/** The OpenAPI document, as JSON. */
export function contractFile(deps: ApiReferenceDeps): ServedFile {
  return memo(contracts, deps, () => ({
    body: Buffer.from(JSON.stringify(deps.document())),
    contentType: 'application/json; charset=utf-8',
    caching: 'revalidate',
  }));
}

/** A file the reference page loads, or a NotFoundError for any other name. */
export function referenceFile(deps: ApiReferenceDeps, name: string): ServedFile {
  const extension = name.split('.').at(-1) ?? '';
  if (name === START_SCRIPT)
    return {
      body: Buffer.from(deps.template('api-reference.page.js')),
      contentType: CONTENT_TYPES.js as string,
      caching: 'immutable',
    };
  if (!(RENDERER_FILES as readonly string[]).includes(name))
    throw new NotFoundError(`No file ${name} in /docs`);
  return {
    body: deps.rendererFile(name as RendererFile),
    contentType: CONTENT_TYPES[extension] as string,
    caching: 'immutable',
  };
}

/** The reference page, naming each file it loads with the digest of its bytes. */
export function referencePage(deps: ApiReferenceDeps): ServedFile {
  return memo(pages, deps, () => {
    const version = (name: string) => digest(referenceFile(deps, name).body);
    const html = deps
      .template('api-reference.page.html')
      .replaceAll('{{cssVersion}}', version('swagger-ui.css'))
      .replaceAll('{{bundleVersion}}', version('swagger-ui-bundle.js'))
      .replaceAll('{{scriptVersion}}', version(START_SCRIPT));
    return { body: Buffer.from(html), contentType: 'text/html; charset=utf-8', caching: 'revalidate' };
  });
}
