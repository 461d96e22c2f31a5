import { queues } from '../definitions';
import type { Campaign } from '../domain/campaign';
import type { DispatchMessage, RecipientsMessage } from '../domain/messages';
import { contactValues } from '../domain/placeholders';
import { analyseSms } from '../domain/sms-segments';
import { type SmsLayout, sampleSms } from '../domain/sms-text';
import type { Channel, Contact } from '../domain/types';
import type { CampaignStore, ContactStore, WorkQueue } from '../ports';
import { type AudienceDeps, readAudiencePage } from './audience-pages';
import { completeIfDone } from './campaigns';

export interface DispatchDeps {
  readonly campaigns: CampaignStore;
  readonly contacts: ContactStore;
  readonly queue: WorkQueue;
  readonly now: () => Date;
  /** Contacts read per page (one dispatcher invocation). */
  readonly pageSize: number;
  /** How long a page may take before the sweep assumes the chain broke and revives it. */
  readonly leaseMs: number;
  /** The senders' SMS layout, to count the segments each recipient's SMS will take. */
  readonly smsLayout: SmsLayout;
  /** Lists, segments and consent, for list and segment audiences and exclusions. */
  readonly audiences?: Pick<AudienceDeps, 'lists' | 'segments' | 'consent'>;
}

export type DispatchResult = 'dispatched' | 'finished' | 'skipped';

function addressFor(contact: Contact, channel: Channel): string | undefined {
  return channel === 'sms' ? contact.phone : contact.email;
}

async function readPage(
  deps: DispatchDeps,
  campaign: Campaign,
  cursor: string | null,
): Promise<{ contacts: Contact[]; next: string | null }> {
  const audience = campaign.audience;
  if (audience.exclude || 'listIds' in audience || 'segmentId' in audience) {
    if (!deps.audiences)
      throw new Error(`Campaign ${campaign.id}: list and segment audiences need the audiences deps`);
    return readAudiencePage({ contacts: deps.contacts, ...deps.audiences }, audience, cursor, deps.pageSize);
  }
  if ('all' in audience) {
    const page = await deps.contacts.scan({ limit: deps.pageSize, ...(cursor ? { cursor } : {}) });
    return { contacts: page.contacts, next: page.cursor ?? null };
  }
  const ids = audience.contactIds;
  const offset = cursor ? Number(cursor) : 0;
  const end = offset + deps.pageSize;
  const contacts = await deps.contacts.getMany(ids.slice(offset, end));
  return { contacts, next: end < ids.length ? String(end) : null };
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
  const template = campaign.sms?.text;
  if (!template || !campaign.channels.includes('sms')) return 0;
  return contacts
    .filter((contact) => addressFor(contact, 'sms'))
    .reduce(
      (sum, contact) => sum + analyseSms(sampleSms(layout, template, contactValues(contact))).segments,
      0,
    );
}

/**
 * Fans one page of a campaign's audience out to the channel queues, listmonk style: pages are
 * keyed by a cursor saved with the page's count, so a page runs exactly once however often its
 * message arrives, and a crash resumes from the last saved page.
 */
export async function dispatchCampaign(
  deps: DispatchDeps,
  message: DispatchMessage,
): Promise<DispatchResult> {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + deps.leaseMs);
  let campaign = await deps.campaigns.get(message.campaignId);
  if (campaign?.status === 'scheduled') {
    campaign =
      (await deps.campaigns.transition(campaign.id, 'sending', ['scheduled'], now, { leaseUntil })) ??
      (await deps.campaigns.get(campaign.id));
  }
  if (campaign?.status !== 'sending' || campaign.dispatchedAt) return 'skipped';
  const round = campaign.round ?? 1;
  const expected = campaign.dispatchCursor ?? null;
  if ((message.round ?? 1) !== round || message.cursor !== expected) return 'skipped';

  const page = await readPage(deps, campaign, expected);
  const messages = recipientMessages(campaign, page.contacts);
  await deps.queue.sendRecipients(messages);
  // Later rounds re-send the same audience: its size and segments were counted in round 1.
  const added = round === 1 ? messages.reduce((sum, item) => sum + item.contactIds.length, 0) : 0;
  const segments = round === 1 ? expectedSegments(campaign, page.contacts, deps.smsLayout) : 0;
  const saved = await deps.campaigns.saveDispatchPage(
    campaign.id,
    { expected, next: page.next, added, segments, leaseUntil },
    now,
  );
  if (!saved) return 'skipped';
  if (page.next !== null) {
    await deps.queue.sendDispatch([{ v: 1, campaignId: campaign.id, cursor: page.next, round }]);
    return 'dispatched';
  }
  // An audience with nobody to reach (or already all ended) completes here.
  await completeIfDone(deps, campaign.id);
  return 'finished';
}
