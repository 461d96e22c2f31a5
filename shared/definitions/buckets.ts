/** S3 buckets: what each holds, how long, and the queue its uploads notify. */

import type { QueueName } from './queues';

export interface BucketDefinition {
  /** Stable CDK id. */
  readonly id: string;
  /** The bucket's name on the local platform (in the cloud CloudFormation names it). */
  readonly localName: string;
  /** Environment variable that carries the bucket's name to a function. */
  readonly envVar: string;
  /** Objects are deleted this many days after upload (lifecycle rule). */
  readonly expireAfterDays: number;
  /** Object-created events under `prefix` go to this queue (S3 event notifications). */
  readonly notifies?: { readonly queue: QueueName; readonly prefix: string };
}

export const buckets = {
  /** Contact files uploaded through presigned PUT URLs, read once by queue-import-contacts. */
  imports: {
    id: 'ImportsBucket',
    localName: 'chapar-imports',
    envVar: 'IMPORTS_BUCKET',
    expireAfterDays: 7,
    notifies: { queue: 'imports', prefix: 'uploads/' },
  },
} as const satisfies Record<string, BucketDefinition>;

export type BucketName = keyof typeof buckets;
