/**
 * The interfaces Chapar's use cases need. Adapters in shared/adapters implement them;
 * use cases and the domain never import an AWS SDK or call a provider directly.
 */
import type { Campaign, CampaignStats, CampaignStatus, DeliveryOutcome } from './domain/campaign';
import type { ConsentEvent, ConsentState } from './domain/consent';
import type { ProviderError } from './domain/errors';
import type { DispatchMessage, RecipientsMessage } from './domain/messages';
import type { Verdict } from './domain/spoof-report';
import type { AttributeValue, Channel, Contact, Locale } from './domain/types';

/** A contact as the API writes it; ref and createdAt are kept by the store. */
export interface ContactFields {
  readonly phone?: string;
  readonly email?: string;
  readonly locale: Locale;
  readonly name?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

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
    extra?: { pausedReason?: string; leaseUntil?: Date; newRound?: boolean },
  ): Promise<Campaign | undefined>;
  /**
   * Campaigns the dispatcher should look at now: scheduled ones whose sendAt has come, and
   * dispatching ones whose page chain went quiet (a crash between pages), with their cursor.
   */
  listDue(now: Date, limit: number): Promise<{ campaignId: string; cursor: string | null; round: number }[]>;
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

export interface DeliveryKey {
  readonly campaignId: string;
  readonly contactId: string;
  readonly channel: Channel;
}

/** Result of trying to take a delivery: go ahead, already ended, or someone holds it. */
export type ClaimResult =
  | {
      readonly kind: 'claimed';
      readonly claimId: string;
      /**
       * Taken over from a sender whose lease expired after it had handed the message to the
       * provider: it may have gone out. False when the previous sender died before that.
       */
      readonly takeover: boolean;
    }
  | { readonly kind: 'ended' }
  | { readonly kind: 'held' };

export interface DeliveryEnd {
  readonly outcome: DeliveryOutcome;
  /** E.164 phone or email, kept for sent messages (spoof verdicts, export, erasure). */
  readonly recipient?: string;
  /** What was sent: the SMS text or the email subject. */
  readonly content?: string;
  readonly providerMessageId?: string;
  readonly providerStatus?: number;
  readonly reason?: string;
}

/** A message Chapar sent to one recipient. */
export interface SentMessage {
  readonly campaignId: string;
  readonly channel: Channel;
  readonly content: string;
  readonly sentAt: string;
}

