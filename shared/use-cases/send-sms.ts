import type { Campaign } from '../domain/campaign';
import { deliveryLocalId } from '../domain/ids';
import { contactValues, renderTemplate } from '../domain/placeholders';
import type { SmsBatchProvider, SmsLookup, SmsMessage } from '../ports';
import type { ChannelSender, Recipient, SendResult } from './deliver-recipients';
import { resultForError } from './deliver-recipients';

export interface SmsChannelDeps {
  readonly sms: SmsBatchProvider;
  readonly lookup: SmsLookup;
}

/** The SMS one recipient of a campaign gets. */
export function smsFor(campaign: Campaign, recipient: Recipient): SmsMessage {
  const text = campaign.sms?.text;
  if (!text) throw new Error(`Campaign ${campaign.id} has no SMS text`);
  return {
    receptor: recipient.address,
    text: renderTemplate(text, contactValues(recipient.contact)),
    localId: deliveryLocalId(campaign.id, recipient.contact.id, 'sms'),
  };
}

/**
 * Campaign SMS through the provider, from the one verified line the provider was built with.
 * Before sending to a recipient whose earlier attempt died inside the provider call, it asks
 * the provider by local id, so an SMS that did go out is recorded instead of sent again.
 */
export class SmsChannel implements ChannelSender {
  readonly channel = 'sms' as const;

  constructor(private readonly deps: SmsChannelDeps) {}

  async send(campaign: Campaign, recipients: readonly Recipient[]): Promise<SendResult[]> {
    const messages = recipients.map((recipient) => smsFor(campaign, recipient));
    const results = new Array<SendResult | undefined>(recipients.length);
    const takenOver = messages.filter((_, index) => recipients[index]?.takeover);
    if (takenOver.length > 0) {
      try {
        const found = await this.deps.lookup.findByLocalIds(takenOver.map((message) => message.localId));
        messages.forEach((message, index) => {
          const receipt = found.get(message.localId);
          if (receipt) {
            results[index] = {
              kind: 'sent',
              content: message.text,
              providerMessageId: receipt.messageId,
              providerStatus: receipt.status,
            };
          }
        });
      } catch (error) {
        const result = resultForError(error);
        const unresolved: SendResult =
          result.kind === 'unknown' ? { kind: 'retry', reason: result.reason } : result;
        messages.forEach((message, index) => {
          if (takenOver.includes(message)) results[index] = unresolved;
        });
      }
    }
    const toSend = messages.filter((_, index) => results[index] === undefined);
    if (toSend.length > 0) {
      const outcome = await this.deps.sms.sendDetailed(toSend);
      const receipts = new Map(outcome.receipts.map((receipt) => [receipt.localId, receipt]));
      const failures = new Map(outcome.failures.map((failure) => [failure.localId, failure.error]));
      messages.forEach((message, index) => {
        if (results[index] !== undefined) return;
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
            : { kind: 'retry', reason: 'no answer for this message' };
      });
    }
    return results.map((result) => result ?? { kind: 'retry', reason: 'no answer for this message' });
  }
}
