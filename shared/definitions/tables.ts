/** DynamoDB tables: keys, indexes, expiry, and the variable that names each to a function. */

import type { IndexDefinition, KeyDefinition } from './types';

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
    indexes: [
      { name: 'byRef', partitionKey: { name: 'ref', type: 'S' } },
      // Sparse, keys only: GET /v1/contacts?q= finds a contact by its normalised phone or email,
      // and an import matches its rows by them. CloudFormation adds one index per table update:
      // on an existing table deploy these two one at a time.
      { name: 'byPhone', partitionKey: { name: 'phone', type: 'S' }, projection: 'KEYS_ONLY' },
      { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, projection: 'KEYS_ONLY' },
    ],
  },
  /**
   * Campaign item (pk = id, sk `campaign`), its stats counters on shards of their own partitions
   * (pk `<id>#stats#<n>`, sk `stats`: never expire), and one record per queue message of what it
   * counted (pk `<id>#counted#<messageId>`, sk `counted`: expires with the deliveries).
   */
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
      // Sparse and keys only: only campaign items carry listKey (their ULID id, so newest first
      // is a backward Query). Campaigns are few (thousands, not the millions of deliveries) and
      // written once here at creation, so one listing partition is well within its limits.
      // CloudFormation adds one index per table update: on an existing table deploy it on its
      // own (and backfill listBucket/listKey on older campaigns to list them).
      {
        name: 'byCreated',
        partitionKey: { name: 'listBucket', type: 'S' },
        sortKey: { name: 'listKey', type: 'S' },
        projection: 'KEYS_ONLY',
      },
      // Sparse, keys only: only campaign items carry `status` (stats shards, timeline buckets and
      // dispatch units do not), so the campaigns sending now are one small Query, and
      // GET /v1/campaigns?status= reads one status newest first (pk is a ULID).
      {
        name: 'byStatus',
        partitionKey: { name: 'status', type: 'S' },
        sortKey: pk,
        projection: 'KEYS_ONLY',
      },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /** Per contact: consent state (sk `state#<channel>#<topic>`) and its ledger (sk `event#...`). */
  consent: {
    id: 'Consent',
    envVar: 'CONSENT_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
  },
  /**
   * One item per campaign, contact and channel, the exactly-once send ledger, in the contact's
   * partition (pk = contactId, sk `<campaignId>#<channel>`: delivery-keys.ts), and one record
   * per provider call of a sender run (pk `attempt#<run>`). Both expire after
   * CHAPAR_DELIVERY_RETENTION_DAYS; the stats they counted stay on the campaign's counters.
   */
  deliveries: {
    id: 'Deliveries',
    envVar: 'DELIVERIES_TABLE',
    partitionKey: pk,
    sortKey: sk,
    // No index: export and erasure read the contact's partition, and spoof verdicts reach it
    // through the Contacts table's `byPhone` index, so no write of the ledger pays for an index.
    indexes: [] as readonly IndexDefinition[],
    // Delivery and attempt records expire CHAPAR_DELIVERY_RETENTION_DAYS after their last claim
    // (their counts live on stats shards that never expire).
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Sent SMS waiting for their final status: one item per provider attempt (its SMS, what was
   * applied), polled with sms/status on a schedule that follows its age. Expires after the
   * provider's status window.
   */
  smsPolls: {
    id: 'SmsStatusPolls',
    envVar: 'SMS_POLLS_TABLE',
    partitionKey: pk,
    indexes: [
      // Sparse and keys only: batches still polled, by when they are due; rewritten once a poll.
      {
        name: 'due',
        partitionKey: { name: 'pollBucket', type: 'S' },
        sortKey: { name: 'dueAt', type: 'S' },
        projection: 'KEYS_ONLY',
      },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Spoofed-SMS reports and their verdicts, and the account's daily count of them (pk
   * `overview#<shard>`, sk `day#<Tehran day>`, written with each report).
   */
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
      // GET /v1/reports: by verdict, newest first (the id is a ULID). Narrow: only what the
      // listing shows. The reporter's phone and email are copied here only as attributes of the
      // report item, so an erasure that removes them from the item removes them from the index.
      {
        name: 'byVerdict',
        partitionKey: { name: 'verdict', type: 'S' },
        sortKey: pk,
        projection: 'INCLUDE',
        include: ['sender', 'createdAt', 'receivedAt', 'reporterPhone', 'reporterEmail', 'erasedAt'],
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
  /**
   * Lists and segments: a list's item (sk `meta`) and its member counters (sk `count#<n>`)
   * under `list#<id>`; its members spread over `list#<id>#<shard>` (sk the contact id); the
   * reverse items `contact#<id>` (sk `list#<listId>`) so a contact's lists are one Query;
   * segments under `segment#<id>`.
   */
  audiences: {
    id: 'Audiences',
    envVar: 'AUDIENCES_TABLE',
    partitionKey: pk,
    sortKey: sk,
    // Sparse: only list and segment items carry `catalog`, so listing them reads nothing else.
    indexes: [{ name: 'catalog', partitionKey: { name: 'catalog', type: 'S' }, sortKey: pk }],
  },
  /**
   * Message templates, one partition each (`template#<id>`): the head (sk `head`, the latest
   * version, listed through the sparse `catalog` index), every version (sk `v#<00001>`) and the
   * campaigns that copied it (sk `use#<campaignId>`, what a DELETE checks).
   */
  templates: {
    id: 'Templates',
    envVar: 'TEMPLATES_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [{ name: 'catalog', partitionKey: { name: 'catalog', type: 'S' }, sortKey: pk }],
  },
  /** Contact imports (sk `import`) and the invalid rows of each (sk `error#<row>#<n>`). */
  imports: {
    id: 'Imports',
    envVar: 'IMPORTS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Transactional messages (pk `message#<id>`) and the Idempotency-Key that made each (pk
   * `key#<key>`), both expiring after CHAPAR_MESSAGE_RETENTION_DAYS with what was rendered.
   */
  messages: {
    id: 'Messages',
    envVar: 'MESSAGES_TABLE',
    partitionKey: pk,
    indexes: [
      // Sparse and keys only: sent SMS still waiting for their final status, by when they are due.
      {
        name: 'due',
        partitionKey: { name: 'pollBucket', type: 'S' },
        sortKey: { name: 'dueAt', type: 'S' },
        projection: 'KEYS_ONLY',
      },
      // Sparse and keys only: an erasure finds the messages sent to the person's phone and email.
      { name: 'byAddress', partitionKey: { name: 'address', type: 'S' }, projection: 'KEYS_ONLY' },
    ],
    timeToLiveAttribute: 'expiresAt',
  },
  /** API keys of machine clients (pk = key id): name, role, SHA-256 of the key, last use. */
  apiKeys: {
    id: 'ApiKeys',
    envVar: 'API_KEYS_TABLE',
    partitionKey: { name: 'id', type: 'S' },
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

/** Number of shards a campaign's stats counters are spread over (hot-partition guard). */
export const STATS_SHARDS = 8;
