/**
 * The interfaces Chapar's use cases need. Adapters in shared/adapters implement them;
 * use cases and the domain never import an AWS SDK or call a provider directly.
 */
import type { ApiKeyRecord } from './domain/api-key';
import type { Audience, Campaign, CampaignStats, CampaignStatus, Counter } from './domain/campaign';
import type { ConsentEvent, ConsentState } from './domain/consent';
import type {
  ClaimResult,
  DeliveryEnd,
  DeliveryKey,
  DeliveryRecord,
  EndedDelivery,
  Recipient,
  SendResult,
  SentMessage,
} from './domain/delivery';
import type { DispatchUnitState } from './domain/dispatch';
import type { FeedbackCounter } from './domain/email-feedback';
import type { EmailMessage } from './domain/email-message';
import type { EmailAccountState } from './domain/email-sending';
import type { ImportCounts, ImportJob } from './domain/import-job';
import type { RowProblem } from './domain/import-row';
import type { DayCounts, SpoofReportSummary } from './domain/insights';
import type { ContactList } from './domain/list';
import type { DispatchMessage, ReceivedMessage, RecipientsMessage } from './domain/messages';
import type { FailureStreak } from './domain/retry-backoff';
import type { Role } from './domain/roles';
import type { Segment } from './domain/segment-filter';
import type { ShortLink, ShortLinkClaims } from './domain/short-link';
import type {
  PolledSms,
  SmsMessage,
  SmsPollBatch,
  SmsPollChange,
  SmsSendOutcome,
  SmsStatusReport,
} from './domain/sms';
import type { Reporter, SpoofReport, Verdict } from './domain/spoof-report';
import type { Template, TemplateSummary } from './domain/template';
import type { MessageStatus, TransactionalMessage } from './domain/transactional-message';
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
  /**
   * One page of segment `segment.index` of `segment.of` disjoint parts of every contact (a
   * parallel Scan): the segments together hold each contact once, and each pages on its own.
   */
  scanSegment(
    segment: { readonly index: number; readonly of: number },
    page: { cursor?: string; limit: number },
  ): Promise<{ contacts: Contact[]; cursor?: string }>;
}

/** One independently paged part of an audience: a scan segment, a list's shard, an id list. */
export interface AudienceUnit {
  readonly index: number;
  /** How many units the audience has. */
  readonly of: number;
}

/**
 * Where a campaign's recipients come from, split into units that are paged, leased and resumed
 * each on its own, so that a large audience is dispatched by many chains at once. Each contact
 * of the audience is in exactly one unit.
 */
export interface AudienceSource {
  /**
   * How many units `audience` is split into (at most MAX_DISPATCH_UNITS); fixed for a campaign
   * by its first dispatch round.
   */
  units(audience: Audience): Promise<number>;
  /** The unit's page after `cursor` (null for its first); `next` is null after its last page. */
  page(
    audience: Audience,
    unit: AudienceUnit,
    cursor: string | null,
    limit: number,
  ): Promise<{ contacts: Contact[]; next: string | null }>;
}

/** Contacts found by a normalised address (E.164 phone, lower-cased email). */
export interface ContactSearch {
  byPhone(e164: string): Promise<Contact[]>;
  byEmail(email: string): Promise<Contact[]>;
}

/** What a status transition may set or require besides the status. */
export interface TransitionExtra {
  readonly pausedReason?: string;
  readonly leaseUntil?: Date;
  readonly newRound?: boolean;
  readonly resumeAfter?: Date;
  /**
   * Only if the campaign's sendAt has come by then: the dispatcher's start, so that a message
   * sent before an edit moved sendAt later (or held it) starts nothing.
   */
  readonly dueBy?: Date;
}

