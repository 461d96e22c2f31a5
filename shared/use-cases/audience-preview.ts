/**
 * What a campaign's audience amounts to before anything is sent: that every list and segment
 * it names exists, how many contacts it holds and, per channel, how many have an address and
 * how many of those are not opted out of the campaign's topic.
 */
import { type Audience, audienceLists } from '../domain/campaign';
import { isSuppressed } from '../domain/consent';
import { ValidationError } from '../domain/errors';
import { LIST_SHARDS } from '../domain/list';
import type { Channel, Contact } from '../domain/types';
import type { SuppressionStore } from '../ports';
import { suppressedAddresses } from './address-suppressions';
import { type AudienceDeps, readAudiencePage } from './audience-pages';
import { assertListsExist, PREVIEW_MAX_CONTACTS } from './segments';

/** Lists and segments, as creating or previewing a campaign reads them. */
export type AudienceCatalog = Pick<AudienceDeps, 'lists' | 'segments'>;

/**
 * Refuses an audience naming a list or segment that does not exist (400, naming the field).
 * @throws Error when the audience names lists or segments and no catalog is wired.
 */
export async function assertAudienceExists(
  catalog: AudienceCatalog | undefined,
  audience: Audience,
): Promise<void> {
  const lists = audienceLists(audience);
  const segmentId = 'segmentId' in audience ? audience.segmentId : undefined;
  if (lists.length === 0 && segmentId === undefined) return;
  if (!catalog) throw new Error('List and segment audiences need the lists and segments stores');
  await assertListsExist(catalog.lists, lists, 'audience');
  if (segmentId !== undefined && !(await catalog.segments.get(segmentId))) {
    const message = `names unknown segment ${segmentId}`;
    throw new ValidationError(`Invalid audience: ${message}`, [{ field: 'audience.segmentId', message }]);
  }
}

export interface ChannelReach {
  /** Contacts with an address on the channel. */
  readonly reachable: number;
  /** Of those, the ones not opted out of the topic (nor suppressed by address). */
  readonly notOptedOut: number;
}

export interface AudienceReach {
  readonly size: number;
  /** False when the preview stopped at its limit: the figures are then lower bounds. */
  readonly complete: boolean;
  readonly channels: Partial<Record<Channel, ChannelReach>>;
}

export interface ReachDeps extends AudienceDeps {
  readonly addressSuppressions?: {
    readonly suppressions: SuppressionStore;
    readonly erasureKey: () => Promise<string>;
  };
  /** Contacts read at most (default {@link PREVIEW_MAX_CONTACTS}). */
  readonly previewLimit?: number;
}

const PAGE = 1000;
const addressOf = (contact: Contact, channel: Channel) => (channel === 'sms' ? contact.phone : contact.email);

/** Reads the audience as the dispatcher would and counts who each channel would reach. */
export async function audienceReach(
  deps: ReachDeps,
  audience: Audience,
  topic: string,
  channels: readonly Channel[],
  /** Sees every page of contacts read (a preview's placeholder warnings). */
  inspect?: (contacts: readonly Contact[]) => void,
): Promise<AudienceReach> {
  const limit = deps.previewLimit ?? PREVIEW_MAX_CONTACTS;
  // Pages, not contacts, bound the work: a segment's pages keep few of the contacts they read,
  // and a list audience reads each shard of each list (empty ones too).
  const listCount = 'listIds' in audience ? audience.listIds.length : 0;
  const maxPages = Math.ceil(limit / PAGE) + LIST_SHARDS * listCount;
  const totals = new Map<Channel, { reachable: number; notOptedOut: number }>(
    channels.map((channel) => [channel, { reachable: 0, notOptedOut: 0 }]),
  );
  let size = 0;
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await readAudiencePage(deps, audience, cursor, PAGE);
    pages += 1;
    size += page.contacts.length;
    inspect?.(page.contacts);
    for (const channel of channels) {
      const withAddress = page.contacts.filter((contact) => addressOf(contact, channel));
      const ids = withAddress.map((contact) => contact.id);
      const [states, suppressed] = await Promise.all([
        ids.length > 0 ? deps.consent.statesForMany(ids, channel, topic) : new Map(),
        deps.addressSuppressions
          ? suppressedAddresses(
              deps.addressSuppressions,
              channel,
              withAddress.map((contact) => addressOf(contact, channel) as string),
            )
          : new Set<string>(),
      ]);
      const total = totals.get(channel);
      if (!total) continue;
      total.reachable += withAddress.length;
      total.notOptedOut += withAddress.filter(
        (contact) =>
          !suppressed.has(addressOf(contact, channel) as string) &&
          !isSuppressed(states.get(contact.id) ?? [], topic),
      ).length;
    }
    cursor = page.next;
  } while (cursor !== null && pages < maxPages);
  return { size, complete: cursor === null, channels: Object.fromEntries(totals) };
}
