import { createRequire } from 'node:module';
import type { HtmlToTextOptions } from 'html-to-text';

type HtmlToText = typeof import('html-to-text');

let library: HtmlToText | undefined;

/**
 * html-to-text, loaded on the first conversion rather than at cold start: its module and the
 * entity tables of htmlparser2 it builds cost about 10 ms of CPU at import, which a request
 * that converts nothing (most API routes, an email with its own text part) never needs.
 *
 * Synchronously, so the renderers stay plain functions: in a function bundle `require` is the
 * banner's (infra/constructs/bundling.ts) and esbuild bundles the `require('html-to-text')`
 * below as a module run on its first call; where the code runs unbundled as ESM (tsx, vitest)
 * there is no `require`, and Node's own loads the same package.
 */
function htmlToTextLibrary(): HtmlToText {
  library ??=
    typeof require === 'function'
      ? (require('html-to-text') as HtmlToText)
      : (createRequire(import.meta.url)('html-to-text') as HtmlToText);
  return library;
}

/** html-to-text's `convert`. */
export function convertHtml(html: string, options: HtmlToTextOptions): string {
  return htmlToTextLibrary().convert(html, options);
}
