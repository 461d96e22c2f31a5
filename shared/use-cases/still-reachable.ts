import type { Campaign } from '../domain/campaign';
import { isSuppressed } from '../domain/consent';
import type { Recipient } from '../domain/delivery';
import type { Channel } from '../domain/types';
import type { ConsentStore } from '../ports';

/** What deciding whether recipients may still be sent to reads. */
export interface ReachabilityDeps {
  readonly consent: ConsentStore;
}

/**
 * The recipients that may still be sent `campaign` on `channel` now: neither the campaign's
 * topic nor the all-topics switch of the channel is opted out. Asked at claim time and again
 * right before each provider call, so an opt-out recorded before a call starts is honoured.
 * One BatchGetItem per call (ConsentStore.statesForMany batches).
 */
export async function stillReachable(
  deps: ReachabilityDeps,
  campaign: Pick<Campaign, 'topic'>,
  channel: Channel,
  recipients: readonly Recipient[],
): Promise<Set<Recipient>> {
  if (recipients.length === 0) return new Set();
  const ids = [...new Set(recipients.map((recipient) => recipient.contact.id))];
  const states = await deps.consent.statesForMany(ids, channel, campaign.topic);
  return new Set(
    recipients.filter((recipient) => !isSuppressed(states.get(recipient.contact.id) ?? [], campaign.topic)),
  );
}
