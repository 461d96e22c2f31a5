import type { Campaign } from '../domain/campaign';
import type { Recipient, SendResult } from '../domain/delivery';
import { deliveryLocalId } from '../domain/ids';
import { contactValues, renderTemplate } from '../domain/placeholders';
import type { SmsMessage } from '../domain/sms';
import { smsLength } from '../domain/sms-segments';
import { composeSms, MAX_SMS_LENGTH, type SmsLayout } from '../domain/sms-text';
import { contentFor, type SmsVariant } from '../domain/template';
import type { Contact } from '../domain/types';
import type {
  ChannelSender,
  LinkStore,
  Reachability,
  SentSmsRecorder,
  SmsBatchProvider,
  SmsLookup,
} from '../ports';
import { mapWithConcurrency } from './concurrency';
import { resultForError } from './deliver-recipients';

export interface SmsChannelDeps {
  readonly sms: SmsBatchProvider;
  readonly lookup: SmsLookup;
  /** Each recipient's short unsubscribe link: one per contact × topic, whatever the campaign. */
  readonly links: LinkStore;
  /** Public base URL of the links and the opt-out suffix every SMS ends with. */
  readonly layout: SmsLayout;
  /** The clock the lookup window is measured on; the system clock by default. */
  readonly now?: () => Date;
  /**
   * Where accepted SMS are recorded for status polling, per provider attempt (the recipients'
   * `attemptedAt`), before their deliveries end: a crash in between finds them by local id on
   * the next attempt and records them into the same batch again, counted once.
   */
  readonly statuses?: SentSmsRecorder;
}

/**
 * How long sms/statuslocalmessageid knows a local id (about 12 h, shared/reference/kavenegar.md).
 * Past it, "not found" no longer means "not sent".
 */
export const LOOKUP_WINDOW_MS = 12 * 60 * 60 * 1000;

/** The provider may have the message and could not be asked: keep the recipient unresolved. */
function unresolvedAfter(error: unknown): SendResult {
  const result = resultForError(error);
  if (result.kind === 'stop') return { ...result, outcomeUnknown: true };
  return { kind: 'unknown', reason: `lookup ${'reason' in result ? result.reason : 'failed'}` };
}

const LINK_CONCURRENCY = 16;

/** The SMS one recipient of a campaign gets, ending with its short link `code` and the suffix. */
export function smsFor(
  campaign: Campaign,
  recipient: Recipient,
  layout: SmsLayout,
  code: string,
): SmsMessage {
  if (!campaign.sms) throw new Error(`Campaign ${campaign.id} has no SMS text`);
  const { variant } = contentFor<SmsVariant>(campaign.sms, recipient.contact.locale);
  return {
    receptor: recipient.address,
    text: renderSms(layout, variant.text, recipient.contact, code),
    localId: deliveryLocalId(campaign.id, recipient.contact.id, 'sms'),
  };
}

/** The final SMS of `text` for one contact: placeholders filled, then the link's `code` and the suffix. */
export function renderSms(layout: SmsLayout, text: string, contact: Contact, code: string): string {
  return composeSms(layout, renderTemplate(text, contactValues(contact)), code);
}

/**
 * Campaign SMS through the provider, from the one verified line the provider was built with.
 * Before sending to a recipient whose earlier attempt died inside the provider call, it asks
 * the provider by local id, so an SMS that did go out is recorded instead of sent again.
 */
export class SmsChannel implements ChannelSender {
  readonly channel = 'sms' as const;

  constructor(private readonly deps: SmsChannelDeps) {}

