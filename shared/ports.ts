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
import type { DispatchMessage, ReceivedMessage, RecipientsMessage } from './domain/messages';
import type { FailureStreak } from './domain/retry-backoff';
import type { ShortLink } from './domain/short-link';
import type {
  PolledSms,
  SmsMessage,
  SmsPollBatch,
  SmsPollChange,
  SmsSendOutcome,
  SmsStatusReport,
} from './domain/sms';
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

/**
 * Sent SMS waiting for their final status, one batch per provider attempt, each due for its
 * next sms/status poll. The batch is the one authority on what was applied: a status is
 * counted in the same write that marks it applied, so repeated or concurrent polls (and
 * delivery reports) count it once.
 */
export interface SmsStatusPolls {
  /**
   * Records SMS the provider accepted at `sentAt` for polling. Idempotent: recording the same
   * attempt again (a redelivery that found them by local id) adds nothing twice.
   */
  record(campaignId: string, sentAt: Date, sent: readonly PolledSms[]): Promise<void>;
  /** Batches due for a poll at `now` (or holding an unfinished opt-out), oldest first. */
  due(now: Date, limit: number): Promise<SmsPollBatch[]>;
  /**
   * Applies one poll's change: final statuses with their counters (delivered: the counter only;
   * the others on the delivery too), the given-up SMS, and the next due time. False when the
   * batch changed since it was read (another poll applied it): nothing was written.
   */
  apply(batch: SmsPollBatch, change: SmsPollChange, now: Date): Promise<boolean>;
  /** A status-14 opt-out is recorded: the batch no longer holds it. */
  settleOptOut(batch: SmsPollBatch, sms: PolledSms): Promise<void>;
}

/**
 * Delivery reports (the optional callback) kept until the poll of their SMS's batch uses them,
 * so a report that arrives before its SMS is recorded waits instead of being lost.
 */
export interface DeliveryReportInbox {
  /** Keeps final reports; keeping one again changes nothing. */
  keep(reports: readonly SmsStatusReport[], now: Date): Promise<void>;
  /** The reports kept for these message ids. */
  find(messageIds: readonly string[]): Promise<Map<string, SmsStatusReport>>;
}

/** The part of {@link SmsStatusPolls} a sender needs. */
export type SentSmsRecorder = Pick<SmsStatusPolls, 'record'>;

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
