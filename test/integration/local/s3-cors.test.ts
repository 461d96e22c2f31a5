import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Cors, start } from '../../../local/s3-cors';

let upstream: Server;
let front: S3Cors;
const seen: { method?: string; host?: string; body: string }[] = [];

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ method: request.method, host: request.headers.host, body });
      response.writeHead(200, { etag: '"abc"' }).end();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  front = await start({
    target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    host: '127.0.0.1',
  });
});

afterAll(async () => {
  await front.end();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('the local S3 CORS front', () => {
  it("answers a browser preflight itself, as the bucket's CORS rule does", async () => {
    const answer = await fetch(`${front.url}/chapar-imports/uploads/x.csv`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(answer.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(answer.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(seen).toHaveLength(0);
  });

  it('passes the PUT to S3 unchanged, its Host too (the presigned signature covers it), and exposes the ETag', async () => {
    const answer = await fetch(`${front.url}/chapar-imports/uploads/x.csv?X-Amz-Signature=s`, {
      method: 'PUT',
      headers: { origin: 'http://127.0.0.1:3000' },
      body: 'phone\n09121234567\n',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(answer.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(seen.at(-1)).toEqual({
      method: 'PUT',
      host: new URL(front.url).host,
      body: 'phone\n09121234567\n',
    });
  });
});
