/** How one test copy is rendered and sent: the campaign's real SMS or email, marked as a test. */
import type { Campaign } from '../domain/campaign';
import { markedAsTest, type TestSendResult } from '../domain/campaign-test';
import { ProviderError } from '../domain/errors';
import { deliveryLocalId } from '../domain/ids';
import { contactValues, renderTemplate } from '../domain/placeholders';
import type { SmsMessage } from '../domain/sms';
import { smsLength } from '../domain/sms-segments';
import { composeSms, MAX_SMS_LENGTH, type SmsLayout } from '../domain/sms-text';
import { contentFor, type SmsVariant } from '../domain/template';
import type { Channel, Contact } from '../domain/types';
import { signUnsubscribeToken, type TokenKeyring } from '../domain/unsubscribe-token';
import type { EmailProvider, LinkStore, SmsBatchProvider, TemplateSource } from '../ports';
import { renderCampaignEmail } from './render-email';

/** One copy to send: a target, a channel, the address and who it is rendered for. */
export interface Copy {
  readonly target: string;
  readonly channel: Channel;
  readonly address: string;
  readonly contact: Contact;
  /** A contact of ours: its consent for the topic applies. */
  readonly known: boolean;
}

/** What became of one copy; `maybeSent` when a failed call may still have delivered it. */
export interface CopyOutcome extends Pick<TestSendResult, 'status' | 'reason'> {
  readonly maybeSent?: boolean;
}

export interface CopyDeps {
  /** The senders' provider behind the shared SMS rate, from the one verified line. */
  readonly sms: SmsBatchProvider;
  readonly email: EmailProvider;
  readonly links: LinkStore;
  readonly layout: SmsLayout;
  readonly keyring: () => Promise<TokenKeyring>;
  readonly publicBaseUrl: string;
  readonly templates: TemplateSource;
}

/**
 * The SMS copies in one provider call (through the shared rate), each with its contact's own
 * short link and «لغو۱۱», and a local id of its own. One outcome per copy, in order.
 */
export async function sendTestSms(
  deps: CopyDeps,
  campaign: Campaign,
  copies: readonly Copy[],
  now: Date,
): Promise<CopyOutcome[]> {
  const content = campaign.sms;
  if (copies.length === 0) return [];
  if (!content) return copies.map(() => ({ status: 'failed', reason: 'no SMS content' }));
  const messages = await Promise.all(
    copies.map(async (copy): Promise<SmsMessage | undefined> => {
      const link = await deps.links.linkFor({ ref: copy.contact.ref, channel: 'sms', topic: campaign.topic });
      // The variant of the recipient's locale, as the senders pick it (a template's, or the inline text).
      const { variant } = contentFor<SmsVariant>(content, copy.contact.locale);
      const body = markedAsTest(
        renderTemplate(variant.text, contactValues(copy.contact)),
        copy.contact.locale,
      );
      const message = {
        receptor: copy.address,
        text: composeSms(deps.layout, body, link.code),
        // Never the campaign's own local id: a lookup for the real SMS must not find the test.
        localId: deliveryLocalId(campaign.id, `test:${now.getTime()}:${copy.address}`, 'sms'),
      };
      return smsLength(message.text) > MAX_SMS_LENGTH ? undefined : message;
    }),
  );
  const sendable = messages.filter((message): message is SmsMessage => message !== undefined);
  const outcome =
    sendable.length > 0 ? await deps.sms.sendDetailed(sendable) : { receipts: [], failures: [] };
  const receipts = new Set(outcome.receipts.map((receipt) => receipt.localId));
  const failures = new Map(outcome.failures.map((failure) => [failure.localId, failure.error]));
  return messages.map((message): CopyOutcome => {
    if (!message) return { status: 'failed', reason: 'sms_too_long' };
    if (receipts.has(message.localId)) return { status: 'sent' };
    const error = failures.get(message.localId);
    return error
      ? { status: 'failed', reason: `${error.provider}:${error.code}`, maybeSent: error.outcomeUnknown }
      : { status: 'failed', reason: 'no answer for this message', maybeSent: true };
  });
}

/** One email copy in the campaign's frame, with its unsubscribe link and one-click headers. */
export async function sendTestEmail(deps: CopyDeps, campaign: Campaign, copy: Copy): Promise<CopyOutcome> {
  if (!campaign.email) return { status: 'failed', reason: 'no email content' };
  const token = signUnsubscribeToken(
    { ref: copy.contact.ref, channel: 'email', topic: campaign.topic, campaignId: campaign.id },
    await deps.keyring(),
  );
  const url = `${deps.publicBaseUrl.replace(/\/+$/, '')}/u/${token}`;
  const rendered = renderCampaignEmail(campaign, copy.contact, url, deps.templates);
  try {
    await deps.email.send({
      to: copy.address,
      subject: markedAsTest(rendered.subject, copy.contact.locale),
      html: rendered.html,
      text: rendered.text,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      // No campaign or ref tag: SES feedback on a test copy never counts in the campaign's stats.
      tags: { kind: 'campaign-test' },
    });
    return { status: 'sent' };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { status: 'failed', reason: `${error.provider}:${error.code}`, maybeSent: error.outcomeUnknown };
  }
}
