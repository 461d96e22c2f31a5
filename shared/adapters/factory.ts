import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Env } from '../config';
import { parseTokenKeyring, type TokenKeyring } from '../domain/unsubscribe-token';
import type {
  AccessTokenVerifier,
  ApiKeyStore,
  EmailAccount,
  EmailProvider,
  ImportFiles,
  ImportQueue,
  MessageStore,
  MessageVisibility,
  ProviderAccount,
  SecretSource,
  SmsBatchProvider,
  TransactionalQueue,
  UserDirectory,
  WorkQueue,
} from '../ports';
import { CognitoAccessTokenVerifier } from './cognito/access-token-verifier';
import { CognitoUserDirectory } from './cognito/user-directory';
import { DynamoApiKeyStore } from './dynamodb/api-key-store';
import { DynamoCampaignStore } from './dynamodb/campaign-store';
import { dynamoDocumentClient } from './dynamodb/client';
import { DynamoConsentStore } from './dynamodb/consent-store';
import { DynamoContactSearch } from './dynamodb/contact-search';
import { DynamoContactStore } from './dynamodb/contact-store';
import { DynamoDeliveryReportInbox } from './dynamodb/delivery-report-inbox';
import { DynamoDeliveryStore } from './dynamodb/delivery-store';
import { DynamoFeedbackStore } from './dynamodb/feedback-store';
import { DynamoImportedContactWriter, DynamoImportStore } from './dynamodb/import-store';
import { DynamoInsightsStore, type InsightsTables } from './dynamodb/insights-store';
import { DynamoLinkStore } from './dynamodb/link-store';
import { DynamoListStore } from './dynamodb/list-store';
import { DynamoMessageStore } from './dynamodb/message-store';
import { DynamoPersonalDataStore, type PersonalDataTables } from './dynamodb/personal-data-store';
import { DynamoRateLimiter } from './dynamodb/rate-limiter';
import { DynamoReportStore } from './dynamodb/report-store';
import { DynamoSegmentStore } from './dynamodb/segment-store';
import { DynamoSentSmsLookup, type SentSmsTables } from './dynamodb/sent-sms-lookup';
import { DynamoSmsPollStore } from './dynamodb/sms-poll-store';
import { DynamoSuppressionStore } from './dynamodb/suppression-store';
import { DynamoTemplateStore } from './dynamodb/template-store';
import { DynamoTestSendGuard } from './dynamodb/test-send-guard';
import { KavenegarClient } from './kavenegar/client';
import { KavenegarProviderAccount } from './kavenegar/provider-account';
import { KavenegarSmsProvider } from './kavenegar/sms-provider';
import { MAX_RECEPTORS_PER_CALL } from './kavenegar/types';
import { RateLimitedSmsProvider } from './rate-limited-sms-provider';
import { S3ImportFiles } from './s3/import-files';
import { SecretsManagerSource } from './secrets/secret-source';
import { SesAccount } from './ses/account';
import { SesEmailProvider } from './ses/email-provider';
import { SqsImportQueue } from './sqs/import-queue';
import { SqsMessageVisibility } from './sqs/message-visibility';
import { SqsTransactionalQueue } from './sqs/transactional-queue';
import { type QueueUrls, SqsWorkQueue } from './sqs/work-queue';

/**
 * Builds adapters from configuration: the composition root the handlers share. Clients are
 * created once per container; endpoints come from the SDK's AWS_ENDPOINT_URL_* variables.
 *
 * The SQS and SES adapters, and their SDK clients, are built on their first call, not at cold
 * start: a path that never enqueues or mails builds neither (the API's contact routes, a
 * digest run with nothing to send, a batch that defers nothing). Their modules stay static
 * imports: in a one-file bundle a dynamic import of a module shared with the rest (the SDK's
 * core) wraps and keeps far more code than it defers.
 */

/** `build` once, on the first call. */
function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

