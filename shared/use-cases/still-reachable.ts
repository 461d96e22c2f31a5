import type { Campaign } from '../domain/campaign';
import { isSuppressed } from '../domain/consent';
import type { Recipient } from '../domain/delivery';
import type { Channel } from '../domain/types';
import type { ConsentStore } from '../ports';
import { type AddressSuppressionDeps, suppressedAddresses } from './address-suppressions';

/** What deciding whether recipients may still be sent to reads. */
export interface ReachabilityDeps {
  readonly consent: ConsentStore;
  /** Suppressions bound to the address (any contact id holding it); unchecked when absent. */
  readonly addressSuppressions?: Pick<AddressSuppressionDeps, 'suppressions' | 'erasureKey'>;
}

/**
 * The recipients that may still be sent `campaign` on `channel` now: neither the campaign's
 * topic nor the all-topics switch of the channel is opted out, and their address carries no
 * suppression on the channel (unsubscribe-all, status 14, hard bounce, complaint). Asked at claim time and again
 * right before each provider call, so an opt-out recorded before a call starts is honoured.
 * One BatchGetItem per call (ConsentStore.statesForMany batches), and the address reads.
 */
export async function stillReachable(
  deps: ReachabilityDeps,
  campaign: Pick<Campaign, 'topic'>,
  channel: Channel,
  recipients: readonly Recipient[],
): Promise<Set<Recipient>> {
  if (recipients.length === 0) return new Set();
  const ids = [...new Set(recipients.map((recipient) => recipient.contact.id))];
  const [states, addresses] = await Promise.all([
    deps.consent.statesForMany(ids, channel, campaign.topic),
    deps.addressSuppressions
      ? suppressedAddresses(
          deps.addressSuppressions,
          channel,
          recipients.map((recipient) => recipient.address),
        )
      : new Set<string>(),
  ]);
  return new Set(
    recipients.filter(
      (recipient) =>
        !addresses.has(recipient.address) &&
        !isSuppressed(states.get(recipient.contact.id) ?? [], campaign.topic),
    ),
  );
}
