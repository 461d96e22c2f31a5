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
      // Sparse (only contacts with one): an import matches its rows by normalised phone or email.
      // CloudFormation adds one index per table update: deploy these two one at a time.
      { name: 'byPhone', partitionKey: { name: 'phone', type: 'S' }, projection: 'KEYS_ONLY' },
      { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, projection: 'KEYS_ONLY' },
    ],
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
  /** Contact imports (sk `import`) and the invalid rows of each (sk `error#<row>#<n>`). */
  imports: {
    id: 'Imports',
    envVar: 'IMPORTS_TABLE',
    partitionKey: pk,
    sortKey: sk,
    indexes: [],
    timeToLiveAttribute: 'expiresAt',
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
