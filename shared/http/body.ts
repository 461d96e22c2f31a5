import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type busboy from 'busboy';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors';
import { header } from './respond';

/**
 * The one place an HTTP request's body is read: size capped on its raw bytes, base64 undone
 * (API Gateway encodes every content type it does not take for text), then parsed as JSON,
 * a URL-encoded form or multipart/form-data. Handlers hand the use cases parsed values only.
 */

const KIB = 1024;

/**
 * How many raw bytes each route accepts. API Gateway lets 10 MB through; nothing Chapar reads
 * comes near that, and a cap well below it keeps a flood of large bodies cheap to refuse.
 */
export const BODY_LIMITS = {
  /** The marketer API: a campaign's HTML email is the largest thing it takes. */
  marketerApi: 1024 * KIB,
  /** Signed spoof reports: a sender, an SMS text and a reporter. */
  spoofReport: 64 * KIB,
  /** The preference centre's forms and RFC 8058's one-click body. */
  unsubscribeForm: 16 * KIB,
} as const;

/** How much of a body a route reads. */
export interface BodyOptions {
  /** Raw bytes (after base64 decoding) past which the request is refused with 413. */
  readonly maxBytes: number;
}

type MediaType = 'json' | 'urlencoded' | 'multipart' | 'text' | 'none' | 'other';

function mediaTypeOf(contentType: string | undefined): MediaType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === '') return 'none';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded';
  if (type === 'multipart/form-data') return 'multipart';
  if (type === 'text/plain') return 'text';
  return 'other';
}

/**
 * The request body's raw bytes, base64 decoded when API Gateway encoded it. The cap is
 * checked on the byte length before anything is decoded or parsed.
 */
export function bodyBytes(event: APIGatewayProxyEventV2, options: BodyOptions): Buffer {
  if (!event.body) return Buffer.alloc(0);
  const encoding = event.isBase64Encoded ? 'base64' : 'utf8';
  const size = Buffer.byteLength(event.body, encoding);
  if (size > options.maxBytes) {
    throw new PayloadTooLargeError(
      `Request body is ${size} bytes; this route accepts at most ${options.maxBytes} bytes`,
      { context: { size, maxBytes: options.maxBytes } },
    );
  }
  return Buffer.from(event.body, encoding);
}

/** The request body as UTF-8 text, size capped (what a signature is computed over). */
export function bodyText(event: APIGatewayProxyEventV2, options: BodyOptions): string {
  return bodyBytes(event, options).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new ValidationError('Request body is required (JSON)');
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('Request body must be valid JSON');
  }
}

function unsupported(contentType: string | undefined, accepted: string): UnsupportedMediaTypeError {
  const type = (contentType ?? '').split(';')[0]?.trim();
  return new UnsupportedMediaTypeError(`Content-Type ${type} is not accepted here; send ${accepted}`);
}

/**
 * The body parsed as JSON, or a 400 that says why. A request without a Content-Type is read
 * as JSON too (clients that forget it); any other type than JSON is a 415.
 */
export function jsonBody(event: APIGatewayProxyEventV2, options: BodyOptions): unknown {
  const contentType = header(event, 'content-type');
  const type = mediaTypeOf(contentType);
  const text = bodyText(event, options);
  if (type !== 'json' && type !== 'none') throw unsupported(contentType, 'application/json');
  return parseJson(text);
}

/**
 * A form's fields: `application/x-www-form-urlencoded` (what browsers send, and what is
 * assumed without a Content-Type or as text/plain) or `multipart/form-data` (RFC 8058 allows either for
 * one-click unsubscribes). File parts are skipped. Any other type is a 415.
 */
export async function formBody(
  event: APIGatewayProxyEventV2,
  options: BodyOptions,
): Promise<URLSearchParams> {
  const contentType = header(event, 'content-type');
  const type = mediaTypeOf(contentType);
  const bytes = bodyBytes(event, options);
  if (type === 'multipart') return multipartFields(bytes, contentType ?? '');
  // text/plain is what fetch() and curl label a bare string; such bodies were always read as a form.
  if (type === 'urlencoded' || type === 'none' || type === 'text') {
    return new URLSearchParams(bytes.toString('utf8'));
  }
  throw unsupported(contentType, 'application/x-www-form-urlencoded or multipart/form-data');
}

/**
 * A report's fields from wherever the sender put them: a JSON object, a form, or (when the
 * body is empty) the query string. Without a Content-Type, or as text/plain, a body that
 * opens with `{` is read as JSON and anything else as a URL-encoded form.
 */
export async function requestFields(
  event: APIGatewayProxyEventV2,
  options: BodyOptions,
): Promise<Record<string, unknown>> {
  const contentType = header(event, 'content-type');
  const type = mediaTypeOf(contentType);
  const bytes = bodyBytes(event, options);
  const text = bytes.toString('utf8').trim();
  if (text === '') return { ...event.queryStringParameters };
  const sniffed = type === 'none' || type === 'text' ? (text.startsWith('{') ? 'json' : 'urlencoded') : type;
  if (sniffed === 'json') {
    const parsed = parseJson(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ValidationError('Request body must be a JSON object');
    }
    return { ...parsed };
  }
  if (sniffed === 'urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (sniffed === 'multipart') return Object.fromEntries(await multipartFields(bytes, contentType ?? ''));
  throw unsupported(
    contentType,
    'application/json, application/x-www-form-urlencoded or multipart/form-data',
  );
}

/**
 * multipart/form-data parsed by busboy; a malformed body or missing boundary is a 400. busboy
 * is loaded on the first multipart body, not at cold start: almost every request is JSON or a
 * URL-encoded form.
 */
async function multipartFields(bytes: Buffer, contentType: string): Promise<URLSearchParams> {
  const malformed = (cause: unknown) =>
    new ValidationError('Request body is not valid multipart/form-data', [
      { field: 'body', message: cause instanceof Error ? cause.message : 'malformed' },
    ]);
  const { default: busboy } = await import('busboy');
  return new Promise((resolve, reject) => {
    const fields = new URLSearchParams();
    let parser: busboy.Busboy;
    try {
      // files: 0 makes busboy skip file parts itself; a form to Chapar never carries a file.
      parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 0 } });
    } catch (error) {
      reject(malformed(error));
      return;
    }
    parser.on('field', (name, value) => fields.append(name, value));
    parser.on('error', (error) => reject(malformed(error)));
    parser.on('close', () => resolve(fields));
    parser.end(bytes);
  });
}
