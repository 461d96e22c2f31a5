import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApiDocument } from '../shared/openapi/document';

const USAGE = `Usage: npm run openapi [-- <file>]   (default: openapi.json at the repository root; "-" prints it)
The document the API serves at GET /v1/openapi.json, for openapi-typescript and other tools.`;

/** Writes the OpenAPI document to `file` (pretty-printed, with a final newline); answers its path. */
export function writeOpenApi(file: string): string {
  const path = resolve(file);
  writeFileSync(path, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  return path;
}

function main(argv: readonly string[]): number {
  if (argv.length > 1 || argv[0] === '--help' || (argv[0]?.startsWith('-') && argv[0] !== '-')) {
    console.error(USAGE);
    return 2;
  }
  const target = argv[0] ?? 'openapi.json';
  if (target === '-') {
    process.stdout.write(`${JSON.stringify(openApiDocument(), null, 2)}\n`);
    return 0;
  }
  const path = writeOpenApi(target);
  const paths = Object.keys(openApiDocument().paths as object).length;
  console.log(`Wrote ${path} (OpenAPI ${String(openApiDocument().openapi)}, ${paths} paths)`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = main(process.argv.slice(2));
