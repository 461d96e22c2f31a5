import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { consoleSecurityHeaders } from '../shared/definitions/console-site';

/**
 * The console, locally: built by Vite when its sources changed (a hash of them is kept beside
 * the build), and served under /console/ by the gateway as CloudFront serves it from S3 in the
 * cloud: hashed assets cached for a year, index.html for every app path, config.json written
 * from the local platform's settings, and the same security headers as the distribution's
 * response-headers policy.
 */

const ROOT = fileURLToPath(new URL('../console/', import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.source-hash');
export const CONSOLE_PREFIX = '/console';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'dist' || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else files.push(path);
  }
  return files;
}

/** A hash of the console's sources (and the lock file, for its dependencies). */
export function consoleSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(ROOT), join(ROOT, '..', 'package-lock.json')]) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Builds the console unless the build on disk is of the same sources. Answers whether it built. */
export async function buildConsole(): Promise<boolean> {
  const wanted = consoleSourceHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) return false;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(STAMP, wanted);
  return true;
}

/** What the console's config.json says locally. */
export interface LocalConsoleConfig {
  readonly apiBase: string;
  readonly cognito: { endpoint: string; region: string; userPoolId: string; clientId: string };
}

/** Origins the console's pages may call besides its own (Cognito, the upload bucket). */
export interface ConsoleSite {
  /** Serves a /console request; false when the path is not the console's. */
  serve(request: IncomingMessage, response: ServerResponse, url: URL): boolean;
}

export function consoleSite(
  config: () => LocalConsoleConfig | undefined,
  connectOrigins: () => readonly string[],
  /** The built app; default console/dist. */
  dist: string = DIST,
): ConsoleSite {
  return {
    serve(request, response, url) {
      const path = url.pathname;
      if (path !== CONSOLE_PREFIX && !path.startsWith(`${CONSOLE_PREFIX}/`)) return false;
      request.resume();
      const headers = consoleSecurityHeaders(connectOrigins());
      const send = (status: number, type: string, content: Buffer | string, cache: string) => {
        for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
        response.setHeader('content-type', type);
        response.setHeader('cache-control', cache);
        // Text compressed as CloudFront compresses it (fonts are woff2, compressed already).
        const compress =
          !type.startsWith('font/') && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
        const body = compress ? gzipSync(content) : content;
        if (compress) response.setHeader('content-encoding', 'gzip');
        response.setHeader('vary', 'accept-encoding');
        response.setHeader('content-length', Buffer.byteLength(body));
        response.writeHead(status);
        response.end(request.method === 'HEAD' ? undefined : body);
      };
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        send(405, 'text/plain; charset=utf-8', 'Method Not Allowed', 'no-store');
        return true;
      }
      if (path === CONSOLE_PREFIX) {
        response.setHeader('location', `${CONSOLE_PREFIX}/`);
        response.writeHead(308);
        response.end();
        return true;
      }
      const inner = decodeURIComponent(path.slice(CONSOLE_PREFIX.length + 1));
      if (inner === 'config.json') {
        const settings = config();
        if (!settings) send(503, 'application/json', '{"message":"starting"}', 'no-store');
        else send(200, 'application/json', JSON.stringify(settings), 'no-store');
        return true;
      }
      const file = normalize(join(dist, inner));
      const inside = file.startsWith(`${dist}${sep}`);
      if (inside && extname(file) && existsSync(file) && statSync(file).isFile()) {
        const immutable = inner.startsWith('assets/');
        send(
          200,
          TYPES[extname(file)] ?? 'application/octet-stream',
          readFileSync(file),
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        return true;
      }
      if (inside && extname(file)) {
        send(404, 'text/plain; charset=utf-8', 'Not Found', 'no-store');
        return true;
      }
      // An app path (/console/campaigns/…): the app's page, as CloudFront's error response does.
      const index = join(dist, 'index.html');
      if (!existsSync(index)) {
        send(503, 'text/plain; charset=utf-8', 'The console is not built', 'no-store');
        return true;
      }
      send(200, TYPES['.html'] ?? 'text/html', readFileSync(index), 'no-cache');
      return true;
    },
  };
}
