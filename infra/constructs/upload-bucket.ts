import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The cloud name of a bucket: its base name, account and region. Every stack can compute it
 * (pseudo parameters only), so functions in other stacks name the bucket without a
 * cross-stack export, and IAM and cdk-nag see the same ARN wherever it is used.
 */
export function cloudBucketName(baseName: string): string {
  return `${baseName}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export interface UploadBucketProps {
  /** The bucket's base name; see {@link cloudBucketName}. */
  readonly baseName: string;
  /** Uploads are deleted this many days after they were made. */
  readonly expireAfterDays: number;
  /** Object-created events under `prefix` go to `queue`. @default - no notification */
  readonly notifies?: { readonly queue: sqs.IQueue; readonly prefix: string };
}

/**
 * A bucket for uploads through presigned URLs: S3-managed encryption, TLS only, every public
 * access blocked, objects owned by the bucket (no ACLs), uploads and unfinished multipart
 * uploads deleted by a lifecycle rule, and object-created events sent to a queue. Retained on
 * stack deletion, like the tables.
 */
export class UploadBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: UploadBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: cloudBucketName(props.baseName),
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      // The console PUTs files to presigned URLs from its own origin. The URL's signature is the
      // proof (one object, one hour), so any origin may use it; local/s3-cors.ts answers the same.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'ExpireUploads',
          expiration: Duration.days(props.expireAfterDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    if (props.notifies) {
      this.bucket.addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.SqsDestination(props.notifies.queue),
        { prefix: props.notifies.prefix },
      );
    }
  }
}
