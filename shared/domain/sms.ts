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
