/** SMS as Chapar sends and tracks them, whatever the provider. */
import type { ProviderError } from './errors';

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

/** Per-message outcome of a multi-recipient SMS send. */
export interface SmsSendOutcome {
  readonly receipts: SmsReceipt[];
  readonly failures: { localId: string; error: ProviderError }[];
  /** Local ids a `beforeCall` hook took out before the provider call: never sent. */
  readonly dropped?: string[];
}

/** Final and intermediate SMS statuses reported by the provider after the send. */
export type DeliveryStatus = 'delivered' | 'undelivered' | 'failed' | 'blocked';

/** One SMS the provider accepted, as status polling tracks it. */
export interface PolledSms {
  /** The provider's message id. */
  readonly messageId: string;
  readonly contactId: string;
}

/**
 * The SMS of one provider attempt (a campaign's recipients handed to the provider together),
 * polled together until each has a final status or the provider's status window closes.
 */
export interface SmsPollBatch {
  /** Opaque to use cases: the store's key. */
  readonly id: string;
  readonly campaignId: string;
  /** When these SMS were handed to the provider (ISO 8601): the poll schedule follows it. */
  readonly sentAt: string;
  /** Changes with every applied poll: two pollers of one batch apply it once. */
  readonly version: number;
  /** SMS with no final status yet. */
  readonly pending: readonly PolledSms[];
  /** Status 14 applied, its opt-out not recorded yet (a crash came in between). */
  readonly optOutsPending: readonly PolledSms[];
  /** When those status-14 answers were applied (ISO 8601). */
  readonly optOutAt?: string;
}

/** A final status for one SMS of a batch. */
export interface AppliedStatus {
  readonly sms: PolledSms;
  readonly status: DeliveryStatus;
  /** The provider's own code (10, 11, 6, 13, 14). */
  readonly providerStatus: number;
  /** Status 14: the recipient refuses marketing SMS; its opt-out is recorded after the status. */
  readonly optOut: boolean;
}

/** What one poll of a batch changes, applied at once (or not at all). */
export interface SmsPollChange {
  readonly finals: readonly AppliedStatus[];
  /** Given up: the provider's status window closed with no final status. */
  readonly unknown: readonly PolledSms[];
  /** When to poll the batch again; undefined when nothing is left to ask about. */
  readonly nextPollAt?: Date;
}

/**
 * A provider's status for one sent SMS, already in Chapar's terms (the provider's adapter maps
 * its own codes): a final status, `pending` while the operator still has it, or `unknown` for
 * a status Chapar does not act on (an id the provider does not know, a code it never sends).
 */
export interface SmsStatusReport {
  readonly messageId: string;
  readonly status: DeliveryStatus | 'pending' | 'unknown';
  /** The recipient refuses SMS from advertising lines: the status is also an opt-out. */
  readonly optOut: boolean;
  /** The provider's own code, kept with a final status. */
  readonly providerStatus: number;
}
