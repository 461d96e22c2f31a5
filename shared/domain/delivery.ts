/** Deliveries: one per campaign, contact and channel, claimed, sent and ended exactly once. */
import type { DeliveryOutcome } from './campaign';
import type { Channel, Contact } from './types';

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
      /**
       * With a takeover: when the unresolved provider attempt was first made (ISO 8601), so a
       * channel can tell whether its provider can still be asked about it.
       */
      readonly attemptedAt?: string;
    }
  | {
      readonly kind: 'ended';
      /** The outcome it ended with, and which run of which queue message ended it, when known. */
      readonly outcome?: DeliveryOutcome;
      readonly endedBy?: EndStamp;
    }
  | { readonly kind: 'held' };

/** Which sender run, of which queue message, ended a delivery: its count is owed by that message. */
export interface EndStamp {
  /** The queue message (SQS messageId), or the run's own id when the message has none. */
  readonly messageId: string;
  /** The claim id of the run that ended it. */
  readonly runId: string;
}

/** An ended delivery whose outcome a queue message counts once. */
export interface EndedDelivery {
  readonly outcome: DeliveryOutcome;
  readonly endedBy: EndStamp;
  /** Why it failed or was suppressed, as its end recorded it. */
  readonly reason?: string;
}

/** How a failure reason is counted: the stats shard attribute `failed#<kind>`. */
export const FAILURE_COUNTER_PREFIX = 'failed#';

/**
 * The kind a failure reason is counted under: its first words before any `:` or `(`, in
 * lower-case snake case, at most 40 characters (`kavenegar 411: invalid receptor` → `kavenegar_411`,
 * `outcome_unknown` stays), so free text in a reason never grows the counters without bound.
 */
export function failureKind(reason: string | undefined): string {
  const head = (reason ?? '').split(/[:(]/)[0] ?? '';
  const kind = head
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return kind === '' ? 'unknown' : kind;
}

export interface DeliveryEnd {
  readonly outcome: DeliveryOutcome;
  /** E.164 phone or email, kept for sent messages (spoof verdicts, export, erasure). */
  readonly recipient?: string;
  /** What was sent: the SMS text or the email subject. */
  readonly content?: string;
  readonly providerMessageId?: string;
  readonly providerStatus?: number;
  readonly reason?: string;
  /** The queue message (SQS messageId) whose run ends it; the run's claim id when absent. */
  readonly messageId?: string;
}

/** A message Chapar sent to one recipient. */
export interface SentMessage {
  readonly campaignId: string;
  readonly channel: Channel;
  readonly content: string;
  readonly sentAt: string;
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

/** One recipient ready to send: claimed, reachable and not opted out. */
export interface Recipient {
  readonly key: DeliveryKey;
  readonly claimId: string;
  readonly contact: Contact;
  readonly address: string;
  /** A previous sender reached the provider and died: the message may have gone out. */
  readonly takeover: boolean;
  /**
   * When this attempt was marked as handed to the provider (ISO 8601); with a takeover, when
   * the unresolved attempt was first made. Absent until the mark.
   */
  readonly attemptedAt?: string;
}

/** What a channel reports for one recipient. */
export type SendResult =
  | {
      readonly kind: 'sent';
      readonly content: string;
      readonly providerMessageId: string;
      readonly providerStatus?: number;
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly content?: string }
  | { readonly kind: 'retry'; readonly reason: string }
  /** The provider may have accepted it: keep the claim so the next attempt reconciles first. */
  | { readonly kind: 'unknown'; readonly reason: string }
  | {
      readonly kind: 'stop';
      readonly reason: string;
      /**
       * The provider may have accepted the message and could not be asked (a lookup refused for
       * a reason that pauses the campaign): the delivery stays marked as handed to the
       * provider, so the attempt after the resume asks again before sending.
       */
      readonly outcomeUnknown?: boolean;
      /** `quota`: SES's daily quota ran out, and the campaign resumes by itself later. */
      readonly pause?: 'quota';
    }
  /** Checked again right before the provider call and no longer reachable: never sent. */
  | { readonly kind: 'suppressed'; readonly reason: string };
