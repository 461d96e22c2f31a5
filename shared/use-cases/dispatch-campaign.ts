import { queues } from '../definitions';
import type { Campaign } from '../domain/campaign';
import { MAX_DISPATCH_UNITS, roundDispatched, unitsToRun } from '../domain/dispatch';
import { newId } from '../domain/ids';
import type { DispatchMessage, RecipientsMessage } from '../domain/messages';
import { contactValues } from '../domain/placeholders';
import { analyseSms } from '../domain/sms-segments';
import { type SmsLayout, sampleSms } from '../domain/sms-text';
import { contentFor, type SmsVariant } from '../domain/template';
import type { Channel, Contact } from '../domain/types';
import type { AudienceSource, CampaignStore, WorkQueue } from '../ports';
import { completeIfDone } from './campaigns';

export interface DispatchDeps {
  readonly campaigns: CampaignStore;
  /** The campaign's recipients, unit by unit. */
  readonly audience: AudienceSource;
  readonly queue: WorkQueue;
  readonly now: () => Date;
  /** Contacts read per page (one dispatcher invocation). */
  readonly pageSize: number;
  /**
   * How long a page run holds its unit, and how long a unit may wait for its next page before
   * the sweep assumes its chain broke and revives it.
   */
  readonly leaseMs: number;
  /** The senders' SMS layout, to count the segments each recipient's SMS will take. */
  readonly smsLayout: SmsLayout;
}

/** How far the API's clock (which stamped sendAt) may run ahead of the dispatcher's. */
const SEND_AT_CLOCK_SKEW_MS = 5_000;

export type DispatchResult = 'dispatched' | 'finished' | 'skipped';

function addressFor(contact: Contact, channel: Channel): string | undefined {
  return channel === 'sms' ? contact.phone : contact.email;
}

/** Splits a page into per-channel messages of the size each queue's consumer expects. */
export function recipientMessages(campaign: Campaign, contacts: readonly Contact[]): RecipientsMessage[] {
  const messages: RecipientsMessage[] = [];
  for (const channel of campaign.channels) {
    const ids = contacts.filter((contact) => addressFor(contact, channel)).map((contact) => contact.id);
    const size = queues[channel].recipientsPerMessage;
    for (let i = 0; i < ids.length; i += size) {
      messages.push({ v: 1, campaignId: campaign.id, channel, contactIds: ids.slice(i, i + size) });
    }
  }
  return messages;
}

/** SMS segments of each SMS recipient's own final text (placeholders rendered, link and suffix). */
export function expectedSegments(
  campaign: Campaign,
  contacts: readonly Contact[],
  layout: SmsLayout,
): number {
  const content = campaign.sms;
  if (!content || !campaign.channels.includes('sms')) return 0;
  return contacts
    .filter((contact) => addressFor(contact, 'sms'))
    .reduce((sum, contact) => {
      const { variant } = contentFor<SmsVariant>(content, contact.locale);
      return sum + analyseSms(sampleSms(layout, variant.text, contactValues(contact))).segments;
    }, 0);
}

/**
 * The dispatcher, listmonk style but fanned out: a campaign's audience is split into units
 * (parallel scan segments, list shards …), each paged by its own chain of queue messages with
 * its own cursor and lease beside the campaign. A message without a unit starts the round's
 * units or revives those whose chain went quiet; a unit's message enqueues one page.
 */
export async function dispatchCampaign(
  deps: DispatchDeps,
  message: DispatchMessage,
): Promise<DispatchResult> {
  const now = deps.now();
  let campaign = await deps.campaigns.get(message.campaignId);
  if (campaign?.status === 'scheduled') {
    campaign =
      (await deps.campaigns.transition(campaign.id, 'sending', ['scheduled'], now, {
        leaseUntil: new Date(now.getTime() + deps.leaseMs),
        // A message sent before an edit moved sendAt later (or held the campaign) starts nothing.
        dueBy: new Date(now.getTime() + SEND_AT_CLOCK_SKEW_MS),
      })) ?? (await deps.campaigns.get(campaign.id));
  }
  // Paused or cancelled: every unit stops at its next page (a resume starts a new round).
  if (campaign?.status !== 'sending' || campaign.dispatchedAt) return 'skipped';
  const round = campaign.round ?? 1;
  if ((message.round ?? 1) !== round) return 'skipped';
  return message.unit === undefined
    ? startUnits(deps, campaign, round)
    : dispatchPage(deps, campaign, round, message.unit, message.cursor);
}

