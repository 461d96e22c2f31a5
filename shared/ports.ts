/**
 * The interfaces Chapar's use cases need. Adapters in shared/adapters implement them;
 * use cases and the domain never import an AWS SDK or call a provider directly.
 */
import type { Channel } from './domain/types';

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

/** Reads secrets by id (Secrets Manager in the cloud and locally). */
export interface SecretSource {
  getSecret(id: string): Promise<string>;
}

export type { Channel };
