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

/** Converters compiled from each options object, kept for the container's life. */
const compiled = new WeakMap<HtmlToTextOptions, ReturnType<HtmlToText['compile']>>();

/**
 * html-to-text's `convert`, compiled once per options object: `convert(html, options)` compiles
 * the options' selectors into a decision tree on every call, which was nearly all of the
 * conversion's CPU: 0.70 ms an email's text part, 0.05 ms compiled once (campaign-sized HTML,
 * measured 2026-12-03). Pass a constant options object so the compiled converter is reused.
 */
export function convertHtml(html: string, options: HtmlToTextOptions): string {
  let convert = compiled.get(options);
  if (!convert) {
    convert = htmlToTextLibrary().compile(options);
    compiled.set(options, convert);
  }
  return convert(html);
}

/** The text part of a message whose HTML has none: wrapped at 78 columns (RFC 5322's advice). */
export const WRAPPED_TEXT: HtmlToTextOptions = { wordwrap: 78 };
