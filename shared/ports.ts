/**
 * The interfaces Chapar's use cases need. Adapters in shared/adapters implement them;
 * use cases and the domain never import an AWS SDK or call a provider directly.
 */
import type { Campaign, CampaignStats, CampaignStatus } from './domain/campaign';
import type { ConsentEvent, ConsentState } from './domain/consent';
import type {
  ClaimResult,
  DeliveryEnd,
  DeliveryKey,
  DeliveryRecord,
  Recipient,
  SendResult,
  SentMessage,
} from './domain/delivery';
import type { FeedbackCounter } from './domain/email-feedback';
import type { EmailMessage } from './domain/email-message';
import type { ImportCounts, ImportJob } from './domain/import-job';
import type { RowProblem } from './domain/import-row';
import type { DispatchMessage, ReceivedMessage, RecipientsMessage } from './domain/messages';
import type { FailureStreak } from './domain/retry-backoff';
import type { ShortLink } from './domain/short-link';
import type { FinalStatus, SmsMessage, SmsSendOutcome, SmsStatusReport, TrackedSms } from './domain/sms';
import type { Reporter, SpoofReport } from './domain/spoof-report';
import type { Channel, Contact, ContactFields } from './domain/types';

export interface ContactStore {
  /** Creates or replaces a contact's fields, keeping its ref and createdAt. */
  upsert(id: string, fields: ContactFields, now: Date): Promise<Contact>;
  get(id: string): Promise<Contact | undefined>;
  /** The contacts that exist among `ids`, in no particular order. */
  getMany(ids: readonly string[]): Promise<Contact[]>;
  getByRef(ref: string): Promise<Contact | undefined>;
  /** One page of every contact; `cursor` is opaque and undefined after the last page. */
  scan(page: { cursor?: string; limit: number }): Promise<{ contacts: Contact[]; cursor?: string }>;
}

export interface CampaignStore {
  /** @throws ConflictError when the id exists. */
  create(campaign: Campaign): Promise<void>;
  get(id: string): Promise<Campaign | undefined>;
  /** The campaign with its counters, in one read. */
  getWithStats(id: string): Promise<{ campaign: Campaign; stats: CampaignStats } | undefined>;
  /**
   * Moves a campaign to `to` if it is in one of `from`; returns the updated campaign, or
   * undefined when it was not in an allowed status (someone else moved it first).
   */
  transition(
    id: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    now: Date,
    extra?: { pausedReason?: string; leaseUntil?: Date; newRound?: boolean; resumeAfter?: Date },
  ): Promise<Campaign | undefined>;
  /**
   * Campaigns the dispatcher should look at now: scheduled ones whose sendAt has come, and
   * dispatching ones whose page chain went quiet (a crash between pages), with their cursor;
   * and, marked `resume`, paused ones whose `resumeAfter` (a transition's) has passed.
   */
  listDue(
    now: Date,
    limit: number,
  ): Promise<{ campaignId: string; cursor: string | null; round: number; resume?: boolean }[]>;
  /**
   * Saves a dispatched page exactly once: adds `added` to the total and `segments` (the page's
   * expected SMS segments) to theirs, and moves the cursor from `expected` to `next` (null next =
   * audience finished), renewing the dispatch lease until `leaseUntil`. False when the page was
   * saved already.
   */
  saveDispatchPage(
    id: string,
    page: {
      expected: string | null;
      next: string | null;
      added: number;
      segments?: number;
      leaseUntil: Date;
    },
    now: Date,
  ): Promise<boolean>;
}