export interface CampaignStore {
  /** @throws ConflictError when the id exists. */
  create(campaign: Campaign): Promise<void>;
  get(id: string): Promise<Campaign | undefined>;
  /** The campaign with its counters, in one read. */
  /** The campaign, its stats, and its failed deliveries counted by kind of reason. */
  getWithStats(
    id: string,
  ): Promise<
    { campaign: Campaign; stats: CampaignStats; failures?: Readonly<Record<string, number>> } | undefined
  >;
  /**
   * Moves a campaign to `to` if it is in one of `from`; returns the updated campaign, or
   * undefined when it was not in an allowed status (someone else moved it first).
   */
  transition(
    id: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    now: Date,
    extra?: TransitionExtra,
  ): Promise<Campaign | undefined>;
  /**
   * Replaces a scheduled campaign's fields (an edit) if it is still scheduled and unchanged
   * since `expectedUpdatedAt`; its place in the due index follows its new sendAt (none: held).
   * False when it moved on or was edited meanwhile.
   */
  update(campaign: Campaign, expectedUpdatedAt: string): Promise<boolean>;
  /**
   * A page of campaign ids, newest first; with `status`, those in it (read from an index by
   * status, never a scan, and eventually consistent: a campaign that just moved may still be
   * listed under its old status). The cursor is opaque.
   * @throws ValidationError for a cursor this listing did not give.
   */
  list(query: { status?: CampaignStatus; cursor?: string; limit: number }): Promise<IdPage>;
  /**
   * Campaigns the dispatcher should look at now: scheduled ones whose sendAt has come, and
   * dispatching ones whose sweep lease ({@link planDispatch}) has passed, so that their units
   * are looked at again (a chain that died is revived); `cursor` is only ever set for a
   * dispatch begun before audience units;
   * and, marked `resume`, paused ones whose `resumeAfter` (a transition's) has passed.
   */
  listDue(
    now: Date,
    limit: number,
  ): Promise<{ campaignId: string; cursor: string | null; round: number; resume?: boolean }[]>;
  /**
   * Starts (or, from the sweep, renews) a sending campaign's dispatch round: fixes how many
   * units it has (the first call's `units` wins, so every run agrees) and moves the campaign's
   * own sweep lease to `leaseUntil`. Undefined when the campaign is not dispatching `round`
   * (paused, cancelled, another round, or dispatched already).
   */
  planDispatch(id: string, round: number, units: number, leaseUntil: Date): Promise<number | undefined>;
  /** What each started unit of a round has done (units with no page taken yet are absent). */
  dispatchUnits(id: string, round: number): Promise<DispatchUnitState[]>;
  /**
   * Takes one unit's page before anything of it is enqueued: true only when the unit's cursor is
   * `expected`, it has not finished, and no other run holds it (or its holder's lease ran out).
   * Two runs of the same page (a duplicate message, the sweep) cannot both get it.
   */
  takeDispatchPage(
    id: string,
    page: { round: number; unit: number; expected: string | null; leaseId: string; leaseUntil: Date },
    now: Date,
  ): Promise<boolean>;
  /**
   * Saves a unit's enqueued page exactly once: adds `added` to the unit's recipients and
   * `segments` (the page's expected SMS segments) to theirs, moves its cursor from `expected` to
   * `next` (null next = the unit finished) and releases the page, keeping the unit's lease until
   * `leaseUntil` for its next page to start. The last unit to finish marks the campaign
   * dispatched. False when the page was saved already or its lease was lost. Round and unit
   * default to 1 and 0 (a single-unit audience); without `leaseId` the page need not be taken.
   */
  saveDispatchPage(
    id: string,
    page: {
      round?: number;
      unit?: number;
      leaseId?: string;
      expected: string | null;
      next: string | null;
      added: number;
      segments?: number;
      leaseUntil: Date;
    },
    now: Date,
  ): Promise<boolean>;
  /** Marks the campaign dispatched if every unit of `round` has finished; true when it did now. */
  finishDispatch(id: string, round: number, now: Date): Promise<boolean>;
}

/**
 * The exactly-once ledger of deliveries, one per campaign, contact and channel. Its writes are
 * single-item conditional writes; outcomes are counted once per queue message ({@link countEnds}),
 * not per delivery.
 */
