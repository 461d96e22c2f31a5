import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let templatesDir: string | undefined;
const cache = new Map<string, string>();

/**
 * Finds templates/ by walking up from this module: in the source tree it is the project's
 * templates/, in a Lambda bundle the copy the CDK bundling step puts beside the handler.
 */
function findTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'unsubscribe.page.html'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('templates/ not found beside the function bundle');
}

/** Reads a template file once per container, e.g. `unsubscribe.page.html`. */
export function templateFile(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  templatesDir ??= findTemplatesDir();
  const text = readFileSync(join(templatesDir, name), 'utf8');
  cache.set(name, text);
  return text;
}