/** The exactly-once ledger of deliveries, one per campaign, contact and channel. */
export interface DeliveryStore {
  /**
   * Takes a delivery for `leaseMs`; an expired lease of a crashed sender can be taken over.
   * A delivery still marked as handed to the provider (an attempt no lookup or end resolved)
   * is claimed as a takeover with that attempt's `attemptedAt`, and keeps its mark.
   */
  claim(key: DeliveryKey, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * Records that these messages are about to reach the provider (outcome unknown if we die
   * now), up to 100 in one write; `now` becomes each one's `attemptedAt` unless an unresolved
   * attempt already set it. Throws when a claim was lost to another sender.
   */
  markAttempts(
    claims: readonly { readonly key: DeliveryKey; readonly claimId: string }[],
    now: Date,
  ): Promise<void>;
  /**
   * Gives a claimed delivery back for a later retry. The provider mark is cleared (the message
   * surely did not go out), unless `outcomeUnknown`: then the next claim is a takeover that
   * asks the provider first.
   */
  release(
    key: DeliveryKey,
    claimId: string,
    reason: string,
    options?: { readonly outcomeUnknown?: boolean },
  ): Promise<void>;
  /** Ends a claimed delivery and counts its outcome in the same transaction. */
  end(key: DeliveryKey, claimId: string, end: DeliveryEnd, now: Date): Promise<void>;
  /** Messages sent to a recipient (phone or email) since `since`, newest first. */
  sentTo(recipient: string, since: Date): Promise<SentMessage[]>;
}

export type ConsentRecordResult = 'recorded' | 'duplicate';

export interface ConsentStore {
  /** Current states of a contact on a channel (topic states and the all-topics switch). */
  states(contactId: string, channel: Channel): Promise<ConsentState[]>;
  /**
   * The states that decide `topic` for many contacts at once (the topic's own and the
   * all-topics switch), keyed by contact id.
   */
  statesForMany(
    contactIds: readonly string[],
    channel: Channel,
    topic: string,
  ): Promise<Map<string, ConsentState[]>>;
  /**
   * Writes the new state and its ledger event atomically. With `once`, the write happens at most
   * once per key: a retry of the same cause (an SQS redelivery after a crash) answers
   * 'duplicate' and writes nothing, so the ledger never shows one cause twice.
   */
  record(event: ConsentEvent, options?: { readonly once?: string }): Promise<ConsentRecordResult>;
  history(contactId: string): Promise<ConsentEvent[]>;
}

export interface ReportStore {
  /** Stores a report; with `awaitsDigest` it waits for its sending line's next abuse digest. */
  put(report: SpoofReport, options?: { readonly awaitsDigest?: boolean }): Promise<void>;
}

/** Spoofed reports waiting for their line's abuse digest, and the digests' pacing per line. */
export interface AbuseDigestStore {
  /** Reports waiting for a digest, oldest first. */
  pending(limit: number): Promise<SpoofReport[]>;
  /**
   * Takes the right to send `line`'s digest now: true when its last digest went out at least
   * `windowMs` ago (or never), and records `now` as its last; false otherwise.
   */
  claimDigest(line: string, now: Date, windowMs: number): Promise<boolean>;
  /** The reports were in a digest: they wait no more. Reports gone meanwhile are skipped. */
  markDigested(reportIds: readonly string[], now: Date): Promise<void>;
}

export interface WorkQueue {
  /** Enqueues dispatcher work. */
  sendDispatch(messages: readonly DispatchMessage[]): Promise<void>;
  /** Enqueues recipients on their channel's queue. */
  sendRecipients(messages: readonly RecipientsMessage[]): Promise<void>;
}

/** Sends many SMS and reports each message's fate instead of failing the lot. */
export interface SmsBatchProvider {
  sendDetailed(messages: readonly SmsMessage[], options?: SmsSendOptions): Promise<SmsSendOutcome>;
}

/** Hooks of one {@link SmsBatchProvider.sendDetailed}. */
export interface SmsSendOptions {
  /**
   * Called right before each provider call with the messages it would carry; returns those
   * still to send. The others end in the outcome's `dropped` and never reach the provider.
   */
  readonly beforeCall?: (messages: readonly SmsMessage[]) => Promise<readonly SmsMessage[]>;
}

/** Finds SMS the provider accepted under our local ids (answers for recent messages only). */
export interface SmsLookup {
  findByLocalIds(localIds: readonly string[]): Promise<Map<string, { messageId: string; status: number }>>;
}

/** @throws ProviderError classified as retryable, recipient, message or campaign. */
export interface EmailProvider {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/** What {@link FeedbackStore.count} did: counted now, counted before, or no such delivery. */
export type FeedbackCount = 'counted' | 'duplicate' | 'no_delivery';

/** SES bounces and complaints, counted on the email delivery they concern. */
export interface FeedbackStore {
  /** Whether the delivery was already counted under `counter` (SNS and SQS may deliver twice). */
  isCounted(key: DeliveryKey, counter: FeedbackCounter): Promise<boolean>;
  /** Marks the delivery and adds one to the campaign's counter in one transaction, once per delivery. */
  count(key: DeliveryKey, counter: FeedbackCounter, now: Date): Promise<FeedbackCount>;
}

/** Reads secrets by id (Secrets Manager in the cloud and locally). */
export interface SecretSource {
  getSecret(id: string): Promise<string>;
}

/** Raises what an operator must act on (a CloudWatch metric and alarm in the cloud). */
export interface Alarms {
  campaignPaused(campaignId: string, reason: string): void;
}

/** Short unsubscribe links for SMS (`/s/{code}`): unguessable random codes kept in DynamoDB. */
export interface LinkStore {
  /** Stores the link for these claims, or returns the one already stored for them. */
  linkFor(claims: Omit<ShortLink, 'code'>): Promise<ShortLink>;
  find(code: string): Promise<ShortLink | undefined>;
}

/** Holds a received message back on its queue instead of handling it now. */
export interface MessageVisibility {
  /** Makes the message visible again in `seconds` (SQS allows at most 12 hours). */
  delay(message: ReceivedMessage, seconds: number): Promise<void>;
}

/**
 * A provider's consecutive failed calls, counted for every concurrent sender at once (a small
 * item per provider), so that a provider that keeps failing pauses its campaigns.
 */
export interface ProviderHealth {
  /** Counts one more failed call; answers the run of failures it belongs to. */
  recordFailure(provider: string, now: Date): Promise<FailureStreak>;
  /** Ends the run: the provider answered. */
  recordSuccess(provider: string): Promise<void>;
}

/** A rate shared by every concurrent sender (a provider's messages per second). */
export interface RateLimiter {
  /** Waits until `units` may be spent now, and spends them. */
  acquire(units: number): Promise<void>;
}

/**
 * A {@link RateLimiter} that can also grant part of a request from the room left in the
 * current window (see DynamoRateLimiter), so no window's remainder is wasted.
 */
export interface PartialRateLimiter extends RateLimiter {
  /** Spends 1 to `max` units now, waiting while the window is full; 0 once `deadline` has come. */
  acquireUpTo(max: number, options?: { deadline?: number }): Promise<number>;
}

/** Final statuses of sent SMS: found by provider message id or in the in-flight index. */
export interface DeliveryStatusStore {
  /** Shards of the in-flight index; each is read on its own. */
  readonly inFlightShards: readonly string[];
  /** The SMS delivery the provider knows under this message id. */
  findByProviderMessage(messageId: string): Promise<TrackedSms | undefined>;
  /** One page of a shard's tracked SMS sent before `sentBefore`, oldest first; cursor is opaque. */
  inFlight(
    shard: string,
    sentBefore: Date,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: TrackedSms[]; cursor?: string }>;
  /**
   * Applies a final status and adds its counter in one transaction, only if the delivery has
   * no final status yet. True when applied; false when it was final already.
   */
  applyFinal(sms: TrackedSms, final: FinalStatus, now: Date): Promise<boolean>;
  /** Stops tracking an SMS whose status can no longer be asked for; false if it became final meanwhile. */
  abandon(sms: TrackedSms, now: Date): Promise<boolean>;
  /** Marks a status-14 opt-out as recorded: the SMS leaves the in-flight index. */
  settleOptOut(sms: TrackedSms): Promise<void>;
}

/**
 * Asks the provider for the current status of sent SMS (Kavenegar's sms/status: at most 500
 * ids), each answer mapped to Chapar's terms by the adapter.
 */
export interface SmsStatusSource {
  status(messageIds: readonly string[]): Promise<SmsStatusReport[]>;
}

/** Tombstones of erased people: keyed hashes of the phone and email they had. */
export interface SuppressionStore {
  add(hashes: readonly string[], now: Date): Promise<void>;
  /** Which of these hashes are tombstoned. */
  find(hashes: readonly string[]): Promise<Set<string>>;
  /** Lifts tombstones: an explicit, evidenced opt-in made the address reachable again. */
  remove(hashes: readonly string[]): Promise<void>;
}

/**
 * What Chapar keeps about a person beyond the contact item, found for an export and scrubbed
 * by an erasure. Scrubbing keeps statuses and counts, so campaign stats stay true.
 */
export interface PersonalDataStore {
  /** Deliveries of a contact sent to any of its addresses, oldest first. */
  deliveriesOf(contactId: string, addresses: readonly string[]): Promise<DeliveryRecord[]>;
  /** Spoof reports filed from this phone or email. */
  reportsBy(reporter: Reporter): Promise<SpoofReport[]>;
  /** Removes recipient and content from the contact's deliveries to these addresses. */
  scrubDeliveries(contactId: string, addresses: readonly string[], now: Date): Promise<void>;
  /** Removes reporter phone, email and text from the reports this person filed. */
  scrubReports(reporter: Reporter, now: Date): Promise<void>;
  /** Empties the evidence of every ledger event of a contact; the events stay. */
  scrubConsentEvidence(contactId: string): Promise<void>;
  /** Deletes the contact item. */
  deleteContact(contactId: string): Promise<void>;
}

/** A channel's way of sending; results come back in the order of `recipients`. */
export interface ChannelSender {
  readonly channel: Channel;
  /**
   * `reachable`, when given, is asked right before each provider call which of its recipients
   * may still be sent to; the others come back as `suppressed`.
   */
  send(campaign: Campaign, recipients: readonly Recipient[], reachable?: Reachability): Promise<SendResult[]>;
}

/** Which of these recipients may still be sent to now (consent and address suppressions). */
export type Reachability = (recipients: readonly Recipient[]) => Promise<ReadonlySet<Recipient>>;

/** What delivering a recipients message needs, whatever the channel. */
export interface DeliverDeps {
  readonly campaigns: CampaignStore;
  readonly contacts: ContactStore;
  readonly consent: ConsentStore;
  readonly deliveries: DeliveryStore;
  readonly alarms: Alarms;
  readonly now: () => Date;
  /** How long a claim protects a delivery from a second sender. */
  readonly leaseMs: number;
  /** The providers' failure runs; without it a failing provider is retried until the last receive. */
  readonly health?: ProviderHealth;
  /** Suppressions bound to addresses (keyed hashes); the senders always wire them. */
  readonly addressSuppressions?: {
    readonly suppressions: SuppressionStore;
    readonly erasureKey: () => Promise<string>;
  };
}

/** Reads a template file by name (templates/<purpose>.<channel>.<ext>). */
export type TemplateSource = (name: string) => string;

/** A channel's way of holding messages back (SMS in quiet hours). */
export interface Deferral {
  /** When a message handled at `now` may go out instead, or undefined to handle it now. */
  readonly defer: (now: Date) => Date | undefined;
  readonly visibility: MessageVisibility;
}

/** Finds contacts by their normalised addresses (sparse indexes on the contacts table). */
export interface ContactMatcher {
  /** Ids of the contacts holding each E.164 phone, sorted; phones no contact holds are absent. */
  idsByPhone(phones: readonly string[]): Promise<Map<string, string[]>>;
  /** Ids of the contacts holding each lower-cased email, sorted. */
  idsByEmail(emails: readonly string[]): Promise<Map<string, string[]>>;
}

/** Contact imports: the job, its checkpoint and counters, and its invalid rows. */
export interface ImportStore {
  /** @throws ConflictError when the id exists. */
  create(job: ImportJob): Promise<void>;
  get(id: string): Promise<ImportJob | undefined>;
  /**
   * Moves a waiting import to `processing` with what validating its file found (data rows,
   * the object's ETag); undefined when it was not waiting (another receiver started it).
   */
  start(id: string, file: { rows: number; etag: string }, now: Date): Promise<ImportJob | undefined>;
  /**
   * Saves one chunk exactly once: stores its invalid rows (under keys of their own, so a
   * repeat rewrites them), then adds `counts` and moves the checkpoint (records read after
   * the header) from `from` to `to` in one conditional write. False when the checkpoint was
   * not at `from` (the chunk was saved already).
   */
  saveChunk(
    id: string,
    chunk: { from: number; to: number; counts: ImportCounts; problems: readonly RowProblem[] },
    now: Date,
  ): Promise<boolean>;
  /** processing → done. */
  finish(id: string, now: Date): Promise<void>;
  /** waiting_upload or processing → failed, with the reason in words. */
  fail(id: string, reason: string, now: Date): Promise<void>;
  /** The invalid rows of an import, in file order, a page at a time. */
  problems(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: RowProblem[]; cursor?: string }>;
}

/**
 * One imported row's contact write: created, or updated in place, stamped with the row that
 * wrote it.
 */
export interface ImportedContactWrite {
  readonly contactId: string;
  /** True: the contact must not exist yet. False: it must exist. */
  readonly create: boolean;
  /** The fields to set (a create also gets ref and createdAt); undefined sets only the stamp. */
  readonly fields?: ContactFields;
  /** `<importId>#<line>#<outcome>`: how a re-read of this row knows it was written. */
  readonly stamp: string;
}

export interface ImportedContactWriter {
  /**
   * Appends ledger notes whose ids are fixed by their cause (import, contact, channel), so
   * writing one again overwrites it with itself.
   */
  writeNotes(events: readonly ConsentEvent[]): Promise<void>;
  /** 'conflict' when the contact's existence was not as expected. */
  write(write: ImportedContactWrite, now: Date): Promise<'written' | 'conflict'>;
  /** The contacts among `ids` with their stamp, strongly consistent. */
  stamped(ids: readonly string[]): Promise<Map<string, { contact: Contact; stamp?: string }>>;
}

/** Upload URLs and the uploaded files of imports. */
export interface ImportFiles {
  /** A presigned HTTP PUT URL for `key`, valid `expiresInSeconds`. */
  uploadUrl(key: string, expiresInSeconds: number): Promise<string>;
  /** Size and ETag of the uploaded object, undefined when there is none. */
  head(key: string): Promise<{ size: number; etag: string } | undefined>;
  /** The object's bytes as a stream; fails when its ETag is no longer `etag` (replaced). */
  open(key: string, etag: string): Promise<AsyncIterable<Uint8Array>>;
}

/** Continues a long import in a later invocation. */
export interface ImportQueue {
  continueImport(importId: string): Promise<void>;
}

/**
 * Lists (built in the "audience" work): an import with a `listId` adds its contacts there.
 * Adding a contact already on the list changes nothing.
 */
export interface ListMembership {
  exists(listId: string): Promise<boolean>;
  add(listId: string, contactIds: readonly string[]): Promise<void>;
}