export const contactStore = (table: string) => new DynamoContactStore(dynamoDocumentClient(), table);
export const campaignStore = (table: string) => new DynamoCampaignStore(dynamoDocumentClient(), table);
export const consentStore = (table: string) => new DynamoConsentStore(dynamoDocumentClient(), table);
export const templateStore = (table: string) => new DynamoTemplateStore(dynamoDocumentClient(), table);
export const reportStore = (table: string) => new DynamoReportStore(dynamoDocumentClient(), table);
/** `key`: the secret link codes are derived with, needed to make links (finding them needs none). */
export const linkStore = (table: string, key?: () => Promise<string>) =>
  new DynamoLinkStore(dynamoDocumentClient(), table, key ? { key } : {});
export const smsPollStore = (tables: { polls: string; deliveries: string; campaigns: string }) =>
  new DynamoSmsPollStore(dynamoDocumentClient(), tables.polls, tables.deliveries, tables.campaigns);
export const deliveryReportInbox = (pollsTable: string) =>
  new DynamoDeliveryReportInbox(dynamoDocumentClient(), pollsTable);
export const deliveryStore = (table: string, campaignsTable: string, retentionDays?: number) =>
  new DynamoDeliveryStore(
    dynamoDocumentClient(),
    table,
    campaignsTable,
    retentionDays === undefined ? {} : { retentionDays },
  );
/** What was sent to a phone: its contacts in `tables.contacts`, their deliveries beside. */
export const sentSmsLookup = (tables: SentSmsTables) =>
  new DynamoSentSmsLookup(dynamoDocumentClient(), tables);
export const feedbackStore = (deliveriesTable: string, campaignsTable: string) =>
  new DynamoFeedbackStore(dynamoDocumentClient(), deliveriesTable, campaignsTable);
export const suppressionStore = (table: string) => new DynamoSuppressionStore(dynamoDocumentClient(), table);
export const contactSearch = (table: string) =>
  new DynamoContactSearch(dynamoDocumentClient(), table, contactStore(table));
export const listStore = (table: string) => new DynamoListStore(dynamoDocumentClient(), table);
export const segmentStore = (table: string) => new DynamoSegmentStore(dynamoDocumentClient(), table);
export const personalDataStore = (tables: PersonalDataTables) =>
  new DynamoPersonalDataStore(dynamoDocumentClient(), tables);

export const insightsStore = (tables: InsightsTables) =>
  new DynamoInsightsStore(dynamoDocumentClient(), tables);

export const importStore = (table: string) => new DynamoImportStore(dynamoDocumentClient(), table);
export const importedContactWriter = (tables: { contacts: string; consent: string }) =>
  new DynamoImportedContactWriter(dynamoDocumentClient(), tables);

export const apiKeyStore = (table: string): ApiKeyStore =>
  new DynamoApiKeyStore(dynamoDocumentClient(), table);

/**
 * Access tokens of the user pool, checked against its JWKS (fetched on the first token). The
 * verifier is built on the first token too: jose's remote key set touches Node's fetch
 * (`Headers`), whose lazy load cost the API about 20 ms of cold start that a request with an
 * API key never needs.
 */
export function accessTokenVerifier(options: { issuer: string; clientId: string }): AccessTokenVerifier {
  const verifier = onFirstUse(() => new CognitoAccessTokenVerifier(options));
  return { verify: (token) => verifier().verify(token) };
}

let cognito: CognitoIdentityProviderClient | undefined;
/**
 * The pool's users, its client built on the first users route (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
 * points it at cognito-local).
 */
export function userDirectory(userPoolId: string): UserDirectory {
  const directory = onFirstUse(() => {
    cognito ??= new CognitoIdentityProviderClient({});
    return new CognitoUserDirectory(cognito, userPoolId);
  });
  return {
    invite: (email, role) => directory().invite(email, role),
    list: () => directory().list(),
    update: (username, change) => directory().update(username, change),
  };
}

let s3: S3Client | undefined;
/**
 * Import files in `bucket`. Path-style addressing only against a local endpoint
 * (AWS_ENDPOINT_URL_S3: fauxqs); checksums only when S3 requires them, so a presigned PUT
 * carries no checksum of an empty body.
 */
