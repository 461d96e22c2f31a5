import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { staticFile } from '../../../shared/http/static-file';
import type { ServedFile } from '../../../shared/use-cases/api-reference';

const eventWith = (headers: Record<string, string>) => ({ headers }) as unknown as APIGatewayProxyEventV2;
const script: ServedFile = {
  body: Buffer.from(`window.x = "${'چاپار '.repeat(400)}";`),
  contentType: 'text/javascript; charset=utf-8',
  caching: 'immutable',
};

describe('staticFile', () => {
  it('gzips a file for a client that takes gzip, as base64, and the bytes come back whole', () => {
    // Act
    const answer = staticFile(eventWith({ 'Accept-Encoding': 'gzip, deflate, br' }), script);

    // Assess
    expect(answer.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding' });
    expect(answer.isBase64Encoded).toBe(true);
    const bytes = gunzipSync(Buffer.from(answer.body as string, 'base64'));
    expect(bytes.equals(script.body)).toBe(true);
    expect((answer.body as string).length).toBeLessThan(script.body.length);
  });

  it('answers plain text to a client that refuses gzip or names none', () => {
    // Act
    const refused = staticFile(eventWith({ 'accept-encoding': 'gzip;q=0, br' }), script);
    const none = staticFile(eventWith({}), script);

    // Assess
    for (const answer of [refused, none]) {
      expect(answer.headers?.['content-encoding']).toBeUndefined();
      expect(answer.body).toBe(script.body.toString('utf8'));
    }
  });

  it('caches a digest-named file for good and revalidates the page and the document', () => {
    // Act
    const immutable = staticFile(eventWith({}), script);
    const page = staticFile(eventWith({}), { ...script, caching: 'revalidate' });

    // Assess
    expect(immutable.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(page.headers?.['cache-control']).toBe('public, max-age=300');
  });

  it('answers 304 with no body to an If-None-Match naming its ETag, 200 to another', () => {
    // Prepare
    const etag = String(staticFile(eventWith({}), script).headers?.etag);

    // Act
    const same = staticFile(eventWith({ 'if-none-match': `"other", ${etag}` }), script);
    const other = staticFile(eventWith({ 'if-none-match': '"other"' }), script);

    // Assess
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(same.statusCode).toBe(304);
    expect(same.body).toBeUndefined();
    expect(other.statusCode).toBe(200);
  });
});