/**
 * Fixes the round's units and sends a page message to each one not started or gone quiet.
 * Safe to run any number of times at once (the API's message, the sweep): a unit's page is
 * taken by one run only, so a duplicate message enqueues nothing.
 */
async function startUnits(deps: DispatchDeps, campaign: Campaign, round: number): Promise<DispatchResult> {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + deps.leaseMs);
  // Unit numbers travel in dispatch messages, which allow 0 to MAX_DISPATCH_UNITS - 1.
  const wanted = Math.min(MAX_DISPATCH_UNITS, Math.max(1, await deps.audience.units(campaign.audience)));
  const units = await deps.campaigns.planDispatch(campaign.id, round, wanted, leaseUntil);
  if (units === undefined) return 'skipped';
  const states = await deps.campaigns.dispatchUnits(campaign.id, round);
  if (roundDispatched(units, states)) {
    // Every unit finished but the campaign was not marked (a crash between the two).
    await deps.campaigns.finishDispatch(campaign.id, round, now);
    await completeIfDone(deps, campaign.id);
    return 'finished';
  }
  const run = unitsToRun(units, states, now);
  if (run.length === 0) return 'skipped';
  await deps.queue.sendDispatch(
    run.map(({ unit, cursor }) => ({ v: 1 as const, campaignId: campaign.id, cursor, round, unit })),
  );
  return 'dispatched';
}

/**
 * Enqueues one page of a unit exactly once: the page is taken (cursor and lease, conditional)
 * before anything is enqueued and saved with its counts after, so a concurrent or duplicate run
 * enqueues nothing. A run that dies after enqueuing and before saving leaves the page to be
 * taken again once its lease has run out: then its recipients are queued twice, and the
 * delivery ledger's claims send each of them once.
 */
async function dispatchPage(
  deps: DispatchDeps,
  campaign: Campaign,
  round: number,
  unit: number,
  cursor: string | null,
): Promise<DispatchResult> {
  const units = campaign.dispatchUnits;
  if (units === undefined || unit >= units) return 'skipped';
  const startedAt = deps.now();
  const leaseId = newId(startedAt.getTime());
  const page = { round, unit, expected: cursor, leaseId };
  const leaseUntil = new Date(startedAt.getTime() + deps.leaseMs);
  if (!(await deps.campaigns.takeDispatchPage(campaign.id, { ...page, leaseUntil }, startedAt)))
    return 'skipped';

  const read = await deps.audience.page(campaign.audience, { index: unit, of: units }, cursor, deps.pageSize);
  const messages = recipientMessages(campaign, read.contacts);
  await deps.queue.sendRecipients(messages);
  const added = messages.reduce((sum, item) => sum + item.contactIds.length, 0);
  const segments = expectedSegments(campaign, read.contacts, deps.smsLayout);
  const now = deps.now();
  const saved = await deps.campaigns.saveDispatchPage(
    campaign.id,
    { ...page, next: read.next, added, segments, leaseUntil: new Date(now.getTime() + deps.leaseMs) },
    now,
  );
  if (!saved) return 'skipped';
  if (read.next !== null) {
    await deps.queue.sendDispatch([{ v: 1, campaignId: campaign.id, cursor: read.next, round, unit }]);
    return 'dispatched';
  }
  // The last unit's last page marked the campaign dispatched; with nobody left to reach, it is done.
  await completeIfDone(deps, campaign.id);
  return 'finished';
}