export function importFiles(bucket: string): ImportFiles {
  const files = onFirstUse(() => {
    s3 ??= new S3Client({
      forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3ImportFiles(s3, bucket);
  });
  return {
    uploadUrl: (key, expiresInSeconds) => files().uploadUrl(key, expiresInSeconds),
    head: (key) => files().head(key),
    open: (key, etag) => files().open(key, etag),
  };
}

let sqs: SQSClient | undefined;
export function importQueue(url: string): ImportQueue {
  const queue = onFirstUse(() => {
    sqs ??= new SQSClient({});
    return new SqsImportQueue(sqs, url);
  });
  return { continueImport: (importId) => queue().continueImport(importId) };
}

export function workQueue(urls: QueueUrls): WorkQueue {
  const queue = onFirstUse(() => {
    sqs ??= new SQSClient({});
    return new SqsWorkQueue(sqs, urls);
  });
  return {
    sendDispatch: (messages) => queue().sendDispatch(messages),
    sendRecipients: (messages) => queue().sendRecipients(messages),
  };
}

/** Transactional messages and their Idempotency-Keys (the `messages` table). */
export const messageStore = (table: string): MessageStore =>
  new DynamoMessageStore(dynamoDocumentClient(), table);

/** The transactional queue, ahead of campaign traffic. */
export function transactionalQueue(url: string): TransactionalQueue {
  const queue = onFirstUse(() => {
    sqs ??= new SQSClient({});
    return new SqsTransactionalQueue(sqs, url);
  });
  return { enqueue: (messageId) => queue().enqueue(messageId) };
}

/** Delays a received message (quiet hours, a provider's backoff) on the queue it came from. */
export function messageVisibility(): MessageVisibility {
  const visibility = onFirstUse(() => new SqsMessageVisibility());
  return { delay: (message, seconds) => visibility().delay(message, seconds) };
}

let ses: SESv2Client | undefined;
export function emailProvider(options: { from: string; configurationSet?: string }): EmailProvider {
  const provider = onFirstUse(() => {
    // One attempt: a retry after a 5xx or a lost answer can send the mail twice (SES has no
    // idempotency key); failures are classified and retried, or not, by the delivery loop.
    ses ??= new SESv2Client({ maxAttempts: 1 });
    return new SesEmailProvider(ses, options);
  });
  return { send: (message) => provider().send(message) };
}

let sesAccount: SesAccount | undefined;
/** The SES account's state (GetAccount, a read: the SDK's own retries are safe), one per container. */
export function emailAccount(): EmailAccount {
  return {
    state: (options) => {
      sesAccount ??= new SesAccount(new SESv2Client({}));
      return sesAccount.state(options);
    },
  };
}

export const secretSource = (): SecretSource => new SecretsManagerSource();

/** The key of the do-not-contact hashes, read through the secret cache on each use. */
export function erasureKey(secrets: SecretSource, secretId: string): () => Promise<string> {
  return () => secrets.getSecret(secretId);
}

/**
 * The key short SMS links are derived with: the token keyring's current key (a rotation gives
 * each contact × topic a new link from then on; the old ones keep resolving).
 */
export function linkKey(secrets: SecretSource, secretId: string): () => Promise<string> {
  const keyring = tokenKeyring(secrets, secretId);
  return async () => {
    const { current, keys } = await keyring();
    const key = keys[current];
    if (key === undefined) throw new Error(`Token keyring has no current key "${current}"`);
    return key.secret;
  };
}

/** The token keyring, read through the secret cache on each use so a rotation is picked up. */
export function tokenKeyring(secrets: SecretSource, secretId: string): () => Promise<TokenKeyring> {
  return async () => parseTokenKeyring(await secrets.getSecret(secretId));
}

export const testSendGuard = (table: string) => new DynamoTestSendGuard(dynamoDocumentClient(), table);

/** Where Kavenegar is and how long a call may take; its key is a secret. */
export interface KavenegarSettings {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly apiKeySecretId: string;
}

/** A Kavenegar client built on first use (a failed key read is tried again on the next). */
export function kavenegarClient(
  secrets: SecretSource,
  settings: KavenegarSettings,
): () => Promise<KavenegarClient> {
  let client: Promise<KavenegarClient> | undefined;
  return () => {
    client ??= secrets
      .getSecret(settings.apiKeySecretId)
      .then(
        (apiKey) => new KavenegarClient({ baseUrl: settings.baseUrl, apiKey, timeoutMs: settings.timeoutMs }),
      );
    client.catch(() => {
      client = undefined;
    });
    return client;
  };
}

/** Kavenegar's account/info credit, cached 30 s per container. */
export const smsProviderAccount = (client: () => Promise<KavenegarClient>): ProviderAccount =>
  new KavenegarProviderAccount(client);

/**
 * Kavenegar's shared budget (the `kavenegar-sms` item of the rateLimits table): CHAPAR_SMS_RATE
 * messages and CHAPAR_KAVENEGAR_CALL_RATE calls in any sliding second, for every caller.
 */
export interface KavenegarRateSettings {
  readonly table: string;
  readonly perSecond: number;
  readonly guardMs: number;
  /** Kavenegar API calls per second, all callers together (CHAPAR_KAVENEGAR_CALL_RATE). */
  readonly callsPerSecond: number;
  /** How long a lease of a caller that died holds its units: the function's timeout. */
  readonly maxHoldMs: number;
  /** Share of the rate left free while transactional SMS flow (CHAPAR_SMS_TRANSACTIONAL_SHARE). */
  readonly reservedShare?: number;
}

/** The variables a function given the rateLimits table reads Kavenegar's budget from. */
export type KavenegarRateVariables = Readonly<
  Pick<
    Env,
    | 'RATE_LIMITS_TABLE'
    | 'CHAPAR_SMS_RATE'
    | 'CHAPAR_SMS_RATE_GUARD_MS'
    | 'CHAPAR_KAVENEGAR_CALL_RATE'
    | 'CHAPAR_SMS_TRANSACTIONAL_SHARE'
  >
>;

/**
 * Kavenegar's budget as every caller holds it: its variables, and `maxHoldMs`, the caller's
 * timeout, so a lease of a caller that died in its call is held as long as that call may run.
 * Every caller leaves the transactional share free unless its lease is a priority one.
 */
export function kavenegarRateOf(config: KavenegarRateVariables, maxHoldMs: number): KavenegarRateSettings {
  return {
    table: config.RATE_LIMITS_TABLE,
    perSecond: config.CHAPAR_SMS_RATE,
    guardMs: config.CHAPAR_SMS_RATE_GUARD_MS,
    callsPerSecond: config.CHAPAR_KAVENEGAR_CALL_RATE,
    maxHoldMs,
    reservedShare: config.CHAPAR_SMS_TRANSACTIONAL_SHARE,
  };
}

/** The shared SMS rate as the senders hold it (CHAPAR_SMS_RATE, in the rateLimits table). */
export interface SmsRateSettings extends KavenegarRateSettings {
  /** Longest wait for budget in one send. */
  readonly maxWaitMs: number;
}

/** Kavenegar's one budget: every sender, the transactional sender and the status polls share it. */
export function kavenegarRate(rate: KavenegarRateSettings): DynamoRateLimiter {
  return new DynamoRateLimiter({
    client: dynamoDocumentClient(),
    tableName: rate.table,
    name: 'kavenegar-sms',
    limitPerSecond: rate.perSecond,
    skewMs: rate.guardMs,
    maxHoldMs: rate.maxHoldMs,
    callsPerSecond: rate.callsPerSecond,
    unitsPerCall: MAX_RECEPTORS_PER_CALL,
    ...(rate.reservedShare === undefined ? {} : { reservedShare: rate.reservedShare }),
  });
}

/** Kavenegar from the one verified line, behind the shared SMS rate; built on first use. */
export function rateLimitedSms(
  client: () => Promise<KavenegarClient>,
  sender: string,
  rate: SmsRateSettings,
): SmsBatchProvider {
  let provider: Promise<SmsBatchProvider> | undefined;
  const build = async (): Promise<SmsBatchProvider> => {
    const limiter = kavenegarRate(rate);
    const kavenegar = new KavenegarSmsProvider({
      client: await client(),
      sender,
      maxPerCall: rate.perSecond,
    });
    return new RateLimitedSmsProvider(kavenegar, limiter, { maxWaitMs: rate.maxWaitMs });
  };
  return {
    sendDetailed: async (messages, options) => {
      provider ??= build();
      provider.catch(() => {
        provider = undefined;
      });
      return (await provider).sendDetailed(messages, options);
    },
  };
}
