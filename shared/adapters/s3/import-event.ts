import * as z from 'zod/mini';
import type { ImportTrigger } from '../../use-cases/import-contacts';

/** An S3 event notification as S3 delivers it to SQS (only the fields an import reads). */
const s3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventSource: z.literal('aws:s3'),
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({ key: z.string(), eTag: z.optional(z.string()) }),
      }),
    }),
  ),
});

const continuationSchema = z.object({ kind: z.literal('continue'), importId: z.string() });

/** S3 URL-encodes object keys in events, with `+` for a space. */
function decodeKey(key: string): string {
  return decodeURIComponent(key.replaceAll('+', ' '));
}

/**
 * What a message on the imports queue asks for: the uploads its S3 event names (object
 * created only), an import's continuation, or nothing (S3's `s3:TestEvent` when the
 * notification is configured).
 * @throws Error when the body is none of these.
 */
export function importTriggers(body: string): ImportTrigger[] {
  const parsed: unknown = JSON.parse(body);
  if ((parsed as { Event?: unknown }).Event === 's3:TestEvent') return [];
  const continuation = z.safeParse(continuationSchema, parsed);
  if (continuation.success) return [{ kind: 'continue', importId: continuation.data.importId }];
  const event = z.safeParse(s3EventSchema, parsed);
  if (!event.success) throw new Error('Not an S3 event notification nor an import continuation');
  return event.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(
    (record) => ({
      kind: 'upload' as const,
      key: decodeKey(record.s3.object.key),
      ...(record.s3.object.eTag ? { etag: record.s3.object.eTag } : {}),
    }),
  );
}
