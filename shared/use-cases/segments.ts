import { NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import { parseMini } from '../domain/mini-validation';
import type { PageRequest } from '../domain/paging';
import {
  parseSegmentFilter,
  referencedLists,
  type Segment,
  segmentInputSchema,
} from '../domain/segment-filter';
import type { Contact } from '../domain/types';
import type { ConsentStore, ContactStore, ListStore, SegmentStore } from '../ports';
import { filterContacts } from './audience-pages';

export interface SegmentDeps {
  readonly segments: SegmentStore;
  readonly lists: ListStore;
  readonly contacts: ContactStore;
  readonly consent: ConsentStore;
  readonly now: () => Date;
  /** Contacts a preview reads at most before it answers with what it has seen. */
  readonly previewLimit?: number;
}

/** Contacts a preview reads by default: about 10 Scan pages and their consent reads, within the API's 10 s. */
export const PREVIEW_MAX_CONTACTS = 10_000;
const SAMPLE_SIZE = 10;
const SEGMENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Refuses a filter (or an audience) that names a list that does not exist: a typo would
 * otherwise silently match nobody (`inList`) or everybody (`notInList`).
 * @throws ValidationError naming each unknown list.
 */
export async function assertListsExist(
  lists: Pick<ListStore, 'getMany'>,
  ids: readonly string[],
  field: string,
): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await lists.getMany(ids)).map((list) => list.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    const message = `names unknown list${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`;
    throw new ValidationError(`Invalid ${field}: ${message}`, [{ field, message }]);
  }
}

export async function createSegment(deps: SegmentDeps, body: unknown): Promise<Segment> {
  const input = parseMini(segmentInputSchema, body, 'segment');
  const filter = parseSegmentFilter(input.filter);
  await assertListsExist(deps.lists, referencedLists(filter), 'filter');
  const now = deps.now();
  const segment: Segment = {
    id: newId(now.getTime()),
    name: input.name,
    filter,
    createdAt: now.toISOString(),
  };
  await deps.segments.create(segment);
  return segment;
}

export async function getSegment(deps: Pick<SegmentDeps, 'segments'>, id: string): Promise<Segment> {
  const segment = SEGMENT_ID.test(id) ? await deps.segments.get(id) : undefined;
  if (!segment) throw new NotFoundError(`Segment ${id.slice(0, 40)} not found`);
  return segment;
}

export function listSegments(deps: Pick<SegmentDeps, 'segments'>, page: PageRequest) {
  return deps.segments.list({
    limit: Math.min(page.limit, 100),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
}

export interface SegmentPreview {
  /** Contacts that pass, among those read. */
  readonly count: number;
  /** Up to 10 of them. */
  readonly sample: Contact[];
  /** Contacts read; all of them when `complete`. */
  readonly scanned: number;
  /** False when the preview stopped at its limit: `count` is then a lower bound. */
  readonly complete: boolean;
}

/** Counts the contacts a filter picks (and shows a few) without saving anything. */
export async function previewSegment(deps: SegmentDeps, body: unknown): Promise<SegmentPreview> {
  if (!body || typeof body !== 'object' || !('filter' in body))
    throw new ValidationError('Invalid preview: filter is required', [
      { field: 'filter', message: 'is required' },
    ]);
  const extra = Object.keys(body).filter((key) => key !== 'filter');
  if (extra.length > 0)
    throw new ValidationError(`Invalid preview: has unknown key ${extra.join(', ')}`, [
      { field: '(body)', message: `has unknown key ${extra.join(', ')}` },
    ]);
  const filter = parseSegmentFilter((body as { filter: unknown }).filter);
  await assertListsExist(deps.lists, referencedLists(filter), 'filter');
  const limit = deps.previewLimit ?? PREVIEW_MAX_CONTACTS;
  let count = 0;
  let scanned = 0;
  const sample: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.contacts.scan({
      limit: Math.min(1000, limit - scanned),
      ...(cursor ? { cursor } : {}),
    });
    scanned += page.contacts.length;
    const matching = await filterContacts(deps, filter, page.contacts);
    count += matching.length;
    sample.push(...matching.slice(0, SAMPLE_SIZE - sample.length));
    cursor = page.cursor;
  } while (cursor && scanned < limit);
  return { count, sample, scanned, complete: cursor === undefined };
}