  async send(
    campaign: Campaign,
    recipients: readonly Recipient[],
    reachable?: Reachability,
  ): Promise<SendResult[]> {
    const results = new Array<SendResult | undefined>(recipients.length);
    const composed = await mapWithConcurrency(recipients, LINK_CONCURRENCY, async (recipient, index) => {
      try {
        const message = await this.compose(campaign, recipient);
        // Long placeholder values can push a text past Kavenegar's limit: never cut the suffix.
        if (smsLength(message.text) > MAX_SMS_LENGTH)
          results[index] = { kind: 'failed', reason: 'sms_too_long' };
        return message;
      } catch (error) {
        // Nothing reached the provider this time: the claim is released and the message comes
        // back, unless an earlier attempt may have: then it stays unresolved for its lookup.
        const reason = `short link: ${(error as Error).message}`;
        results[index] = recipient.takeover ? { kind: 'unknown', reason } : { kind: 'retry', reason };
        return undefined;
      }
    });
    // Recipients already decided keep an empty stand-in: only undecided ones are looked up or sent.
    const messages = composed.map((message) => message ?? { receptor: '', text: '', localId: '' });
    const takenOver = messages.filter(
      (_, index) => results[index] === undefined && recipients[index]?.takeover,
    );
    if (takenOver.length > 0) {
      // Only a lookup that answers "not sent", within its window, lets a taken-over message go out.
      let found: Map<string, { messageId: string; status: number }> | undefined;
      let failed: SendResult | undefined;
      try {
        found = await this.deps.lookup.findByLocalIds(takenOver.map((message) => message.localId));
      } catch (error) {
        failed = unresolvedAfter(error);
      }
      const now = (this.deps.now ?? (() => new Date()))().getTime();
      messages.forEach((message, index) => {
        const recipient = recipients[index];
        if (!recipient || !takenOver.includes(message)) return;
        const receipt = found?.get(message.localId);
        const attemptedAt = recipient.attemptedAt === undefined ? now : Date.parse(recipient.attemptedAt);
        if (receipt) {
          results[index] = {
            kind: 'sent',
            content: message.text,
            providerMessageId: receipt.messageId,
            providerStatus: receipt.status,
          };
        } else if (!(now - attemptedAt < LOOKUP_WINDOW_MS)) {
          // Kavenegar no longer knows the local id: a second send could be a duplicate.
          results[index] = { kind: 'failed', reason: 'outcome_unknown' };
        } else if (failed) {
          results[index] = failed;
        }
      });
    }
    const toSend = messages.filter((_, index) => results[index] === undefined);
    if (toSend.length > 0) {
      const outcome = await this.deps.sms.sendDetailed(
        toSend,
        reachable ? { beforeCall: stillReachableMessages(messages, recipients, reachable) } : {},
      );
      const receipts = new Map(outcome.receipts.map((receipt) => [receipt.localId, receipt]));
      const failures = new Map(outcome.failures.map((failure) => [failure.localId, failure.error]));
      const dropped = new Set(outcome.dropped);
      messages.forEach((message, index) => {
        if (results[index] !== undefined) return;
        if (dropped.has(message.localId)) {
          results[index] = { kind: 'suppressed', reason: 'opted_out' };
          return;
        }
        const receipt = receipts.get(message.localId);
        const error = failures.get(message.localId);
        results[index] = receipt
          ? {
              kind: 'sent',
              content: message.text,
              providerMessageId: receipt.messageId,
              providerStatus: receipt.status,
            }
          : error
            ? resultForError(error)
            : // The call went out and said nothing of this message: it may have been accepted.
              { kind: 'unknown', reason: 'no answer for this message' };
      });
    }
    const final = results.map(
      (result): SendResult => result ?? { kind: 'retry', reason: 'no answer for this message' },
    );
    await this.recordForPolling(campaign, recipients, final);
    return final;
  }

  /**
   * The accepted SMS, grouped by the attempt that reached the provider. A failure here throws:
   * the claims stay marked, and the next attempt finds the SMS by local id and records them.
   */
  private async recordForPolling(
    campaign: Campaign,
    recipients: readonly Recipient[],
    results: readonly SendResult[],
  ): Promise<void> {
    if (!this.deps.statuses) return;
    const now = (this.deps.now ?? (() => new Date()))().toISOString();
    const byAttempt = new Map<string, { messageId: string; contactId: string }[]>();
    results.forEach((result, index) => {
      const recipient = recipients[index];
      if (result.kind !== 'sent' || !recipient) return;
      const at = recipient.attemptedAt ?? now;
      const group = byAttempt.get(at) ?? [];
      group.push({ messageId: result.providerMessageId, contactId: recipient.contact.id });
      byAttempt.set(at, group);
    });
    for (const [at, sent] of byAttempt) await this.deps.statuses.record(campaign.id, new Date(at), sent);
  }

  private async compose(campaign: Campaign, recipient: Recipient): Promise<SmsMessage> {
    // One link per contact × topic, reused by every campaign on the topic.
    const link = await this.deps.links.linkFor({
      ref: recipient.contact.ref,
      channel: 'sms',
      topic: campaign.topic,
    });
    return smsFor(campaign, recipient, this.deps.layout, link.code);
  }
}

/** The hook that asks, for each provider call's messages, which recipients are still reachable. */
function stillReachableMessages(
  messages: readonly SmsMessage[],
  recipients: readonly Recipient[],
  reachable: Reachability,
): (slice: readonly SmsMessage[]) => Promise<readonly SmsMessage[]> {
  const byLocalId = new Map(messages.map((message, index) => [message.localId, recipients[index]]));
  return async (slice) => {
    const wanted = slice
      .map((message) => byLocalId.get(message.localId))
      .filter((recipient): recipient is Recipient => recipient !== undefined);
    const still = await reachable(wanted);
    return slice.filter((message) => {
      const recipient = byLocalId.get(message.localId);
      return recipient !== undefined && still.has(recipient);
    });
  };
}
