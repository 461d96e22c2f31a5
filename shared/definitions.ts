/**
 * The one description of Chapar's resources. infra/ turns it into CloudFormation and
 * local/ turns it into emulator tables, queues, routes and schedules, so the two cannot
 * drift. Pure data: no AWS SDK, no CDK, no process.env.
 */

export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Stable CDK id, and the table's name on the local platform. */
  readonly id: string;
  /** Environment variable that carries the table's name to a function. */
  readonly envVar: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  readonly indexes: readonly IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  readonly timeToLiveAttribute?: string;
}

const pk: KeyDefinition = { name: 'pk', type: 'S' };
const sk: KeyDefinition = { name: 'sk', type: 'S' };

export const tables = {
  /** Contacts by the marketer's contactId; `ref` is the opaque id unsubscribe tokens carry. */
  contacts: {
    id: 'Contacts',
    envVar: 'CONTACTS_TABLE',
    partitionKey: pk,
    indexes: [{ name: 'byRef', partitionKey: { name: 'ref', type: 'S' } }],
  },
  /** Campaign item (sk `campaign`) and its sharded stats counters (sk `stats#<n>`). */
  campaigns: {
    id: 'Campaigns',
    envVar: 'CAMPAIGNS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    // Sparse: only campaigns that need the dispatcher (scheduled, or dispatching with an expired
    // lease) carry dueBucket, so the every-minute sweep reads only what is due.
    indexes: [
      {
        name: 'due',
        partitionKey: { name: 'dueBucket', type: 'S' },
        sortKey: { name: 'dueAt', type: 'S' },
      },
    ],
  },
  /** Per contact: consent state (sk `state#<channel>#<topic>`) and its ledger (sk `event#...`). */
  consent: {
    id: 'Consent',
    envVar: 'CONSENT_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
  },
  /** One item per campaign, contact and channel: the exactly-once send ledger. */
  deliveries: {
    id: 'Deliveries',
    envVar: 'DELIVERIES_TABLE',
    partitionKey: pk,
    sortKey: sk,
    // Sparse: set once a message is sent, so spoof reports can find what we sent to a number.
    indexes: [
      {
        name: 'byRecipient',
        partitionKey: { name: 'recipient', type: 'S' },
        sortKey: { name: 'sentAt', type: 'S' },
      },
    ],
  },
  /** Spoofed-SMS reports and their verdicts. */
  reports: {
    id: 'Reports',
    envVar: 'REPORTS_TABLE',
    partitionKey: pk,
    indexes: [],
  },
  /** Powertools idempotency records (webhook deliveries). */
  idempotency: {
    id: 'Idempotency',
    envVar: 'IDEMPOTENCY_TABLE',
    partitionKey: { name: 'id', type: 'S' },
    indexes: [],
    timeToLiveAttribute: 'expiration',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof tables;

/** Function names: `<trigger>-<action>`, one folder each under functions/. */
export const FUNCTION_NAMES = [
  'http-api',
  'http-unsubscribe',
  'http-spoof-report',
  'schedule-dispatch',
  'queue-dispatch-campaign',
  'queue-send-sms',
  'queue-send-email',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const QUEUE_NAMES = ['dispatch', 'sms', 'email'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface QueueDefinition {
  readonly id: string;
  readonly envVar: string;
  /** Consumer function; Lambda's event source mapping settings. */
  readonly consumer: FunctionName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Caps how hard a provider is hit; at or under the consumer's reserved concurrency. */
  readonly maximumConcurrency: number;
  /** At least 6 times the consumer's timeout (AWS guidance). */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's DLQ. */
  readonly maxReceiveCount: number;
  /** Recipients carried by one message of this queue (dispatcher chunking). */
  readonly recipientsPerMessage: number;
}

export const queues = {
  /** Fan-out work: one message per page of a campaign's audience. */
  dispatch: {
    id: 'DispatchQueue',
    envVar: 'DISPATCH_QUEUE_URL',
    consumer: 'queue-dispatch-campaign',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 0,
  },
  sms: {
    id: 'SmsQueue',
    envVar: 'SMS_QUEUE_URL',
    consumer: 'queue-send-sms',
    batchSize: 2,
    maxBatchingWindowSeconds: 1,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 100,
  },
  email: {
    id: 'EmailQueue',
    envVar: 'EMAIL_QUEUE_URL',
    consumer: 'queue-send-email',
    batchSize: 5,
    maxBatchingWindowSeconds: 1,
    maximumConcurrency: 4,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 10,
  },
} as const satisfies Record<QueueName, QueueDefinition>;

/** Secrets in Secrets Manager; functions receive the secret's id in `envVar`. */
export const secrets = {
  apiKey: { id: 'ApiKeySecret', name: 'chapar/api-key', envVar: 'API_KEY_SECRET_ID' },
  tokenKeys: { id: 'TokenKeysSecret', name: 'chapar/token-keys', envVar: 'TOKEN_KEYS_SECRET_ID' },
  webhookSecret: { id: 'WebhookSecret', name: 'chapar/webhook-secret', envVar: 'WEBHOOK_SECRET_ID' },
  kavenegarApiKey: {
    id: 'KavenegarApiKeySecret',
    name: 'chapar/kavenegar-api-key',
    envVar: 'KAVENEGAR_API_KEY_SECRET_ID',
  },
} as const;

export type SecretName = keyof typeof secrets;

export type Access = 'read' | 'readWrite';

export interface FunctionDefinition {
  readonly id: string;
  /** Path of the handler module from the project root; it exports `handler`. */
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly tables: Partial<Record<TableName, Access>>;
  readonly sendsTo: readonly QueueName[];
  readonly secrets: readonly SecretName[];
  /** Sends email through SES. */
  readonly sendsEmail: boolean;
  /** Reserved concurrency, when the function must never exceed a provider's limits. */
  readonly reservedConcurrency?: number;
}

export const functions = {
  'http-api': {
    id: 'HttpApiFunction',
    entry: 'functions/http-api/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    tables: { contacts: 'readWrite', campaigns: 'readWrite' },
    sendsTo: ['dispatch'],
    secrets: ['apiKey'],
    sendsEmail: false,
  },
  'http-unsubscribe': {
    id: 'HttpUnsubscribeFunction',
    entry: 'functions/http-unsubscribe/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { contacts: 'read', consent: 'readWrite' },
    sendsTo: [],
    secrets: ['tokenKeys'],
    sendsEmail: false,
  },
  'http-spoof-report': {
    id: 'HttpSpoofReportFunction',
    entry: 'functions/http-spoof-report/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    // Reading deliveries needs the campaigns table's name: the store counts outcomes there.
    tables: { reports: 'readWrite', deliveries: 'read', campaigns: 'read', idempotency: 'readWrite' },
    sendsTo: [],
    secrets: ['webhookSecret'],
    sendsEmail: true,
  },
  'schedule-dispatch': {
    id: 'ScheduleDispatchFunction',
    entry: 'functions/schedule-dispatch/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { campaigns: 'read' },
    sendsTo: ['dispatch'],
    secrets: [],
    sendsEmail: false,
  },
  'queue-dispatch-campaign': {
    id: 'QueueDispatchCampaignFunction',
    entry: 'functions/queue-dispatch-campaign/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { contacts: 'read', campaigns: 'readWrite' },
    sendsTo: ['dispatch', 'sms', 'email'],
    secrets: [],
    sendsEmail: false,
  },
  'queue-send-sms': {
    id: 'QueueSendSmsFunction',
    entry: 'functions/queue-send-sms/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { contacts: 'read', campaigns: 'readWrite', consent: 'read', deliveries: 'readWrite' },
    sendsTo: [],
    secrets: ['kavenegarApiKey', 'tokenKeys'],
    sendsEmail: false,
    reservedConcurrency: 2,
  },
  'queue-send-email': {
    id: 'QueueSendEmailFunction',
    entry: 'functions/queue-send-email/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: { contacts: 'read', campaigns: 'readWrite', consent: 'read', deliveries: 'readWrite' },
    sendsTo: [],
    secrets: ['tokenKeys'],
    sendsEmail: true,
    reservedConcurrency: 4,
  },
} as const satisfies Record<FunctionName, FunctionDefinition>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway route path with {parameters}. */
  readonly path: string;
  readonly function: FunctionName;
  /** Public routes carry their own proof (a signed token or signature) instead of the API key. */
  readonly public: boolean;
}

export const routes: readonly RouteDefinition[] = [
  { method: 'PUT', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/campaigns/{campaignId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/cancel', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/resume', function: 'http-api', public: false },
  { method: 'GET', path: '/u/{token}', function: 'http-unsubscribe', public: true },
  { method: 'POST', path: '/u/{token}', function: 'http-unsubscribe', public: true },
  { method: 'POST', path: '/v1/reports/spoofed-sms', function: 'http-spoof-report', public: true },
];

export interface ScheduleDefinition {
  readonly id: string;
  readonly function: FunctionName;
  /** EventBridge Scheduler expression in the cloud. */
  readonly expression: string;
  /** How often the local platform fires it. */
  readonly localEverySeconds: number;
}

export const schedules: readonly ScheduleDefinition[] = [
  {
    id: 'DispatchDueCampaigns',
    function: 'schedule-dispatch',
    expression: 'rate(1 minute)',
    localEverySeconds: 1,
  },
];

/** Number of shards a campaign's stats counters are spread over (hot-partition guard). */
export const STATS_SHARDS = 8;
