import type { Audience } from '../domain/campaign';
import type { AudienceSource, AudienceUnit, ContactStore } from '../ports';

/**
 * The audiences contacts alone define: `{all: true}` as `scanSegments` parallel Scan segments,
 * `{contactIds}` (at most 1,000) as one unit paged by offset. Lists (member shards) and
 * segments (a scan with a filter) plug in as further cases of `units` and `page`.
 */
export function contactsAudience(contacts: ContactStore, scanSegments: number): AudienceSource {
  return {
    async units(audience: Audience): Promise<number> {
      return 'all' in audience ? scanSegments : 1;
    },

    async page(audience: Audience, unit: AudienceUnit, cursor: string | null, limit: number) {
      if ('all' in audience) {
        const page = await contacts.scanSegment(unit, { limit, ...(cursor ? { cursor } : {}) });
        return { contacts: page.contacts, next: page.cursor ?? null };
      }
      const ids = audience.contactIds;
      const offset = cursor ? Number(cursor) : 0;
      const end = offset + limit;
      return {
        contacts: await contacts.getMany(ids.slice(offset, end)),
        next: end < ids.length ? String(end) : null,
      };
    },
  };
}
