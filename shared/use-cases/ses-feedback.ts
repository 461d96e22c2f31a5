import type { ConsentSource } from '../domain/consent';
import type { DeliveryKey } from '../domain/delivery';
import type { EmailFeedback, FeedbackCounter } from '../domain/email-feedback';
import { newId } from '../domain/ids';
import { ALL_TOPICS } from '../domain/types';
import type { Alarms, CampaignStore, ConsentStore, ContactStore, FeedbackStore } from '../ports';
import { tripReputationBreaker } from './email-pauses';

/**
 * The message tags campaign email carries (send-email.ts) and SES publishes back with every
 * event: enough to find the delivery, nothing personal.
 */
export const FEEDBACK_TAGS = { campaign: 'campaign', ref: 'ref', channel: 'channel' } as const;

export type SesFeedbackResult =
  /** Not campaign email of ours (no campaign or ref tag): nothing to do. */
  | { readonly outcome: 'untagged' }
  /** The ref names no contact any more (erased): nothing to suppress. */
  | { readonly outcome: 'unknown_contact' }
  /** Counted on this delivery before: a repeated SNS or SQS delivery. */
  | { readonly outcome: 'duplicate'; readonly campaignId: string; readonly contactId: string }
  | {
      readonly outcome: 'recorded';
      readonly campaignId: string;
      readonly contactId: string;
      /** An opt-out was recorded. */
      readonly suppressed: boolean;
      /** False when the delivery is not in the ledger (the counter could not be kept). */
      readonly counted: boolean;
      /** The reputation breaker's reason when the campaign is past its limits. */
      readonly reputation?: string;
    };

import { type AddressSuppressionDeps, suppressAddress } from './address-suppressions';

export interface SesFeedbackDeps {
  readonly contacts: ContactStore;
  readonly consent: ConsentStore;
  readonly feedback: FeedbackStore;
  readonly now: () => Date;
  /** Binds a hard bounce or a complaint to the address too (any contact id holding it). */
  readonly addressSuppressions?: AddressSuppressionDeps;
  /** The reputation breaker: checked after each bounce or complaint counted. */
  readonly breaker?: {
    readonly campaigns: Pick<CampaignStore, 'transition' | 'getWithStats'>;
    readonly alarms: Alarms;
  };
}

const COUNTER: Record<EmailFeedback['kind'], FeedbackCounter> = {
  bounce: 'bounced',
  complaint: 'complained',
};
const SOURCE: Record<EmailFeedback['kind'], ConsentSource> = {
  bounce: 'ses_bounce',
  complaint: 'ses_complaint',
};

/**
 * Turns SES feedback into consent and stats. A permanent bounce stops email to that address on
 * every topic (it hurts the sender's reputation: SES reviews an account at 5% bounces); a
 * complaint opts the person out of email marketing (review at 0.1%); a soft bounce only counts.
 * The opt-out and its ledger entry are written before the counter: if we die in between, the
 * retry finds the opt-out recorded (idempotent by cause) and then counts, so suppression is
 * never lost and the ledger shows it once.
 */
export async function recordSesFeedback(
  deps: SesFeedbackDeps,
  feedback: EmailFeedback,
): Promise<SesFeedbackResult> {
  const campaignId = feedback.tags[FEEDBACK_TAGS.campaign];
  const ref = feedback.tags[FEEDBACK_TAGS.ref];
  const channel = feedback.tags[FEEDBACK_TAGS.channel] ?? 'email';
  if (!campaignId || !ref || channel !== 'email') return { outcome: 'untagged' };

  const contact = await deps.contacts.getByRef(ref);
  if (!contact) return { outcome: 'unknown_contact' };

  const key: DeliveryKey = { campaignId, contactId: contact.id, channel: 'email' };
  const counter = COUNTER[feedback.kind];
  if (await deps.feedback.isCounted(key, counter)) {
    return { outcome: 'duplicate', campaignId, contactId: contact.id };
  }

  // A bounce is about an address: if the contact has changed theirs since, the new one is fine.
  const suppress =
    feedback.kind === 'complaint' ||
    (feedback.permanent && contact.email !== undefined && feedback.recipients.includes(contact.email));
  const now = deps.now();
  if (suppress) {
    // Once per campaign, contact and kind: a redelivery after a crash between this write and
    // the counter writes no second ledger line.
    const once = `ses#${feedback.kind}#${campaignId}`;
    await deps.consent.record(
      {
        id: newId(now.getTime()),
        contactId: contact.id,
        action: 'opt_out',
        channel: 'email',
        topic: ALL_TOPICS,
        source: SOURCE[feedback.kind],
        at: now.toISOString(),
        campaignId,
        evidence: {},
      },
      { once },
    );
    if (deps.addressSuppressions) {
      const kind = feedback.kind === 'complaint' ? 'opted_out' : 'hard_bounce';
      await suppressAddress(deps.addressSuppressions, 'email', contact.email, kind);
    }
  }
  const counted = await deps.feedback.count(key, counter, now);
  // Checked on every recorded event (a redelivery whose count landed before may trip it too).
  const reputation =
    deps.breaker && counted !== 'no_delivery'
      ? await tripReputationBreaker({ ...deps.breaker, now: deps.now }, campaignId)
      : undefined;
  return {
    outcome: 'recorded',
    campaignId,
    contactId: contact.id,
    suppressed: suppress,
    counted: counted !== 'no_delivery',
    ...(reputation ? { reputation } : {}),
  };
}
