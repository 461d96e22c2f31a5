import type { DeliveryKey, Recipient, SendResult } from '../domain/delivery';
import { ProviderError } from '../domain/errors';
import type { RecipientsMessage } from '../domain/messages';
import {
  isProviderDown,
  PROVIDER_UNAVAILABLE,
  QUOTA_PAUSE_MS,
  SES_DAILY_QUOTA,
} from '../domain/retry-backoff';
import type { Channel, Contact } from '../domain/types';
import type { ChannelSender, DeliverDeps } from '../ports';
import { completeIfDone } from './campaigns';
import { mapWithConcurrency } from './concurrency';
import { stillReachable } from './still-reachable';

/** Thrown so the queue message comes back later: some recipients met a passing failure. */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  /**
   * Some recipients were left with an unknown outcome and keep their claims: the message must
   * not come back before their lease has run out, or their held claims would be skipped.
   */
  readonly unknown: boolean;

  constructor(message: string, options: { unknown?: boolean } = {}) {
    super(message);
    this.unknown = options.unknown ?? false;
  }
}

/** Where a queue message stands among its receives. */
export interface DeliveryAttempt {
  /** The queue's last receive: a retry would send the message to its DLQ. */
  readonly lastReceive?: boolean;
}

/** Maps a provider error to what the delivery loop does with the recipient. */
export function resultForError(error: unknown): SendResult {
  if (!(error instanceof ProviderError)) throw error;
  const reason = `${error.provider}:${error.code}`;
  if (error.outcomeUnknown) return { kind: 'unknown', reason };
  switch (error.failureClass) {
    case 'retryable':
      return { kind: 'retry', reason };
    case 'campaign':
      return {
        kind: 'stop',
        reason: `${reason} ${error.message}`,
        ...(error.context.pause === 'quota' ? { pause: 'quota' as const } : {}),
      };
    default:
      return { kind: 'failed', reason };
  }
}

const CLAIM_CONCURRENCY = 10;

function addressOf(contact: Contact, channel: Channel): string | undefined {
  return channel === 'sms' ? contact.phone : contact.email;
}

/**
 * Delivers one queue message's recipients on its channel, exactly once each: claim, check
 * consent (stillReachable) after the claims and again right before each provider call, send,
 * then end the delivery with its counter. Passing
 * failures release their claims and throw RetryLaterError; a failure that will not heal by
 * itself pauses the campaign and raises an alarm.
 */
