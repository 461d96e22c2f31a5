/**
 * Reading a campaign audience page by page, whatever its kind: everyone, named ids, lists
 * (once each however many lists name them) or a segment's filter, minus the excluded lists.
 * The pieces (a list shard's page, a page through a filter, the exclusion) are exported for
 * a dispatcher that fans them out in parallel; {@link readAudiencePage} strings them together
 * one page after another.
 */
import type { Audience } from '../domain/campaign';
import type { ConsentState } from '../domain/consent';
import { filterNeeds, matchesFilter, type SegmentFilter } from '../domain/segment-filter';
import type { Channel, Contact } from '../domain/types';
import type { ConsentStore, ContactStore, ListStore, SegmentStore } from '../ports';

export interface AudienceDeps {
  readonly contacts: ContactStore;
  readonly lists: ListStore;
  readonly segments: SegmentStore;
  readonly consent: ConsentStore;
}

export interface AudiencePage {
  readonly contacts: Contact[];
  /** Where the next page starts; null once the audience is done. */
  readonly next: string | null;
}

/** The contacts of a page that pass `filter`, reading only the lists and consent it names. */
export async function filterContacts(
  deps: Pick<AudienceDeps, 'lists' | 'consent'>,
  filter: SegmentFilter,
  contacts: readonly Contact[],
): Promise<Contact[]> {
  if (contacts.length === 0) return [];
  const ids = contacts.map((contact) => contact.id);
  const needs = filterNeeds(filter);
  const [memberships, consent] = await Promise.all([
    needs.lists.length > 0 ? deps.lists.memberships(needs.lists, ids) : new Map<string, Set<string>>(),
    Promise.all(
      needs.consent.map(async ({ channel, topic }) => ({
        channel,
        states: await deps.consent.statesForMany(ids, channel, topic),
      })),
    ),
  ]);
  const none = new Set<string>();
  return contacts.filter((contact) =>
    matchesFilter(filter, {
      contact,
      lists: memberships.get(contact.id) ?? none,
      consent: (channel: Channel) =>
        consent
          .filter((read) => read.channel === channel)
          .flatMap((read): ConsentState[] => read.states.get(contact.id) ?? []),
    }),
  );
}

/** The contacts of a page on none of `listIds` (an audience's `exclude`). */
export async function withoutListed(
  deps: Pick<AudienceDeps, 'lists'>,
  listIds: readonly string[] | undefined,
  contacts: readonly Contact[],
): Promise<Contact[]> {
  if (!listIds || listIds.length === 0 || contacts.length === 0) return [...contacts];
  const listed = await deps.lists.memberships(
    listIds,
    contacts.map((contact) => contact.id),
  );
  return contacts.filter((contact) => !listed.has(contact.id));
}

/**
 * One page of one shard of the `index`-th list of a list audience: the members that are not
 * on an earlier list of the audience (so a contact on several lists is taken once, by the
 * first that names it), read as contacts (erased ones are gone), minus the excluded lists.
 * Shards and lists are independent: a fan-out may read each on its own.
 */
export async function listShardPage(
  deps: Pick<AudienceDeps, 'contacts' | 'lists'>,
  audience: {
    readonly listIds: readonly string[];
    readonly exclude?: { readonly listIds: readonly string[] };
  },
  index: number,
  shard: number,
  page: { cursor?: string; limit: number },
): Promise<{ contacts: Contact[]; cursor?: string }> {
  const listId = audience.listIds[index];
  if (listId === undefined) return { contacts: [] };
  const members = await deps.lists.shardMembers(listId, shard, page);
  const earlier = audience.listIds.slice(0, index);
  const onEarlier =
    earlier.length > 0 && members.ids.length > 0
      ? await deps.lists.memberships(earlier, members.ids)
      : new Map<string, Set<string>>();
  const ids = members.ids.filter((id) => !onEarlier.has(id));
  const contacts = await withoutListed(deps, audience.exclude?.listIds, await deps.contacts.getMany(ids));
  return { contacts, ...(members.cursor ? { cursor: members.cursor } : {}) };
}

interface ListCursor {
  /** Index of the list in the audience, its shard, and the position within the shard. */
  readonly l: number;
  readonly s: number;
  readonly w?: string;
}

const encode = (cursor: ListCursor) => JSON.stringify(cursor);

/**
 * One page of any audience, sequentially (the dispatcher's page chain): `cursor` is what the
 * previous page answered as `next` (null at first). Pages may hold fewer contacts than
 * `limit`, or none, before the audience is done.
 */
export async function readAudiencePage(
  deps: AudienceDeps,
  audience: Audience,
  cursor: string | null,
  limit: number,
): Promise<AudiencePage> {
  const exclude = audience.exclude?.listIds;
  if ('all' in audience || 'segmentId' in audience) {
    const filter =
      'segmentId' in audience ? (await deps.segments.get(audience.segmentId))?.filter : undefined;
    // A segment deleted after the campaign was created leaves nobody to reach.
    if ('segmentId' in audience && !filter) return { contacts: [], next: null };
    const page = await deps.contacts.scan({ limit, ...(cursor ? { cursor } : {}) });
    const chosen = filter ? await filterContacts(deps, filter, page.contacts) : page.contacts;
    return { contacts: await withoutListed(deps, exclude, chosen), next: page.cursor ?? null };
  }
  if ('contactIds' in audience) {
    const offset = cursor ? Number(cursor) : 0;
    const end = offset + limit;
    const contacts = await deps.contacts.getMany(audience.contactIds.slice(offset, end));
    return {
      contacts: await withoutListed(deps, exclude, contacts),
      next: end < audience.contactIds.length ? String(end) : null,
    };
  }
  const at: ListCursor = cursor ? (JSON.parse(cursor) as ListCursor) : { l: 0, s: 0 };
  const listId = audience.listIds[at.l];
  if (listId === undefined) return { contacts: [], next: null };
  const shards = await deps.lists.shardsOf(listId);
  const after = (next: ListCursor): string | null => (next.l < audience.listIds.length ? encode(next) : null);
  // A list deleted since: its members are nobody's audience any more.
  if (shards === undefined) return { contacts: [], next: after({ l: at.l + 1, s: 0 }) };
  const page = await listShardPage(deps, audience, at.l, at.s, { limit, ...(at.w ? { cursor: at.w } : {}) });
  const next: ListCursor = page.cursor
    ? { l: at.l, s: at.s, w: page.cursor }
    : at.s + 1 < shards
      ? { l: at.l, s: at.s + 1 }
      : { l: at.l + 1, s: 0 };
  return { contacts: page.contacts, next: after(next) };
}
