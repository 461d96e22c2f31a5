/** Lambda functions and what each may read, write, send to and is configured with. */

import type { BucketName } from './buckets';
import type { QueueName } from './queues';
import type { SecretName } from './secrets';
import type { TableName } from './tables';
import type { UserPoolAccess } from './user-pool';

/** Function names: `<trigger>-<action>`, one folder each under functions/. */
export const FUNCTION_NAMES = [
  'http-api',
  'http-unsubscribe',
  'http-spoof-report',
  'schedule-dispatch',
  'queue-dispatch-campaign',
  'queue-send-sms',
  'queue-send-email',
  'queue-send-message',
  'schedule-poll-sms-status',
  'queue-delivery-reports',
  'queue-ses-feedback',
  'schedule-abuse-digest',
  'queue-import-contacts',
  'http-docs',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export type Access = 'read' | 'readWrite';

/**
 * How a function sends email through SES: `plain` with the From address only, `withEvents`
 * through the configuration set too, which publishes bounces and complaints (sesEvents).
 */
export type EmailSending = 'plain' | 'withEvents';

/**
 * Plain settings a function may name: configuration with no resource or permission behind it.
 * The rate limits and the SES variables are not here: they come with the rateLimits table and
 * with `sendsEmail`.
 */
export const SETTING_NAMES = [
  'CHAPAR_SMS_SENDER',
  'CHAPAR_ABUSE_EMAIL',
  'CHAPAR_ABUSE_DIGEST_MINUTES',
  'CHAPAR_PUBLIC_BASE_URL',
  'CHAPAR_SMS_OPT_OUT_SUFFIX',
  'CHAPAR_QUIET_HOURS',
  'CHAPAR_DELIVERY_RETENTION_DAYS',
  'KAVENEGAR_BASE_URL',
  'KAVENEGAR_TIMEOUT_MS',
  'CHAPAR_SMS_DELIVERY_CALLBACK',
  'CHAPAR_SMS_PRICE_RIAL',
  'CHAPAR_MESSAGE_RETENTION_DAYS',
] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export interface FunctionDefinition {
  readonly id: string;
  /** Path of the handler module from the project root; it exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly tables: Partial<Record<TableName, Access>>;
  readonly sendsTo: readonly QueueName[];
  readonly secrets: readonly SecretName[];
  /** Sends email through SES, and how; false when it sends none. */
  readonly sendsEmail: false | EmailSending;
  /** The plain settings the function reads. */
  readonly settings: readonly SettingName[];
  /** Reserved concurrency, when the function must never exceed a provider's limits. */
  readonly reservedConcurrency?: number;
  /** Size of /tmp in MiB, when 512 is too little. @default 512 */
  readonly ephemeralStorageMb?: number;
  /**
   * S3 buckets it uses: `read` gets objects, `presignPut` signs upload URLs (the URL acts with
   * the function's own PutObject permission). @default none
   */
  readonly buckets?: Partial<Record<BucketName, BucketAccess>>;
  /**
   * Files copied into the bundle beside the handler, where the function reads them at run time:
   * path in the bundle → path from the project root. templates/ is always copied. @default none
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
  /**
   * Packages its cold start never needs, shipped beside the handler as their own minified file
   * (`node_modules/<package>/index.js` in the bundle, infra/side-modules.mjs) instead of inside
   * `index.mjs`: the code must load them lazily (`require` inside a function, or `import()`), and
   * Node reads and parses them only then. @default none
   */
  readonly sideModules?: readonly string[];
  /** What it does with the Cognito user pool (user-pool.ts). @default none */
  readonly userPool?: UserPoolAccess;
}

export type BucketAccess = 'read' | 'presignPut';

export const functions = {
  'http-api': {
    id: 'HttpApiFunction',
    entry: 'functions/http-api/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    // Only previews, test sends and templates convert HTML to text.
    sideModules: ['html-to-text'],
    tables: {
      contacts: 'readWrite',
      campaigns: 'readWrite',
      consent: 'readWrite',
      deliveries: 'readWrite',
      reports: 'readWrite',
      suppressions: 'readWrite',
      audiences: 'readWrite',
      imports: 'readWrite',
      messages: 'readWrite',
      apiKeys: 'readWrite',
      templates: 'readWrite',
      // Test sends: their short links, the shared SMS rate, and the guard against a retried call.
      links: 'readWrite',
      rateLimits: 'readWrite',
      idempotency: 'readWrite',
    },
    sendsTo: ['dispatch', 'transactional'],
    // apiKey: the bootstrap admin key, beside the keys admins make (apiKeys) and sign-ins (userPool).
    // kavenegarApiKey: account/info for pre-flight cost, and test sends; tokenKeys: their links.
    secrets: ['apiKey', 'erasureKey', 'kavenegarApiKey', 'tokenKeys'],
    // Test sends carry no campaign tag: their bounces and complaints never count in its stats.
    sendsEmail: 'plain',
    settings: [
      'CHAPAR_PUBLIC_BASE_URL',
      'CHAPAR_SMS_OPT_OUT_SUFFIX',
      'CHAPAR_SMS_SENDER',
      'CHAPAR_SMS_PRICE_RIAL',
      // Quiet hours: a campaign's GET says its SMS wait, and a preview warns of a sendAt in them.
      'CHAPAR_QUIET_HOURS',
      'KAVENEGAR_BASE_URL',
      'KAVENEGAR_TIMEOUT_MS',
      'CHAPAR_MESSAGE_RETENTION_DAYS',
    ],
    buckets: { imports: 'presignPut' },
    userPool: 'manage',
  },
  'http-unsubscribe': {
    id: 'HttpUnsubscribeFunction',
    entry: 'functions/http-unsubscribe/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { contacts: 'read', consent: 'readWrite', links: 'read', suppressions: 'readWrite' },
    sendsTo: [],
    secrets: ['tokenKeys', 'erasureKey'],
    sendsEmail: false,
    settings: [],
  },
  'http-spoof-report': {
    id: 'HttpSpoofReportFunction',
    entry: 'functions/http-spoof-report/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    // What was sent to the reporter: the contacts holding the phone, then their deliveries.
    tables: { reports: 'readWrite', contacts: 'read', deliveries: 'read', idempotency: 'readWrite' },
    sendsTo: [],
    secrets: ['webhookSecret'],
    // Spoofed reports wait for schedule-abuse-digest: the webhook itself sends no email.
    sendsEmail: false,
    settings: ['CHAPAR_SMS_SENDER'],
  },
  'schedule-dispatch': {
    id: 'ScheduleDispatchFunction',
    entry: 'functions/schedule-dispatch/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    // readWrite: the sweep resumes campaigns paused for SES's daily quota once it has reset.
    tables: { campaigns: 'readWrite' },
    sendsTo: ['dispatch'],
    secrets: [],
    sendsEmail: false,
    settings: [],
  },
  'queue-dispatch-campaign': {
    id: 'QueueDispatchCampaignFunction',
    entry: 'functions/queue-dispatch-campaign/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    // Lists, segments and consent: list and segment audiences (a filter may ask for consent).
    tables: { contacts: 'read', campaigns: 'readWrite', audiences: 'read', consent: 'read' },
    sendsTo: ['dispatch', 'sms', 'email'],
    secrets: [],
    sendsEmail: false,
    settings: ['CHAPAR_PUBLIC_BASE_URL', 'CHAPAR_SMS_OPT_OUT_SUFFIX'],
  },
  'queue-send-sms': {
    id: 'QueueSendSmsFunction',
    entry: 'functions/queue-send-sms/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: {
      contacts: 'read',
      campaigns: 'readWrite',
      consent: 'read',
      deliveries: 'readWrite',
      links: 'readWrite',
      rateLimits: 'readWrite',
      // What went out, for status polling.
      smsPolls: 'readWrite',
      suppressions: 'read',
    },
    sendsTo: [],
    // tokenKeys: the key short links are derived with.
    secrets: ['kavenegarApiKey', 'erasureKey', 'tokenKeys'],
    sendsEmail: false,
    settings: [
      'CHAPAR_SMS_SENDER',
      'CHAPAR_PUBLIC_BASE_URL',
      'CHAPAR_SMS_OPT_OUT_SUFFIX',
      'CHAPAR_QUIET_HOURS',
      'CHAPAR_DELIVERY_RETENTION_DAYS',
      'KAVENEGAR_BASE_URL',
      'KAVENEGAR_TIMEOUT_MS',
    ],
    reservedConcurrency: 3,
  },
  'queue-send-email': {
    id: 'QueueSendEmailFunction',
    entry: 'functions/queue-send-email/handler.ts',
    timeoutSeconds: 60,
    // Mostly waiting for SES's rate, paid by the GB-second while it waits: 128 MB (about 0.07
    // vCPU; 68 MB resident after init) keeps two senders up with SES's 14/s. bench:email prints
    // the rate each size keeps up with; a deployment sets more (CDK context emailSenderMemoryMb)
    // for an account whose MaxSendRate is higher.
    memoryMb: 128,
    tables: {
      contacts: 'read',
      campaigns: 'readWrite',
      consent: 'read',
      deliveries: 'readWrite',
      // SES's run of failed calls (provider health), shared by every concurrent sender.
      rateLimits: 'readWrite',
      suppressions: 'read',
    },
    sendsTo: [],
    secrets: ['tokenKeys', 'erasureKey'],
    sendsEmail: 'withEvents',
    settings: ['CHAPAR_PUBLIC_BASE_URL', 'CHAPAR_DELIVERY_RETENTION_DAYS'],
    reservedConcurrency: 2,
  },
  'queue-send-message': {
    id: 'QueueSendMessageFunction',
    entry: 'functions/queue-send-message/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 512,
    // The API stores every email message with its text part (converted there when the brand
    // sent none), so the sender converts only a record stored without one.
    sideModules: ['html-to-text'],
    // Erasure tombstones and hard bounces are checked again right before each send.
    tables: { messages: 'readWrite', rateLimits: 'readWrite', suppressions: 'read' },
    sendsTo: [],
    secrets: ['kavenegarApiKey', 'erasureKey'],
    // withEvents: SES publishes the bounces and complaints of transactional email too.
    sendsEmail: 'withEvents',
    settings: ['CHAPAR_SMS_SENDER', 'KAVENEGAR_BASE_URL', 'KAVENEGAR_TIMEOUT_MS'],
    reservedConcurrency: 2,
  },
  'schedule-poll-sms-status': {
    id: 'SchedulePollSmsStatusFunction',
    entry: 'functions/schedule-poll-sms-status/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 512,
    tables: {
      smsPolls: 'readWrite',
      deliveries: 'readWrite',
      campaigns: 'readWrite',
      consent: 'readWrite',
      contacts: 'read',
      suppressions: 'readWrite',
      // Transactional SMS have their own poll records on their messages.
      messages: 'readWrite',
      // sms/status calls count against Kavenegar's calls per second, shared with the senders.
      rateLimits: 'readWrite',
    },
    sendsTo: [],
    secrets: ['kavenegarApiKey', 'erasureKey'],
    sendsEmail: false,
    // With the callback on, the reports kept for a batch answer for its SMS instead of Kavenegar.
    settings: ['KAVENEGAR_BASE_URL', 'KAVENEGAR_TIMEOUT_MS', 'CHAPAR_SMS_DELIVERY_CALLBACK'],
  },
  'queue-delivery-reports': {
    id: 'QueueDeliveryReportsFunction',
    entry: 'functions/queue-delivery-reports/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { smsPolls: 'readWrite' },
    sendsTo: [],
    secrets: ['deliveryCallbackSecret'],
    sendsEmail: false,
    settings: [],
  },
  'queue-ses-feedback': {
    id: 'QueueSesFeedbackFunction',
    entry: 'functions/queue-ses-feedback/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: {
      contacts: 'read',
      deliveries: 'readWrite',
      campaigns: 'readWrite',
      consent: 'readWrite',
      suppressions: 'readWrite',
      // Bounces and complaints of transactional email move their message's status.
      messages: 'readWrite',
    },
    sendsTo: [],
    secrets: ['erasureKey'],
    sendsEmail: false,
    settings: [],
  },
  'schedule-abuse-digest': {
    id: 'ScheduleAbuseDigestFunction',
    entry: 'functions/schedule-abuse-digest/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { reports: 'readWrite' },
    sendsTo: [],
    secrets: [],
    // Digests go to an inbox: no bounce or complaint tracking, so no configuration set.
    sendsEmail: 'plain',
    settings: ['CHAPAR_SMS_SENDER', 'CHAPAR_ABUSE_EMAIL', 'CHAPAR_ABUSE_DIGEST_MINUTES'],
  },
  'queue-import-contacts': {
    id: 'QueueImportContactsFunction',
    entry: 'functions/queue-import-contacts/handler.ts',
    // An invocation stops taking chunks a minute before this and hands over to the next.
    timeoutSeconds: 300,
    memoryMb: 1024,
    // Only an .xlsx file needs exceljs (1 MB minified); a CSV import never loads it.
    sideModules: ['exceljs'],
    // exceljs parks a worksheet written before its shared strings (as Excel writes them) in
    // /tmp, uncompressed: a 100 MB workbook can need gigabytes.
    ephemeralStorageMb: 4096,
    tables: {
      imports: 'readWrite',
      contacts: 'readWrite',
      consent: 'readWrite',
      suppressions: 'read',
      // An import with a listId puts its contacts on that list.
      audiences: 'readWrite',
    },
    sendsTo: ['imports'],
    secrets: ['erasureKey'],
    sendsEmail: false,
    settings: [],
    buckets: { imports: 'read' },
  },
  'http-docs': {
    id: 'HttpDocsFunction',
    entry: 'functions/http-docs/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: {},
    sendsTo: [],
    secrets: [],
    sendsEmail: false,
    settings: [],
    // The reference page's renderer, served by the function itself: no CDN.
    bundledFiles: {
      'swagger-ui/swagger-ui-bundle.js': 'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
      'swagger-ui/swagger-ui.css': 'node_modules/swagger-ui-dist/swagger-ui.css',
      'swagger-ui/LICENSE': 'node_modules/swagger-ui-dist/LICENSE',
    },
  },
} as const satisfies Record<FunctionName, FunctionDefinition>;