export async function deliverRecipients(
  deps: DeliverDeps,
  sender: ChannelSender,
  message: RecipientsMessage,
  attempt: DeliveryAttempt = {},
): Promise<void> {
  const campaign = await deps.campaigns.get(message.campaignId);
  // Cancelled or finished: nothing more goes out. Paused: resume re-dispatches what is left.
  if (campaign?.status !== 'sending') return;
  const channel = sender.channel;
  const contacts = await deps.contacts.getMany(message.contactIds);
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const claimed: Recipient[] = [];
  // Claims another sender holds: a live sender ends them, but a holder that died (or kept an
  // unknown outcome through a pause) ends nothing, so this message must come back after the lease.
  let held = 0;

  await mapWithConcurrency(message.contactIds, CLAIM_CONCURRENCY, async (contactId) => {
    const key: DeliveryKey = { campaignId: campaign.id, contactId, channel };
    const claim = await deps.deliveries.claim(key, deps.now(), deps.leaseMs);
    if (claim.kind === 'held') held += 1;
    if (claim.kind !== 'claimed') return;
    const contact = byId.get(contactId);
    const address = contact && addressOf(contact, channel);
    const end = (outcome: 'failed' | 'suppressed', reason: string) =>
      deps.deliveries.end(key, claim.claimId, { outcome, reason }, deps.now());
    if (!contact) return end('suppressed', 'contact_erased');
    if (!address) return end('failed', 'no_address');
    claimed.push({
      key,
      claimId: claim.claimId,
      contact,
      address,
      takeover: claim.takeover,
      ...(claim.attemptedAt === undefined ? {} : { attemptedAt: claim.attemptedAt }),
    });
  });

  // Read after the claims: a sender that waited for one sees the opt-outs recorded meanwhile.
  const reachable = await stillReachable(deps, campaign, channel, claimed);
  const ready = claimed.filter((recipient) => reachable.has(recipient));
  await mapWithConcurrency(
    claimed.filter((recipient) => !reachable.has(recipient)),
    CLAIM_CONCURRENCY,
    (recipient) =>
      deps.deliveries.end(
        recipient.key,
        recipient.claimId,
        { outcome: 'suppressed', reason: 'opted_out' },
        deps.now(),
      ),
  );

  // Past this write a crash leaves the outcome unknown; before it, a retry may simply send.
  const markedAt = deps.now();
  await deps.deliveries.markAttempts(ready, markedAt);
  // Each recipient carries the attempt's time: SMS status polling groups what went out by it.
  const attempted = ready.map((recipient) =>
    recipient.attemptedAt === undefined ? { ...recipient, attemptedAt: markedAt.toISOString() } : recipient,
  );
  const results =
    attempted.length > 0
      ? await sender.send(campaign, attempted, (recipients) =>
          stillReachable(deps, campaign, channel, recipients),
        )
      : [];
  let retry: string | undefined;
  let stop: string | undefined;
  await mapWithConcurrency(ready, CLAIM_CONCURRENCY, async (recipient, index) => {
    // The channel may have reached the provider for it: never treat a missing answer as unsent.
    const result: SendResult = results[index] ?? { kind: 'unknown', reason: 'no result from channel' };
    const now = deps.now();
    if (result.kind === 'sent') {
      await deps.deliveries.end(
        recipient.key,
        recipient.claimId,
        {
          outcome: 'sent',
          recipient: recipient.address,
          content: result.content,
          providerMessageId: result.providerMessageId,
          ...(result.providerStatus === undefined ? {} : { providerStatus: result.providerStatus }),
        },
        now,
      );
    } else if (result.kind === 'failed') {
      await deps.deliveries.end(
        recipient.key,
        recipient.claimId,
        { outcome: 'failed', reason: result.reason },
        now,
      );
    } else if (result.kind === 'suppressed') {
      // Opted out while the call waited for its turn: never handed to the provider.
      await deps.deliveries.end(
        recipient.key,
        recipient.claimId,
        { outcome: 'suppressed', reason: result.reason },
        now,
      );
    } else if (result.kind === 'unknown') {
      // The claim and its provider mark stay: the next attempt after the lease asks the provider
      // first, and sends only if the provider says it never got the message.
      retry ??= result.reason;
    } else {
      if (result.kind === 'stop') stop ??= result.reason;
      else retry ??= result.reason;
      // A stop that left the outcome unknown keeps the provider mark through the pause and resume.
      const outcomeUnknown = result.kind === 'stop' && result.outcomeUnknown === true;
      await deps.deliveries.release(recipient.key, recipient.claimId, result.reason, { outcomeUnknown });
    }
  });

  const pause = async (reason: string, detail: string, resumeAfter?: Date) => {
    const paused = await deps.campaigns.transition(campaign.id, 'paused', ['sending'], deps.now(), {
      pausedReason: reason,
      ...(resumeAfter ? { resumeAfter } : {}),
    });
    if (paused) deps.alarms.campaignPaused(campaign.id, detail);
  };
  // The provider answered someone: its run of failures ends. No answer at all: one more failure.
  const answered = results.some((result) => result.kind === 'sent' || result.kind === 'failed');
  if (answered) await deps.health?.recordSuccess(channel);
  if (stop) {
    const quota = results.some((result) => result.kind === 'stop' && result.pause === 'quota');
    if (quota) {
      await pause(
        SES_DAILY_QUOTA,
        `${SES_DAILY_QUOTA}: ${stop}`,
        new Date(deps.now().getTime() + QUOTA_PAUSE_MS),
      );
    } else await pause(stop, stop);
    return;
  }
  if (retry) {
    const now = deps.now();
    const down =
      !answered && deps.health ? isProviderDown(await deps.health.recordFailure(channel, now), now) : false;
    // Never retried into the DLQ: a provider that keeps failing pauses the campaign, and resume
    // sends what is left (ended deliveries are skipped by their claims).
    if (down || attempt.lastReceive) {
      await pause(PROVIDER_UNAVAILABLE, `${PROVIDER_UNAVAILABLE}: ${retry}`);
      return;
    }
    throw new RetryLaterError(`Retrying recipients of campaign ${campaign.id}: ${retry}`, {
      unknown: held > 0 || results.some((result) => result.kind === 'unknown'),
    });
  }
  // On its last receive the message is let go: its holders' own messages still carry them.
  if (held > 0 && !attempt.lastReceive) {
    throw new RetryLaterError(`${held} recipients of campaign ${campaign.id} are held by another sender`, {
      unknown: true,
    });
  }
  await completeIfDone(deps, campaign.id);
}
