import type { Audience } from '../domain/campaign';
import { LIST_SHARDS } from '../domain/list';
import type { AudienceSource, AudienceUnit, ContactStore } from '../ports';
import { type AudienceDeps, filterContacts, listShardPage, withoutListed } from './audience-pages';

/**
 * Every kind of campaign audience as dispatch units, each paged on its own so a big audience
 * is enqueued by many chains at once:
 * - `{all: true}` and `{segmentId}`: `scanSegments` parallel Scan segments of the contacts
 *   (a segment keeps the contacts that pass its filter);
 * - `{listIds}`: one unit per list × member shard (a contact on several lists is taken by the
 *   first list that names it);
 * - `{contactIds}` (at most 1,000): one unit paged by offset.
 * Each drops the contacts on the audience's `exclude` lists.
 */
export function campaignAudience(
  given: Pick<AudienceDeps, 'contacts'> & Partial<AudienceDeps>,
  scanSegments: number,
): AudienceSource {
  // Lists, segments and consent are read only by the audiences that name them.
  const need = <K extends keyof AudienceDeps>(name: K): AudienceDeps[K] => {
    const found = given[name];
    if (!found) throw new Error(`This audience needs the ${name} store, and the dispatcher was given none`);
    return found as AudienceDeps[K];
  };
  const deps = {
    contacts: given.contacts,
    get lists() {
      return need('lists');
    },
    get segments() {
      return need('segments');
    },
    get consent() {
      return need('consent');
    },
  } satisfies AudienceDeps;
  return {
    async units(audience: Audience): Promise<number> {
      if ('all' in audience || 'segmentId' in audience) return scanSegments;
      if ('listIds' in audience) return audience.listIds.length * LIST_SHARDS;
      return 1;
    },

    async page(audience: Audience, unit: AudienceUnit, cursor: string | null, limit: number) {
      const exclude = audience.exclude?.listIds;
      if ('all' in audience || 'segmentId' in audience) {
        const filter =
          'segmentId' in audience ? (await deps.segments.get(audience.segmentId))?.filter : undefined;
        // A segment deleted after the campaign was created leaves nobody to reach.
        if ('segmentId' in audience && !filter) return { contacts: [], next: null };
        const page = await deps.contacts.scanSegment(unit, { limit, ...(cursor ? { cursor } : {}) });
        const chosen = filter ? await filterContacts(deps, filter, page.contacts) : page.contacts;
        return { contacts: await withoutListed(deps, exclude, chosen), next: page.cursor ?? null };
      }
      if ('listIds' in audience) {
        const index = Math.floor(unit.index / LIST_SHARDS);
        const shard = unit.index % LIST_SHARDS;
        const listId = audience.listIds[index];
        const shards = listId === undefined ? undefined : await deps.lists.shardsOf(listId);
        // A list deleted since (or with fewer shards): its members are nobody's audience any more.
        if (shards === undefined || shard >= shards) return { contacts: [], next: null };
        const page = await listShardPage(deps, audience, index, shard, {
          limit,
          ...(cursor ? { cursor } : {}),
        });
        return { contacts: page.contacts, next: page.cursor ?? null };
      }
      const ids = audience.contactIds;
      const offset = cursor ? Number(cursor) : 0;
      const end = offset + limit;
      const contacts = await deps.contacts.getMany(ids.slice(offset, end));
      return {
        contacts: await withoutListed(deps, exclude, contacts),
        next: end < ids.length ? String(end) : null,
      };
    },
  };
}

/** The audiences contacts alone define (`{all}` and `{contactIds}` without exclusions). */
export function contactsAudience(contacts: ContactStore, scanSegments: number): AudienceSource {
  return campaignAudience({ contacts }, scanSegments);
}
