/** The small HTTP proxy pieces the local fronts share (the SES front, SES event publishing). */
import { type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';

/** An answer read whole, to relay or to replace. */
export interface Upstream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Headers that describe one connection or one framing, not the message: each hop sets its own. */
function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Passes a request (its body already read) to `target` unchanged and reads the answer. */
export function forward(target: string, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      new URL(req.url ?? '/', target),
      {
        method: req.method,
        headers: { ...withoutHopByHop(req.headers), 'content-length': String(body.length) },
      },
      (answer) => {
        readAll(answer).then(
          (answerBody) =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: withoutHopByHop(answer.headers),
              body: answerBody,
            }),
          reject,
        );
      },
    );
    upstream.once('error', reject);
    upstream.end(body);
  });
}

export function relay(response: ServerResponse, upstream: Upstream): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(upstream.status, upstream.headers).end(upstream.body);
}

/** Writes a JSON answer unless the client has gone. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
