import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ServedFile } from '../use-cases/api-reference';
import { type HttpResult, header } from './respond';

/** A file named by its digest never changes; the page and the document are asked again after 5 min. */
const CACHE_CONTROL: Record<ServedFile['caching'], string> = {
  immutable: 'public, max-age=31536000, immutable',
  revalidate: 'public, max-age=300',
};

/** Below this, gzip saves less than the header costs. */
const GZIP_MIN_BYTES = 1024;

const etags = new WeakMap<Buffer, string>();
const gzipped = new WeakMap<Buffer, Buffer>();

function etagOf(body: Buffer): string {
  let etag = etags.get(body);
  if (etag === undefined) {
    etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    etags.set(body, etag);
  }
  return etag;
}

function gzipOf(body: Buffer): Buffer {
  let compressed = gzipped.get(body);
  if (compressed === undefined) {
    compressed = gzipSync(body, { level: 9 });
    gzipped.set(body, compressed);
  }
  return compressed;
}

/** Whether the request's Accept-Encoding takes gzip (and does not refuse it with q=0). */
function acceptsGzip(event: APIGatewayProxyEventV2): boolean {
  return (header(event, 'accept-encoding') ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase().split(';'))
    .some(([coding, quality]) => coding === 'gzip' && !/^\s*q=0(\.0*)?\s*$/.test(quality ?? ''));
}

/**
 * A static file's answer: its cache headers and ETag (a matching If-None-Match is a 304),
 * gzip when the client takes it (API Gateway does not compress), and `extraHeaders` (a CSP).
 * The same Buffer is compressed and hashed once per container.
 */
export function staticFile(
  event: APIGatewayProxyEventV2,
  file: ServedFile,
  extraHeaders: Readonly<Record<string, string>> = {},
): HttpResult {
  const etag = etagOf(file.body);
  const headers = {
    'cache-control': CACHE_CONTROL[file.caching],
    etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...extraHeaders,
  };
  const conditions = (header(event, 'if-none-match') ?? '').split(',').map((tag) => tag.trim());
  if (conditions.includes(etag) || conditions.includes('*')) return { statusCode: 304, headers };
  if (file.body.length >= GZIP_MIN_BYTES && acceptsGzip(event)) {
    return {
      statusCode: 200,
      headers: { ...headers, 'content-type': file.contentType, 'content-encoding': 'gzip' },
      body: gzipOf(file.body).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: 200,
    headers: { ...headers, 'content-type': file.contentType },
    body: file.body.toString('utf8'),
  };
}
