import { createServer } from 'node:http';
import { type Listening, listen } from './http-listen';
import { forward, readAll, relay } from './http-proxy';

/**
 * S3's CORS, locally. fauxqs keeps S3 objects but answers no CORS preflight, so a browser (the
 * console) could not PUT a file to a presigned URL. This front holds the S3 address the functions
 * presign with, passes every request to fauxqs unchanged, and adds what the imports bucket's CORS
 * rule gives in the cloud (infra/constructs/upload-bucket.ts): PUT, GET and HEAD from any origin,
 * any request header, ETag exposed. A presigned URL is its own proof, so the origin is not checked.
 */
export interface S3Cors extends Listening {}

const ALLOW = {
  'access-control-allow-methods': 'GET, HEAD, PUT',
  'access-control-expose-headers': 'ETag',
  'access-control-max-age': '3000',
};

export async function start(options: {
  readonly target: string;
  readonly host: string;
  readonly port?: number;
}): Promise<S3Cors> {
  const server = createServer((request, response) => {
    const origin = request.headers.origin;
    const cors = origin
      ? {
          ...ALLOW,
          'access-control-allow-origin': origin,
          'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
          vary: 'origin',
        }
      : {};
    if (request.method === 'OPTIONS' && origin && request.headers['access-control-request-method']) {
      request.resume();
      response.writeHead(200, cors).end();
      return;
    }
    readAll(request)
      .then((body) => forward(options.target, request, body))
      .then(
        (upstream) => relay(response, { ...upstream, headers: { ...upstream.headers, ...cors } }),
        () => {
          if (!response.headersSent) response.writeHead(502).end();
        },
      );
  });
  return listen(server, options.host, options.port ?? 0, 'S3 CORS front', 'idle');
}
