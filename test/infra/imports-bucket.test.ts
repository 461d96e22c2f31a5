import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buckets } from '../../shared/definitions';
import { synthChapar } from './support/chapar-app';
import { logicalIdOf } from './support/resources';

const { stacks, messaging, api } = synthChapar();
const bucketId = logicalIdOf(stacks.messaging.buckets.imports.bucket);

describe('imports bucket', () => {
  it('lets a browser PUT to a presigned URL (CORS), as the local S3 front does', () => {
    messaging.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedOrigins: ['*'],
            ExposedHeaders: ['ETag'],
          }),
        ],
      },
    });
  });

  it('encrypts, blocks public access, owns its objects and expires uploads after 7 days', () => {
    messaging.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            ExpirationInDays: buckets.imports.expireAfterDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ],
      },
    });
    expect(buckets.imports.expireAfterDays).toBe(7);
  });

  it('refuses every request without TLS', () => {
    messaging.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('sends object-created events under uploads/ to the imports queue, which S3 may send to', () => {
    const queueId = logicalIdOf(stacks.messaging.queues.imports.queue);
    messaging.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        QueueConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
          }),
        ],
      },
    });
    messaging.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: Match.anyValue(),
          }),
        ]),
      },
    });
  });

  it('lets the API put and the import function get only the uploads', () => {
    const objects = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':s3:::chapar-imports-',
          { Ref: 'AWS::AccountId' },
          '-',
          { Ref: 'AWS::Region' },
          '/uploads/*',
        ],
      ],
    };
    for (const [action, fn] of [
      ['s3:PutObject', stacks.api.functions['http-api']],
      ['s3:GetObject', stacks.api.functions['queue-import-contacts']],
    ] as const) {
      api.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalIdOf(fn.function.role?.node.defaultChild as never) }],
        PolicyDocument: {
          Statement: [Match.objectLike({ Action: action, Effect: 'Allow', Resource: objects })],
        },
      });
    }
  });
});

describe('queue-import-contacts', () => {
  it('has room in /tmp for the worksheet exceljs parks there', () => {
    api.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Chapar queue-import-contacts',
      EphemeralStorage: { Size: 4096 },
      Timeout: 300,
    });
  });
});
