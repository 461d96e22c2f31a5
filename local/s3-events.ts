import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { BucketDefinition } from '../shared/definitions';

/**
 * S3 event notifications, locally. fauxqs keeps buckets and objects but sends no bucket
 * notifications; this piece creates each bucket of shared/definitions (with its lifecycle
 * rule, which fauxqs stores but does not enforce) and turns every upload under a bucket's
 * notification prefix into the record S3 sends to SQS (`{"Records":[…]}`, event version
 * 2.1, `ObjectCreated:Put`, URL-encoded key, size and ETag), sent to the same queue.
 */

export interface S3EventsOptions {
  /** fauxqs's endpoint (S3 and SQS on one port). */
  readonly endpoint: string;
  readonly region: string;
  /** The buckets, by local name, and the URL of the queue each notifies. */
  readonly buckets: readonly { readonly definition: BucketDefinition; readonly queueUrl?: string }[];
  /** How uploads are heard of: the SQS emulator's upload listener. */
  readonly onUpload: (listener: (upload: { bucket: string; key: string }) => void) => () => void;
}

export interface S3Events {
  /** Stops listening and waits for notifications still being sent; safe to call twice. */
  end(): Promise<void>;
}

/** The notification record S3 sends for an object created by PUT. */
export function objectCreatedRecord(input: {
  region: string;
  bucket: string;
  key: string;
  size: number;
  etag: string;
  at: Date;
}): Record<string, unknown> {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: input.region,
    eventTime: input.at.toISOString(),
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase() },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'chapar-local',
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: 'LOCAL' },
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object: {
        // S3 writes keys URL-encoded, spaces as +.
        key: encodeURIComponent(input.key).replaceAll('%20', '+').replaceAll('%2F', '/'),
        size: input.size,
        eTag: input.etag.replaceAll('"', ''),
        sequencer: input.at.getTime().toString(16).toUpperCase().padStart(16, '0'),
      },
    },
  };
}

/** Creates the buckets and starts turning uploads into notifications. */
export async function start(options: S3EventsOptions): Promise<S3Events> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const s3 = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    credentials,
    forcePathStyle: true,
  });
  const sqs = new SQSClient({ endpoint: options.endpoint, region: options.region, credentials });
  for (const { definition } of options.buckets) {
    await s3.send(new CreateBucketCommand({ Bucket: definition.localName }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: definition.localName,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'ExpireUploads',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              Expiration: { Days: definition.expireAfterDays },
            },
          ],
        },
      }),
    );
  }
  const inFlight = new Set<Promise<void>>();
  const notify = async (bucket: string, key: string): Promise<void> => {
    const target = options.buckets.find((b) => b.definition.localName === bucket);
    const prefix = target?.definition.notifies?.prefix;
    if (!target?.queueUrl || prefix === undefined || !key.startsWith(prefix)) return;
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const record = objectCreatedRecord({
        region: options.region,
        bucket,
        key,
        size: head.ContentLength ?? 0,
        etag: head.ETag ?? '',
        at: new Date(),
      });
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: target.queueUrl,
          MessageBody: JSON.stringify({ Records: [record] }),
        }),
      );
    } catch (error) {
      process.emitWarning(`S3 event for ${bucket}/${key} not sent: ${(error as Error).message}`);
    }
  };
  const stop = options.onUpload(({ bucket, key }) => {
    const sending = notify(bucket, key).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  });
  let ended: Promise<void> | undefined;
  return {
    end: () => {
      ended ??= (async () => {
        stop();
        await Promise.allSettled([...inFlight]);
        s3.destroy();
        sqs.destroy();
      })();
      return ended;
    },
  };
}