export interface DeliveryStore {
  /**
   * Takes a delivery for `leaseMs` under `claimId` (the run's id: one per queue message
   * handled; a random one when absent); an expired lease of a crashed sender can be taken over.
   * A delivery that an unresolved provider attempt may have reached (a call recorded by
   * {@link markAttempts} that no lookup or end resolved) is claimed as a takeover with that
   * attempt's `attemptedAt`, and stays so through later claims until it is resolved. An ended
   * delivery answers its outcome and who ended it.
   */
  claim(
    key: DeliveryKey,
    now: Date,
    leaseMs: number,
    claimId?: string,
    options?: {
      /** The address, kept on the item from the claim on (email: export and erasure find it there). */
      readonly recipient?: string;
    },
  ): Promise<ClaimResult>;
  /**
   * Records that these messages (one provider call's) are about to reach the provider: outcome
   * unknown if we die now. One write per call, not per message; `now` becomes each one's
   * `attemptedAt` unless an unresolved attempt already set it.
   */
  markAttempts(
    claims: readonly { readonly key: DeliveryKey; readonly claimId: string }[],
    now: Date,
  ): Promise<void>;
  /**
   * Gives a claimed delivery back for a later retry. Any provider attempt is forgotten (the
   * message surely did not go out), unless `outcomeUnknown`: then the next claim is a takeover
   * that asks the provider first.
   */
  release(
    key: DeliveryKey,
    claimId: string,
    reason: string,
    options?: { readonly outcomeUnknown?: boolean },
  ): Promise<void>;
  /**
   * Ends a claimed delivery, stamped with the queue message that ended it. Counts nothing: the
   * run counts its ends with {@link countEnds}. True when ended now, false when the claim was
   * lost to another sender (which then owns the delivery and its count).
   */
  end(key: DeliveryKey, claimId: string, end: DeliveryEnd, now: Date): Promise<boolean>;
  /**
   * Ends one run's sent emails in one record of the run (not one write per recipient): their
   * items stay claimed, and every reader (claim, endedOf, export) resolves them through it as
   * sent, ended by `messageId`. Called at most once per run, after its provider calls; a crash
   * before it leaves them outcome-unknown, as a crash before per-recipient ends would. The
   * claims are not checked again (a live run's lease outlives its sender's timeout).
   */
  endSent(
    claimId: string,
    messageId: string,
    sent: readonly { readonly key: DeliveryKey; readonly providerMessageId?: string }[],
    now: Date,
  ): Promise<void>;
  /**
   * Adds the outcomes of these ends to the campaign's counters, once per run of each queue
   * message however often it is called: a redelivered message recounts the ends of a run whose
   * count did not land (a crash between the ends and this write), and skips those that did.
   */
  countEnds(campaignId: string, ends: readonly EndedDelivery[], now: Date, channel: Channel): Promise<void>;
  /** The ended ones among these deliveries, with their outcome and who ended them. */
  endedOf(keys: readonly DeliveryKey[]): Promise<(EndedDelivery & { readonly key: DeliveryKey })[]>;
}

