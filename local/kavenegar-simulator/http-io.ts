import type { IncomingMessage, ServerResponse } from 'node:http';

/** Local tooling: a request body past this is cut off rather than buffered. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The request body as text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Query parameters, overlaid by the form body of a POST. */
export async function readParams(request: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const params = Object.fromEntries(url.searchParams);
  if (request.method !== 'POST') return params;
  return { ...params, ...Object.fromEntries(new URLSearchParams(await readBody(request))) };
}

/** Writes a JSON answer unless the client has gone. */
export function sendJson(response: ServerResponse, status: number, body: string): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
}
