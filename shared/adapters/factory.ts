import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseTokenKeyring, type TokenKeyring } from '../domain/unsubscribe-token';
import type { SecretSource } from '../ports';
import { DynamoCampaignStore } from './dynamodb/campaign-store';
import { dynamoDocumentClient } from './dynamodb/client';
import { DynamoConsentStore } from './dynamodb/consent-store';
import { DynamoContactStore } from './dynamodb/contact-store';
import { DynamoDeliveryStatusStore } from './dynamodb/delivery-status-store';
import { DynamoDeliveryStore } from './dynamodb/delivery-store';
import { DynamoFeedbackStore } from './dynamodb/feedback-store';
import { DynamoImportedContactWriter, DynamoImportStore } from './dynamodb/import-store';
import { DynamoLinkStore } from './dynamodb/link-store';
import { DynamoPersonalDataStore, type PersonalDataTables } from './dynamodb/personal-data-store';
import { DynamoReportStore } from './dynamodb/report-store';
import { DynamoSuppressionStore } from './dynamodb/suppression-store';
import { S3ImportFiles } from './s3/import-files';
import { SecretsManagerSource } from './secrets/secret-source';
import { SesEmailProvider } from './ses/email-provider';
import { SqsImportQueue } from './sqs/import-queue';
import { type QueueUrls, SqsWorkQueue } from './sqs/work-queue';

/**
 * Builds adapters from configuration: the composition root the handlers share. Clients are
 * created once per container; endpoints come from the SDK's AWS_ENDPOINT_URL_* variables.
 */

export const contactStore = (table: string) => new DynamoContactStore(dynamoDocumentClient(), table);
export const campaignStore = (table: string) => new DynamoCampaignStore(dynamoDocumentClient(), table);
export const consentStore = (table: string) => new DynamoConsentStore(dynamoDocumentClient(), table);
export const reportStore = (table: string) => new DynamoReportStore(dynamoDocumentClient(), table);
export const linkStore = (table: string) => new DynamoLinkStore(dynamoDocumentClient(), table);
export const deliveryStatusStore = (table: string, campaignsTable: string) =>
  new DynamoDeliveryStatusStore(dynamoDocumentClient(), table, campaignsTable);
export const deliveryStore = (table: string, campaignsTable: string) =>
  new DynamoDeliveryStore(dynamoDocumentClient(), table, campaignsTable);
export const feedbackStore = (deliveriesTable: string, campaignsTable: string) =>
  new DynamoFeedbackStore(dynamoDocumentClient(), deliveriesTable, campaignsTable);
export const suppressionStore = (table: string) => new DynamoSuppressionStore(dynamoDocumentClient(), table);
export const personalDataStore = (tables: PersonalDataTables) =>
  new DynamoPersonalDataStore(dynamoDocumentClient(), tables);

export const importStore = (table: string) => new DynamoImportStore(dynamoDocumentClient(), table);
export const importedContactWriter = (tables: { contacts: string; consent: string }) =>
  new DynamoImportedContactWriter(dynamoDocumentClient(), tables);

let s3: S3Client | undefined;
/**
 * Import files in `bucket`. Path-style addressing only against a local endpoint
 * (AWS_ENDPOINT_URL_S3: fauxqs); checksums only when S3 requires them, so a presigned PUT
 * carries no checksum of an empty body.
 */
export function importFiles(bucket: string): S3ImportFiles {
  s3 ??= new S3Client({
    forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return new S3ImportFiles(s3, bucket);
}

let sqs: SQSClient | undefined;
export function importQueue(url: string): SqsImportQueue {
  sqs ??= new SQSClient({});
  return new SqsImportQueue(sqs, url);
}

export function workQueue(urls: QueueUrls): SqsWorkQueue {
  sqs ??= new SQSClient({});
  return new SqsWorkQueue(sqs, urls);
}

let ses: SESv2Client | undefined;
export function emailProvider(options: { from: string; configurationSet?: string }): SesEmailProvider {
  // One attempt: a retry after a 5xx or a lost answer can send the mail twice (SES has no
  // idempotency key); failures are classified and retried, or not, by the delivery loop.
  ses ??= new SESv2Client({ maxAttempts: 1 });
  return new SesEmailProvider(ses, options);
}

export const secretSource = (): SecretSource => new SecretsManagerSource();

/** The key of the do-not-contact hashes, read through the secret cache on each use. */
export function erasureKey(secrets: SecretSource, secretId: string): () => Promise<string> {
  return () => secrets.getSecret(secretId);
}

/** The token keyring, read through the secret cache on each use so a rotation is picked up. */
export function tokenKeyring(secrets: SecretSource, secretId: string): () => Promise<TokenKeyring> {
  return async () => parseTokenKeyring(await secrets.getSecret(secretId));
}
