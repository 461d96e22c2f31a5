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
  /** What the index copies: every attribute (default), or only the keys to look items up by. */
  readonly projection?: 'ALL' | 'KEYS_ONLY';
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
    indexes: [
      // Sparse: set once a message is sent, so spoof reports can find what we sent to a number.
      {
        name: 'byRecipient',
        partitionKey: { name: 'recipient', type: 'S' },
        sortKey: { name: 'sentAt', type: 'S' },
      },
      // Sparse: set when a delivery ends, so erasure and export find every message of a contact,
      // whatever addresses they have now. Keys only: the lookup reads the items themselves.
      {
        name: 'byContact',
        partitionKey: { name: 'contactId', type: 'S' },
        sortKey: pk,
        projection: 'KEYS_ONLY',
      },
      // Sparse: the provider's message id, so a delivery report finds its delivery.
      { name: 'byProviderMessage', partitionKey: { name: 'providerMessageId', type: 'S' } },
      // Sparse: SMS whose final status is not known yet, spread over shards, oldest first.
      {
        name: 'inFlight',
        partitionKey: { name: 'inFlightShard', type: 'S' },
        sortKey: { name: 'sentAt', type: 'S' },
      },
    ],
  },
  /** Spoofed-SMS reports and their verdicts. */
  reports: {
    id: 'Reports',
    envVar: 'REPORTS_TABLE',
    partitionKey: pk,
    // Sparse: only reports that name their reporter, so an erasure finds what a person filed.
    indexes: [
      { name: 'byReporterPhone', partitionKey: { name: 'reporterPhone', type: 'S' } },
      { name: 'byReporterEmail', partitionKey: { name: 'reporterEmail', type: 'S' } },
      // Sparse: spoofed reports waiting for their line's abuse digest, oldest first.
      {
        name: 'pendingDigest',
        partitionKey: { name: 'digestPending', type: 'S' },
        sortKey: { name: 'createdAt', type: 'S' },
      },
    ],
  },
  /** Short SMS unsubscribe links: code → the same claims an unsubscribe token carries. */
  links: {
    id: 'Links',
    envVar: 'LINKS_TABLE',
    partitionKey: pk,
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  /** The provider rate limiter's grant log (one item per limit), shared by every concurrent sender. */
  rateLimits: {
    id: 'RateLimits',
    envVar: 'RATE_LIMITS_TABLE',
    partitionKey: pk,
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  /** Do-not-contact tombstones of erased people: keyed HMACs of their phone and email. */
  suppressions: {
    id: 'Suppressions',
    envVar: 'SUPPRESSIONS_TABLE',
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
  'http-delivery-report',
  'schedule-reconcile-sms',
  'queue-ses-feedback',
  'schedule-abuse-digest',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const QUEUE_NAMES = ['dispatch', 'sms', 'email', 'sesFeedback'] as const;
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
    // One record carries up to 200 recipients: one Kavenegar call (its per-call maximum).
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 6 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 200,
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
  /** SES bounce and complaint events, delivered from the `sesEvents` topic. */
  sesFeedback: {
    id: 'SesFeedbackQueue',
    envVar: 'SES_FEEDBACK_QUEUE_URL',
    consumer: 'queue-ses-feedback',
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maximumConcurrency: 2,
    visibilityTimeoutSeconds: 3 * 60,
    maxReceiveCount: 5,
    recipientsPerMessage: 0,
  },
} as const satisfies Record<QueueName, QueueDefinition>;

/** SNS topics and the queues subscribed to them (SNS envelopes: raw message delivery off). */
export const topics = {
  /** The SES configuration set's event destination: bounces, complaints, deliveries. */
  sesEvents: { id: 'SesEventsTopic', subscribers: ['sesFeedback'] as readonly QueueName[] },
} as const;

export type TopicName = keyof typeof topics;

/** Secrets in Secrets Manager; functions receive the secret's id in `envVar`. */
export const secrets = {
  apiKey: {
    id: 'ApiKeySecret',
    name: 'chapar/api-key',
    envVar: 'API_KEY_SECRET_ID',
    rotation: 'Shared with the marketer out of band; rotated by the operator together with the marketer',
  },
  tokenKeys: {
    id: 'TokenKeysSecret',
    name: 'chapar/token-keys',
    envVar: 'TOKEN_KEYS_SECRET_ID',
    rotation: 'A keyring: rotation adds a key id and moves "current", so links already sent keep working',
  },
  webhookSecret: {
    id: 'WebhookSecret',
    name: 'chapar/webhook-secret',
    envVar: 'WEBHOOK_SECRET_ID',
    rotation: 'Shared with the report sender; rotated by the operator together with the sender',
  },
  kavenegarApiKey: {
    id: 'KavenegarApiKeySecret',
    name: 'chapar/kavenegar-api-key',
    envVar: 'KAVENEGAR_API_KEY_SECRET_ID',
    rotation: 'Issued by Kavenegar in its panel; the operator replaces it there and here',
  },
  deliveryCallbackSecret: {
    id: 'DeliveryCallbackSecret',
    name: 'chapar/delivery-callback-secret',
    envVar: 'DELIVERY_CALLBACK_SECRET_ID',
    rotation: "Part of the callback URL set in Kavenegar's panel; rotated there and here together",
  },
  erasureKey: {
    id: 'ErasureKeySecret',
    name: 'chapar/erasure-key',
    envVar: 'ERASURE_KEY_SECRET_ID',
    rotation: 'Keys the do-not-contact hashes: rotating it would forget every erased person',
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
    tables: {
      contacts: 'readWrite',
      campaigns: 'readWrite',
      consent: 'readWrite',
      deliveries: 'readWrite',
      reports: 'readWrite',
      suppressions: 'readWrite',
    },
    sendsTo: ['dispatch'],
    secrets: ['apiKey', 'erasureKey'],
    sendsEmail: false,
  },
  'http-unsubscribe': {
    id: 'HttpUnsubscribeFunction',
    entry: 'functions/http-unsubscribe/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { contacts: 'read', consent: 'readWrite', links: 'read' },
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
    sendsEmail: false,
  },
  'schedule-abuse-digest': {
    id: 'ScheduleAbuseDigestFunction',
    entry: 'functions/schedule-abuse-digest/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { reports: 'readWrite' },
    sendsTo: [],
    secrets: [],
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
    tables: {
      contacts: 'read',
      campaigns: 'readWrite',
      consent: 'read',
      deliveries: 'readWrite',
      links: 'readWrite',
      rateLimits: 'readWrite',
      suppressions: 'read',
    },
    sendsTo: [],
    secrets: ['kavenegarApiKey'],
    sendsEmail: false,
    reservedConcurrency: 2,
  },
  'queue-send-email': {
    id: 'QueueSendEmailFunction',
    entry: 'functions/queue-send-email/handler.ts',
    timeoutSeconds: 60,
    memoryMb: 512,
    tables: {
      contacts: 'read',
      campaigns: 'readWrite',
      consent: 'read',
      deliveries: 'readWrite',
      suppressions: 'read',
    },
    sendsTo: [],
    secrets: ['tokenKeys'],
    sendsEmail: true,
    reservedConcurrency: 4,
  },
  'http-delivery-report': {
    id: 'HttpDeliveryReportFunction',
    entry: 'functions/http-delivery-report/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: { deliveries: 'readWrite', campaigns: 'readWrite', consent: 'readWrite' },
    sendsTo: [],
    secrets: ['deliveryCallbackSecret'],
    sendsEmail: false,
  },
  'schedule-reconcile-sms': {
    id: 'ScheduleReconcileSmsFunction',
    entry: 'functions/schedule-reconcile-sms/handler.ts',
    timeoutSeconds: 120,
    memoryMb: 512,
    tables: { deliveries: 'readWrite', campaigns: 'readWrite', consent: 'readWrite' },
    sendsTo: [],
    secrets: ['kavenegarApiKey'],
    sendsEmail: false,
  },
  'queue-ses-feedback': {
    id: 'QueueSesFeedbackFunction',
    entry: 'functions/queue-ses-feedback/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    tables: { contacts: 'read', deliveries: 'readWrite', campaigns: 'readWrite', consent: 'readWrite' },
    sendsTo: [],
    secrets: [],
    sendsEmail: false,
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
  /** For a public route: what protects it instead of the API key (cdk-nag's written reason). */
  readonly proof?: string;
  /** Requests per second (steady and burst) below the stage's default, for routes others call. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

const TOKEN_PROOF = 'Unsubscribe link: the path carries a signed, opaque token (RFC 8058 forbids auth on it)';
const SHORT_LINK_PROOF =
  'SMS unsubscribe link: the path carries an unguessable random code; a GET changes nothing';

export const routes: readonly RouteDefinition[] = [
  { method: 'PUT', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/campaigns/{campaignId}', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/cancel', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/{campaignId}/resume', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/campaigns/preview', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}/consent', function: 'http-api', public: false },
  { method: 'POST', path: '/v1/contacts/{contactId}/consent', function: 'http-api', public: false },
  { method: 'GET', path: '/v1/contacts/{contactId}/export', function: 'http-api', public: false },
  { method: 'DELETE', path: '/v1/contacts/{contactId}', function: 'http-api', public: false },
  { method: 'GET', path: '/u/{token}', function: 'http-unsubscribe', public: true, proof: TOKEN_PROOF },
  { method: 'POST', path: '/u/{token}', function: 'http-unsubscribe', public: true, proof: TOKEN_PROOF },
  { method: 'GET', path: '/s/{code}', function: 'http-unsubscribe', public: true, proof: SHORT_LINK_PROOF },
  { method: 'POST', path: '/s/{code}', function: 'http-unsubscribe', public: true, proof: SHORT_LINK_PROOF },
  {
    method: 'POST',
    path: '/v1/reports/spoofed-sms',
    function: 'http-spoof-report',
    public: true,
    proof: 'Webhook: the body is verified by HMAC-SHA256 signature and timestamp inside the function',
    // One caller (the reporting app's backend): enough for real reports, far too little to flood.
    throttle: { rateLimit: 5, burstLimit: 20 },
  },
  {
    method: 'POST',
    path: '/v1/callbacks/kavenegar/{secret}',
    function: 'http-delivery-report',
    public: true,
    proof:
      'Delivery reports: Kavenegar cannot sign them, so the path carries a secret compared in constant time',
  },
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
  {
    id: 'SendAbuseDigests',
    function: 'schedule-abuse-digest',
    expression: 'rate(1 minute)',
    localEverySeconds: 2,
  },
  {
    id: 'ReconcileSmsStatuses',
    function: 'schedule-reconcile-sms',
    expression: 'rate(5 minutes)',
    localEverySeconds: 5,
  },
];

/** Number of shards a campaign's stats counters are spread over (hot-partition guard). */
export const STATS_SHARDS = 8;