/** The campaign SMS Chapar sent to a phone, for spoof verdicts. */
export interface SentSmsLookup {
  /**
   * SMS sent to `phone` since `since`, newest first, at most 100. Found through the contacts
   * that hold the phone now: an SMS sent before its contact's phone changed is not found (its
   * report is judged `unverified`, never `spoofed`), nor anything of an erased contact.
   */
  sentTo(phone: string, since: Date): Promise<SentMessage[]>;
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

export interface ReportPageRequest {
  readonly verdict?: Verdict;
  readonly cursor?: string;
  readonly limit: number;
}

export interface ReportPage {
  readonly items: SpoofReportSummary[];
  /** Opaque; absent after the last page. */
  readonly cursor?: string;
}

/** Spoof reports as the console lists them: newest first, by verdict or all. */
export interface ReportListing {
  list(page: ReportPageRequest): Promise<ReportPage>;
}

/** The read models the console's dashboard and charts need, kept beside the counters they mirror. */
export interface InsightsStore {
  /** A campaign's minute buckets (one per minute and stats shard), in one Query. */
  timeline(campaignId: string): Promise<{ minute: string; counts: Partial<Record<Counter, number>> }[]>;
  /** The account's counters for the Tehran days `from` to `to`, from every table that keeps some. */
  days(from: string, to: string): Promise<DayCounts[]>;
  /** Ids of the campaigns sending now, newest first, at most `limit`. */
  sendingCampaignIds(limit: number): Promise<string[]>;
}

/** The SMS credit left at the provider, in Rial (Kavenegar's account/info); null when unknown. */
export interface SmsCreditSource {
  smsCreditRial(): Promise<number | null>;
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

/** The email account's sending state (SES GetAccount): its rate and whether it may send. */
export interface EmailAccount {
  /** The state from a cache refreshed every few minutes; `fresh` asks the provider now. */
  state(options?: { readonly fresh?: boolean }): Promise<EmailAccountState>;
}

/** Finds the campaigns an account-wide stop concerns (SES paused or suspended the account). */
export interface SendingCampaigns {
  /** Every campaign now `sending` that has `channel`. */
  listSending(channel: Channel): Promise<Campaign[]>;
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
  /** The one link of a contact × channel × topic: stored the first time, found after. */
  linkFor(claims: ShortLinkClaims): Promise<ShortLink>;
  find(code: string): Promise<ShortLink | undefined>;
}

/** Holds a received message back on its queue instead of handling it now. */
export interface MessageVisibility {
  /**
   * Makes the message visible again in `seconds` (SQS allows at most 12 hours). False when the
   * message is no longer in flight under this receive (its visibility ran out and another
   * receive holds it, or it was deleted): nothing to delay, and no failure.
   */
  delay(message: ReceivedMessage, seconds: number): Promise<boolean>;
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
  /**
   * Holds 1 to `max` units for one provider call, waiting while the window is full (0 units
   * once `deadline` has come): they stay held until a second after `release()`, which the
   * caller makes as soon as the call answered or failed. The call reached the provider between
   * the two, so no sliding second at the provider sees more than the limit. With `early` it
   * may resolve before `notBefore` (a lease written ahead): prepare the call, but start it
   * only then. A `priority` lease (transactional messages) may use the share of the rate kept
   * for them, which other leases leave free while priority traffic flows. `prepareMs` (with
   * `early`) resolves a lease written ahead that much sooner, so the preparation of its call
   * runs while the room is still others'; `fill` waits once, briefly, for a fuller grant when
   * the window frees in small pieces (see DynamoRateLimiter's LeaseOptions).
   */
  lease(
    max: number,
    options?: {
      deadline?: number;
      early?: boolean;
      priority?: boolean;
      prepareMs?: number;
      fill?: { units: number; withinMs: number };
    },
  ): Promise<RateLease>;
  /**
   * The provider throttled a call (Kavenegar's 451): take fewer calls per second for a while,
   * every sharer of the budget alike. Optional: a limiter without a call limit has nothing to lower.
   */
  throttled?(): Promise<void>;
}

/** Units of a shared rate held for one provider call (see {@link PartialRateLimiter.lease}). */
export interface RateLease {
  readonly units: number;
  /** Epoch milliseconds before which the call must not start (already past without `early`). */
  readonly notBefore: number;
  /** The call answered (or failed): the units leave the window a second from now. */
  release(): Promise<void>;
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

/** One page of ids and the opaque cursor of the next (absent after the last). */
export interface IdPage {
  readonly ids: string[];
  readonly cursor?: string;
}

/**
 * Adds contacts to a list, each once however often a call is retried (imports fill lists
 * through this).
 */
export interface ListMembership {
  /** Whether the list exists (an import names its list before anything is written). */
  exists(listId: string): Promise<boolean>;
  /**
   * Adds the contacts not on the list yet; answers how many were new. Any number of ids (the
   * store writes them in transactions of 48, a shard each).
   * @throws NotFoundError when the list does not exist (or was deleted meanwhile).
   */
  add(listId: string, contactIds: readonly string[], now: Date): Promise<number>;
}

/** Contact lists, their exact member counts, and memberships read both ways. */
export interface ListStore extends ListMembership {
  create(list: Omit<ContactList, 'members'>): Promise<void>;
  get(id: string): Promise<ContactList | undefined>;
  /** The lists among `ids` that exist, without their counts. */
  getMany(ids: readonly string[]): Promise<Omit<ContactList, 'members'>[]>;
  list(page: { cursor?: string; limit: number }): Promise<{ items: ContactList[]; cursor?: string }>;
  /**
   * Deletes the list at once (it is gone for every read and write), then its members until
   * `deadline`; members left behind are invisible (reads check the list) and removed by a
   * later delete or erasure.
   */
  delete(id: string, deadline: number): Promise<void>;
  /** Removes contacts from a list; answers how many were on it. */
  remove(listId: string, contactIds: readonly string[]): Promise<number>;
  /** A page of a list's members over all its shards, shard by shard. */
  members(listId: string, page: { cursor?: string; limit: number }): Promise<IdPage>;
  /** How many shards a list's members are spread over (the dispatcher reads each on its own). */
  shardsOf(listId: string): Promise<number | undefined>;
  /** A page of one shard's members, in contact-id order. */
  shardMembers(listId: string, shard: number, page: { cursor?: string; limit: number }): Promise<IdPage>;
  /** Ids of the lists a contact is on (one Query), deleted lists included. */
  listsOf(contactId: string): Promise<string[]>;
  /** Which of `listIds` each of `contactIds` is on (one BatchGetItem per 100 pairs). */
  memberships(listIds: readonly string[], contactIds: readonly string[]): Promise<Map<string, Set<string>>>;
  /** Takes a contact off every list it is on, counts included (erasure). */
  removeEverywhere(contactId: string): Promise<void>;
}

/**
 * Templates and their versions. Every version stays readable by (id, version) until the
 * template is deleted; a use is recorded per campaign that copies a template.
 */
export interface TemplateStore {
  /** @throws ConflictError when the id exists. */
  create(template: Template): Promise<void>;
  /** The latest version, or `version`; undefined when the template (or that version) does not exist. */
  get(id: string, version?: number): Promise<Template | undefined>;
  /**
   * Writes `template` as the new latest version, `template.version` being the latest plus one.
   * @throws ConflictError when another version was written since, or the template is gone.
   */
  putVersion(template: Template): Promise<void>;
  /** Newest first, without content. */
  list(page: { cursor?: string; limit: number }): Promise<{ items: TemplateSummary[]; cursor?: string }>;
  /** Notes that a campaign copied the template (idempotent). */
  recordUse(templateId: string, campaignId: string): Promise<void>;
  /** The campaigns that ever copied the template. */
  uses(templateId: string): Promise<string[]>;
  /** Removes the template, every version and its uses; false when there was none. */
  delete(id: string): Promise<boolean>;
}

/** Saved segment filters. */
export interface SegmentStore {
  /** @throws ConflictError when the id exists. */
  create(segment: Segment): Promise<void>;
  get(id: string): Promise<Segment | undefined>;
  list(page: { cursor?: string; limit: number }): Promise<{ items: Segment[]; cursor?: string }>;
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

/** How a claimed transactional message ended. */
export interface MessageEnd {
  readonly status: MessageStatus;
  readonly reason?: string;
  readonly providerMessageId?: string;
  readonly providerStatus?: number;
  readonly sentAt?: Date;
  /** When to ask its SMS's status first. */
  readonly pollAt?: Date;
}

/** The queue of transactional messages, ahead of campaign traffic. */
export interface TransactionalQueue {
  enqueue(messageId: string): Promise<void>;
}

/** A stored transactional message and the Idempotency-Key that created it. */
export interface MessageStore {
  /**
   * Stores the message and its key together, once: 'created', or 'exists' with the message the
   * key made first and the digest of the body that made it (nothing written then).
   */
  create(
    message: TransactionalMessage,
    key: { readonly idempotencyKey: string; readonly digest: string },
  ): Promise<
    | { readonly outcome: 'created' }
    | { readonly outcome: 'exists'; readonly messageId: string; readonly digest: string }
  >;
  /** The message a key made, and the digest of the body that made it. */
  findKey(
    idempotencyKey: string,
  ): Promise<{ readonly messageId: string; readonly digest: string } | undefined>;
  get(id: string): Promise<TransactionalMessage | undefined>;
  /** Notes that the message reached its queue (a replay of its key enqueues it again until then). */
  markEnqueued(id: string): Promise<void>;
  /**
   * Takes the message for `leaseMs`: queued, or sending under a lease that ran out (a takeover:
   * then `attemptedAt` says whether the dead run may have reached the provider). Undefined when
   * it ended or another run holds it.
   */
  claim(id: string, claimId: string, now: Date, leaseMs: number): Promise<TransactionalMessage | undefined>;
  /** The provider call starts now: outcome unknown if the run dies before its end. */
  markAttempt(id: string, claimId: string, now: Date): Promise<void>;
  /** Gives the claim back for a retry; forgets the attempt unless its outcome is unknown. */
  release(id: string, claimId: string, options?: { readonly outcomeUnknown?: boolean }): Promise<void>;
  /** Ends a claimed message; false when the claim was lost. `pollAt`: when to ask its SMS status. */
  end(id: string, claimId: string, end: MessageEnd, now: Date): Promise<boolean>;
  /**
   * Erasure: removes the address and the rendered content (the data) from every message sent to
   * `address`; status and times stay.
   */
  scrubAddress(address: string, now: Date): Promise<void>;
  /** Every message sent to `address` still kept, oldest first (a data subject's export). */
  sentTo(address: string): Promise<TransactionalMessage[]>;
  /** Sent SMS whose status is due for a poll at `now`, oldest first. */
  duePolls(now: Date, limit: number): Promise<TransactionalMessage[]>;
  /**
   * Moves a sent message on from its provider's feedback (a final SMS status, a bounce): only
   * from one of `from`; `pollAt` the next poll (absent: no more polls). False when it was not.
   */
  advance(
    id: string,
    from: readonly MessageStatus[],
    change: {
      readonly status: MessageStatus;
      readonly reason?: string;
      readonly providerStatus?: number;
      readonly pollAt?: Date;
    },
    now: Date,
  ): Promise<boolean>;
}

/** API keys of machine clients, by id; only their hashes are stored. */
export interface ApiKeyStore {
  create(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, newest first (an account has a handful). */
  list(): Promise<ApiKeyRecord[]>;
  /** Deletes the key; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Records a use at `at` unless one at most LAST_USE_RESOLUTION_MS older is already recorded. */
  recordUse(id: string, at: Date): Promise<void>;
}

/** A verified access token: who signed in and the groups they are in. */
export interface VerifiedAccessToken {
  readonly subject: string;
  readonly username: string;
  readonly groups: readonly string[];
}

/** Verifies a sign-in's access token in full (signature, issuer, client, expiry, token use). */
export interface AccessTokenVerifier {
  /** @throws UnauthorizedError when any check fails. */
  verify(token: string): Promise<VerifiedAccessToken>;
}

/** A person who may sign in, as the user directory (Cognito) holds them. */
export interface DirectoryUser {
  readonly username: string;
  readonly email: string;
  /** Their role group; undefined when they are in none (they can sign in but call nothing). */
  readonly role?: Role;
  /** Cognito's status, e.g. FORCE_CHANGE_PASSWORD until the invitee sets a password, then CONFIRMED. */
  readonly status: string;
  readonly enabled: boolean;
  readonly createdAt?: string;
}

/** The people who may sign in, managed through the directory's admin operations. */
export interface UserDirectory {
  /** Creates the user with a temporary password sent by email, in the role's group. @throws ConflictError */
  invite(email: string, role: Role): Promise<DirectoryUser>;
  list(): Promise<DirectoryUser[]>;
  /** @throws NotFoundError */
  update(
    username: string,
    change: { readonly role?: Role; readonly enabled?: boolean },
  ): Promise<DirectoryUser>;
}

/** The SMS provider account's remaining credit, as pre-flight cost compares it. */
export interface SmsCredit {
  /** Remaining credit in Rial. */
  readonly rial: number;
  /** When the account expires (ISO 8601). */
  readonly expiresAt: string;
  /** The provider's account type (Kavenegar: `Master`, `Child` ...). */
  readonly accountType: string;
}

/** The SMS provider's account (Kavenegar account/info), read briefly cached. */
export interface ProviderAccount {
  /** @throws ProviderError when the provider cannot be asked. */
  smsCredit(): Promise<SmsCredit>;
}

/**
 * Keeps a retried test send from going out twice: a key is claimed for a window, and a
 * second claim of it within the window is refused.
 */
export interface TestSendGuard {
  /** True when `key` was free (never claimed, or its window is over) and is now held until `until`. */
  claim(key: string, now: Date, until: Date): Promise<boolean>;
  /** Frees a key whose send surely did not go out, so a retry may send it. */
  release(key: string): Promise<void>;
}
