import type { Campaign } from '../domain/campaign';
import type { Recipient, SendResult } from '../domain/delivery';
import { ProviderError } from '../domain/errors';
import { signUnsubscribeToken, type TokenKeyring } from '../domain/unsubscribe-token';
import type { ChannelSender, EmailProvider, Reachability, TemplateSource } from '../ports';
import { mapWithConcurrency } from './concurrency';
import { resultForError } from './deliver-recipients';
import { renderCampaignEmail } from './render-email';

export interface EmailChannelDeps {
  readonly email: EmailProvider;
  readonly keyring: () => Promise<TokenKeyring>;
  /** https root of the public API; unsubscribe links are `<root>/u/<token>`. */
  readonly publicBaseUrl: string;
  readonly templates: TemplateSource;
  /** SES calls in flight at once from one function. */
  readonly concurrency: number;
}

/** Builds the signed unsubscribe URL for one recipient of a campaign. */
export function unsubscribeUrl(
  base: string,
  keyring: TokenKeyring,
  campaign: Campaign,
  recipient: Recipient,
): string {
  const token = signUnsubscribeToken(
    {
      ref: recipient.contact.ref,
      channel: recipient.key.channel,
      topic: campaign.topic,
      campaignId: campaign.id,
    },
    keyring,
  );
  return `${base.replace(/\/+$/, '')}/u/${token}`;
}

/** Campaign email through SES with RFC 8058 one-click unsubscribe headers. */
export class EmailChannel implements ChannelSender {
  readonly channel = 'email' as const;

  constructor(private readonly deps: EmailChannelDeps) {}

  async send(
    campaign: Campaign,
    recipients: readonly Recipient[],
    reachable?: Reachability,
  ): Promise<SendResult[]> {
    const keyring = await this.deps.keyring();
    return mapWithConcurrency(recipients, this.deps.concurrency, async (recipient): Promise<SendResult> => {
      // SES cannot tell whether an earlier attempt went out: never risk a second copy.
      if (recipient.takeover) return { kind: 'failed', reason: 'outcome_unknown' };
      const url = unsubscribeUrl(this.deps.publicBaseUrl, keyring, campaign, recipient);
      const rendered = renderCampaignEmail(campaign, recipient.contact, url, this.deps.templates);
      // Checked again right before SES: an opt-out recorded while earlier emails went out holds.
      if (reachable) {
        try {
          if (!(await reachable([recipient])).has(recipient))
            return { kind: 'suppressed', reason: 'opted_out' };
        } catch (error) {
          return { kind: 'retry', reason: `consent re-check: ${(error as Error).message}` };
        }
      }
      try {
        const { messageId } = await this.deps.email.send({
          to: recipient.address,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          // SES publishes these with its bounce and complaint events (ses-feedback.ts finds the
          // delivery by them): ids only, since tags land in logs and event streams.
          tags: {
            campaign: campaign.id,
            topic: campaign.topic,
            channel: recipient.key.channel,
            ref: recipient.contact.ref,
          },
        });
        return { kind: 'sent', content: rendered.subject, providerMessageId: messageId };
      } catch (error) {
        // SES may have accepted it and cannot be asked: fail it now rather than risk a second copy.
        if (error instanceof ProviderError && error.outcomeUnknown)
          return { kind: 'failed', reason: 'outcome_unknown' };
        return resultForError(error);
      }
    });
  }
}