/** The exactly-once ledger of deliveries, one per campaign, contact and channel. */
export interface DeliveryStore {
  /** Takes a delivery for `leaseMs`; an expired lease of a crashed sender can be taken over. */
  claim(key: DeliveryKey, now: Date, leaseMs: number): Promise<ClaimResult>;
  /**
   * Records that these messages are about to reach the provider (outcome unknown if we die
   * now), up to 100 in one write. Throws when a claim was lost to another sender.
   */
  markAttempts(claims: readonly { readonly key: DeliveryKey; readonly claimId: string }[]): Promise<void>;
  /** Gives a claimed delivery back for a later retry (retryable failures). */
  release(key: DeliveryKey, claimId: string, reason: string): Promise<void>;
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

export interface SpoofReport {
  readonly id: string;
  readonly sender: string;
  readonly text: string;
  readonly receivedAt?: string;
  readonly reporterPhone?: string;
  readonly reporterEmail?: string;
  readonly verdict: Verdict;
  readonly createdAt: string;
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

/** One SMS for one recipient. */
export interface SmsMessage {
  /** E.164 (+989xxxxxxxxx); adapters convert to the provider's form. */
  readonly receptor: string;
  readonly text: string;
  /** Stable id derived from campaign, contact and channel; lets an unknown outcome be looked up. */
  readonly localId: string;
}

/** What the provider answered for one accepted SMS. */
export interface SmsReceipt {
  readonly receptor: string;
  readonly localId: string;
  readonly messageId: string;
  /** Provider status code (1 queued, 2 scheduled, 4/5 with operator, 10 delivered ...). */
  readonly status: number;
  /** Cost in Rial. */
  readonly cost: number;
}

/**
 * Sends SMS from the one verified sender the adapter was built with: the port takes no
 * sender, so no caller can choose another.
 * @throws ProviderError classified as retryable, recipient, message or campaign.
 */
export interface SmsProvider {
  send(messages: readonly SmsMessage[]): Promise<SmsReceipt[]>;
}

/** Per-message outcome of a multi-recipient SMS send. */
export interface SmsSendOutcome {
  readonly receipts: SmsReceipt[];
  readonly failures: { localId: string; error: ProviderError }[];
}

/** Sends many SMS and reports each message's fate instead of failing the lot. */
export interface SmsBatchProvider {
  sendDetailed(messages: readonly SmsMessage[]): Promise<SmsSendOutcome>;
}

/** Finds SMS the provider accepted under our local ids (answers for recent messages only). */
export interface SmsLookup {
  findByLocalIds(localIds: readonly string[]): Promise<Map<string, { messageId: string; status: number }>>;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
  readonly headers: Readonly<Record<string, string>>;
  /** Tags published with SES events (campaign, channel ...). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** @throws ProviderError classified as retryable, recipient, message or campaign. */
export interface EmailProvider {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

/** Campaign counters SES feedback adds to, each at most once per delivery. */
export type FeedbackCounter = 'bounced' | 'complained';

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

export type { Channel };

/** Raises what an operator must act on (a CloudWatch metric and alarm in the cloud). */
export interface Alarms {
  campaignPaused(campaignId: string, reason: string): void;
}

/** What a short SMS unsubscribe link stands for: the claims of an unsubscribe token. */
export interface ShortLink {
  readonly code: string;
  readonly ref: string;
  readonly channel: Channel;
  readonly topic: string;
  readonly campaignId: string;
}

/** Short unsubscribe links for SMS (`/s/{code}`): unguessable random codes kept in DynamoDB. */
export interface LinkStore {
  /** Stores the link for these claims, or returns the one already stored for them. */
  linkFor(claims: Omit<ShortLink, 'code'>): Promise<ShortLink>;
  find(code: string): Promise<ShortLink | undefined>;
}

/** A message received from a queue, as an SQS record names it. */
export interface ReceivedMessage {
  /** The record's eventSourceARN. */
  readonly queueArn: string;
  readonly receiptHandle: string;
}

/** Holds a received message back on its queue instead of handling it now. */
export interface MessageVisibility {
  /** Makes the message visible again in `seconds` (SQS allows at most 12 hours). */
  delay(message: ReceivedMessage, seconds: number): Promise<void>;
}

/** A rate shared by every concurrent sender (a provider's messages per second). */
export interface RateLimiter {
  /** Waits until `units` may be spent now, and spends them. */
  acquire(units: number): Promise<void>;
}

/** Final and intermediate SMS statuses reported by the provider after the send. */
export type DeliveryStatus = 'delivered' | 'undelivered' | 'failed' | 'blocked';

/** A sent SMS as status tracking sees it: waiting for its final status, or holding one. */
export interface TrackedSms {
  readonly campaignId: string;
  readonly contactId: string;
  readonly providerMessageId: string;
  readonly sentAt: string;
  /** Set once a final status was applied. */
  readonly deliveryStatus?: DeliveryStatus;
  readonly deliveryStatusAt?: string;
  /** Status 14 was applied but its opt-out is not recorded yet (a crash came in between). */
  readonly optOutPending?: boolean;
}

/** A final status to apply once, with the campaign counter it adds to. */
export interface FinalStatus {
  readonly status: DeliveryStatus;
  readonly counter: 'delivered' | 'undelivered';
  /** The provider's own code (10, 11, 6, 13, 14). */
  readonly providerStatus: number;
  /** Status 14: keep the SMS tracked until its opt-out is recorded ({@link DeliveryStatusStore.settleOptOut}). */
  readonly optOut: boolean;
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

/** Asks the provider for the current status of sent SMS (Kavenegar's sms/status: at most 500 ids). */
export interface SmsStatusSource {
  status(messageIds: readonly string[]): Promise<{ readonly messageId: string; readonly status: number }[]>;
}

/** Tombstones of erased people: keyed hashes of the phone and email they had. */
export interface SuppressionStore {
  add(hashes: readonly string[], now: Date): Promise<void>;
  /** Which of these hashes are tombstoned. */
  find(hashes: readonly string[]): Promise<Set<string>>;
  /** Lifts tombstones: an explicit, evidenced opt-in made the address reachable again. */
  remove(hashes: readonly string[]): Promise<void>;
}

/** One delivery of a contact, as an export shows it. */
export interface DeliveryRecord {
  readonly campaignId: string;
  readonly channel: Channel;
  /** The ledger status: sent, failed, suppressed ... */
  readonly status: string;
  readonly recipient?: string;
  /** The SMS text or the email subject. */
  readonly content?: string;
  readonly sentAt?: string;
  readonly deliveryStatus?: string;
}

/** Who filed a spoof report, as the report keeps it. */
export interface Reporter {
  readonly phone?: string;
  readonly email?: string;
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
