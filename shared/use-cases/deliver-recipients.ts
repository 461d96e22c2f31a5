import { randomUUID } from 'node:crypto';
import type { DeliveryEnd, DeliveryKey, EndedDelivery, Recipient, SendResult } from '../domain/delivery';
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
  /**
   * The queue message's id (SQS messageId): every end is stamped with it, and the message's
   * outcomes are counted once under it, so a redelivery recounts only what never got counted.
   */
  readonly messageId?: string;
  /** How often the queue has handed this message out, this time included (1 when unknown). */
  readonly receiveCount?: number;
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
 * Delivers one queue message's recipients on its channel, exactly once each: claim (under one
 * claim id for the run), check consent (stillReachable) after the claims and again right before
 * each provider call, record the attempt, send, end each delivery stamped with the queue message,
 * then count the message's ends in one write, once however often the message comes. Passing
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
  const channel = sender.channel;
  const runId = randomUUID();
  const messageId = attempt.messageId ?? runId;
  // Cancelled or finished: nothing more goes out. Paused: resume re-dispatches what is left.
  if (campaign?.status !== 'sending') {
    // A run of this message may have ended recipients and died before counting them: count
    // them now, or a campaign that stopped meanwhile would never see them.
    if (campaign && (attempt.receiveCount ?? 1) > 1) {
      const keys = message.contactIds.map((contactId) => ({ campaignId: campaign.id, contactId, channel }));
      const own = (await deps.deliveries.endedOf(keys)).filter((end) => end.endedBy.messageId === messageId);
      await deps.deliveries.countEnds(campaign.id, own, deps.now(), channel);
    }
    return;
  }
  const contacts = await deps.contacts.getMany(message.contactIds);
  const byId = new Map(contacts.map((contact) => [contact.id, contact]));
  const claimed: Recipient[] = [];
  // Claims another sender holds: a live sender ends them, but a holder that died (or kept an
  // unknown outcome through a pause) ends nothing, so this message must come back after the lease.
  let held = 0;
  // What this message counts once its ends are written: its own ends, and those an earlier run
  // of this same message wrote, whose count may not have landed (countEnds skips those that
  // did). Only this message's: a run's ends are recounted by a run that sees them all, and every
  // run of a message claims all of its recipients. Another message's ends are its own to count.
  const ends: EndedDelivery[] = [];
  const endedBy = { messageId, runId };
  const endOne = async (key: DeliveryKey, end: DeliveryEnd) => {
    if (await deps.deliveries.end(key, runId, { ...end, messageId }, deps.now()))
      ends.push({ outcome: end.outcome, endedBy, ...(end.reason ? { reason: end.reason } : {}) });
  };

  // A message handed out again mostly finds its deliveries ended: one consistent read of them
  // costs less than a claim each whose condition fails (a failed write is billed as a write).
  const endedBefore = new Set<string>();
  if ((attempt.receiveCount ?? 1) > 1) {
    const keys = message.contactIds.map((contactId) => ({ campaignId: campaign.id, contactId, channel }));
    for (const end of await deps.deliveries.endedOf(keys)) {
      endedBefore.add(end.key.contactId);
      if (end.endedBy.messageId === messageId)
        ends.push({
          outcome: end.outcome,
          endedBy: end.endedBy,
          ...(end.reason ? { reason: end.reason } : {}),
        });
    }
  }

  await mapWithConcurrency(message.contactIds, CLAIM_CONCURRENCY, async (contactId) => {
    if (endedBefore.has(contactId)) return;
    const key: DeliveryKey = { campaignId: campaign.id, contactId, channel };
    const known = byId.get(contactId);
    // Email: the address goes with the claim (its sent end is its run's one record, not the item).
    const emailTo = channel !== 'sms' && known ? addressOf(known, channel) : undefined;
    const claim = await deps.deliveries.claim(
      key,
      deps.now(),
      deps.leaseMs,
      runId,
      emailTo === undefined ? undefined : { recipient: emailTo },
    );
    if (claim.kind === 'held') held += 1;
    if (claim.kind === 'ended' && claim.outcome && claim.endedBy?.messageId === messageId)
      ends.push({ outcome: claim.outcome, endedBy: claim.endedBy });
    if (claim.kind !== 'claimed') return;
    const contact = byId.get(contactId);
    const address = contact && addressOf(contact, channel);
    const end = (outcome: 'failed' | 'suppressed', reason: string) => endOne(key, { outcome, reason });
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
    (recipient) => endOne(recipient.key, { outcome: 'suppressed', reason: 'opted_out' }),
  );

  // Past an attempt record a crash leaves the outcome unknown; before it, a retry may simply
  // send. SMS: one record for the run, before the sender starts (an unknown outcome is looked up
  // at Kavenegar by local id, so a record wider than the calls made costs a lookup, never a
  // message). Email: one record per SES call, written by the check right before it (SES cannot
  // be asked, so only what may really have gone out can be failed as outcome_unknown).
  const perCall = channel !== 'sms';
  const markedAt = deps.now();
  if (!perCall && ready.length > 0) await deps.deliveries.markAttempts(ready, markedAt);
  // Each SMS recipient carries its attempt's time: SMS status polling groups what went out by it.
  const attempted = perCall
    ? ready
    : ready.map((recipient) =>
        recipient.attemptedAt === undefined
          ? { ...recipient, attemptedAt: markedAt.toISOString() }
          : recipient,
      );
  // Set when the campaign was paused or cancelled while this message was sending.
  let stopped = false;
  const results =
    attempted.length > 0
      ? await sender.send(campaign, attempted, async (recipients) => {
          // Right before each provider call: a pause or cancel since the claims holds at once,
          // not after the rest of the message. The channel leaves the rest unsent (retry), their
          // claims are released below, and a resume dispatches them again. The status and the
          // consent are read at once: both before the call, and the wait for them is the call's.
          if (stopped) throw new Error(`campaign ${campaign.id} stopped while this message was sending`);
          const [current, still] = await Promise.all([
            deps.campaigns.get(campaign.id),
            stillReachable(deps, campaign, channel, recipients),
          ]);
          if (current?.status !== 'sending') stopped = true;
          if (stopped) throw new Error(`campaign ${campaign.id} stopped while this message was sending`);
          const going = recipients.filter((recipient) => still.has(recipient));
          if (perCall && going.length > 0) await deps.deliveries.markAttempts(going, deps.now());
          return still;
        })
      : [];
  let retry: string | undefined;
  let stop: string | undefined;
  // Email: the run's sent deliveries are ended together by one record of the run (endSent).
  const sentByRecord: { key: DeliveryKey; providerMessageId?: string }[] = [];
  await mapWithConcurrency(ready, CLAIM_CONCURRENCY, async (recipient, index) => {
    // The channel may have reached the provider for it: never treat a missing answer as unsent.
    const result: SendResult = results[index] ?? { kind: 'unknown', reason: 'no result from channel' };
    if (result.kind === 'sent' && perCall) {
      sentByRecord.push({
        key: recipient.key,
        ...(result.providerMessageId === undefined ? {} : { providerMessageId: result.providerMessageId }),
      });
    } else if (result.kind === 'sent') {
      await endOne(recipient.key, {
        outcome: 'sent',
        recipient: recipient.address,
        content: result.content,
        providerMessageId: result.providerMessageId,
        ...(result.providerStatus === undefined ? {} : { providerStatus: result.providerStatus }),
      });
    } else if (result.kind === 'failed') {
      await endOne(recipient.key, { outcome: 'failed', reason: result.reason });
    } else if (result.kind === 'suppressed') {
      // Opted out while the call waited for its turn: never handed to the provider.
      await endOne(recipient.key, { outcome: 'suppressed', reason: result.reason });
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

  if (sentByRecord.length > 0) {
    await deps.deliveries.endSent(runId, messageId, sentByRecord, deps.now());
    for (const _ of sentByRecord) ends.push({ outcome: 'sent', endedBy });
  }
  // One counting write for the whole message, after its ends: a crash before it leaves the ends
  // stamped with this message, and the redelivery counts them.
  if (ends.length > 0) await deps.deliveries.countEnds(campaign.id, ends, deps.now(), channel);
  // Stopped by the marketer (or a cancel): no provider failed, nothing to retry or pause.
  if (stopped) return;

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
