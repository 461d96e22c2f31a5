import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { RendererFile } from '../../use-cases/api-reference';

let assetsDir: string | undefined;
const cache = new Map<RendererFile, Buffer>();

/**
 * Finds swagger-ui-dist's files by walking up from this module: in a Lambda bundle the copy
 * the CDK bundling step puts beside the handler (`swagger-ui/`, see the function's
 * bundledFiles), in the source tree the package in node_modules.
 */
function findAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    for (const candidate of [join(dir, 'swagger-ui'), join(dir, 'node_modules', 'swagger-ui-dist')])
      if (existsSync(join(candidate, 'swagger-ui-bundle.js'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('swagger-ui files not found beside the function bundle');
}

/** Reads one of the renderer's files once per container. */
export function swaggerUiFile(name: RendererFile): Buffer {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  assetsDir ??= findAssetsDir();
  const bytes = readFileSync(join(assetsDir, name));
  cache.set(name, bytes);
  return bytes;
}
