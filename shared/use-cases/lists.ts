import { NotFoundError } from '../domain/errors';
import { newId } from '../domain/ids';
import { type ContactList, LIST_ID, listInputSchema, memberChangesSchema } from '../domain/list';
import { parseMini } from '../domain/mini-validation';
import type { PageRequest } from '../domain/paging';
import type { ContactStore, IdPage, ListStore } from '../ports';

export interface ListDeps {
  readonly lists: ListStore;
  readonly contacts: Pick<ContactStore, 'getMany'>;
  readonly now: () => Date;
}

/** How long DELETE /v1/lists/{id} purges members before it answers (the API's timeout is 10 s). */
const DELETE_PURGE_MS = 6_000;

/** Anything but a list id names no list (and never reaches DynamoDB's key limits). */
export function assertListId(id: string): void {
  if (!LIST_ID.test(id)) throw new NotFoundError(`List ${id.slice(0, 40)} not found`);
}

export async function createList(deps: Pick<ListDeps, 'lists' | 'now'>, body: unknown): Promise<ContactList> {
  const input = parseMini(listInputSchema, body, 'list');
  const now = deps.now();
  const list = {
    id: newId(now.getTime()),
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    createdAt: now.toISOString(),
  };
  await deps.lists.create(list);
  return { ...list, members: 0 };
}

export async function getList(deps: Pick<ListDeps, 'lists'>, id: string): Promise<ContactList> {
  assertListId(id);
  const list = await deps.lists.get(id);
  if (!list) throw new NotFoundError(`List ${id} not found`);
  return list;
}

export function listLists(deps: Pick<ListDeps, 'lists'>, page: PageRequest) {
  return deps.lists.list({
    limit: Math.min(page.limit, 100),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
}

/** What a change of members did: ids that name no contact are left out and named. */
export interface MemberChangeResult {
  readonly added: number;
  readonly removed: number;
  readonly members: number;
  readonly unknownContacts: string[];
}

/**
 * Adds and removes up to 1,000 contacts each. Only existing contacts are added (erased ones
 * are gone); adding a member twice or removing a non-member changes nothing, so a retried
 * call leaves the count exact.
 */
export async function changeMembers(deps: ListDeps, id: string, body: unknown): Promise<MemberChangeResult> {
  assertListId(id);
  const changes = parseMini(memberChangesSchema, body, 'member changes');
  if (!(await deps.lists.get(id))) throw new NotFoundError(`List ${id} not found`);
  const wanted = [...new Set(changes.add ?? [])];
  const found = new Set((await deps.contacts.getMany(wanted)).map((contact) => contact.id));
  const now = deps.now();
  const added = await deps.lists.add(
    id,
    wanted.filter((contactId) => found.has(contactId)),
    now,
  );
  const removed = changes.remove?.length ? await deps.lists.remove(id, changes.remove) : 0;
  const list = await deps.lists.get(id);
  return {
    added,
    removed,
    members: list?.members ?? 0,
    unknownContacts: wanted.filter((contactId) => !found.has(contactId)),
  };
}

export async function listMembers(
  deps: Pick<ListDeps, 'lists'>,
  id: string,
  page: PageRequest,
): Promise<IdPage> {
  assertListId(id);
  return deps.lists.members(id, page);
}

export async function deleteList(deps: Pick<ListDeps, 'lists' | 'now'>, id: string): Promise<void> {
  assertListId(id);
  if (!(await deps.lists.get(id))) throw new NotFoundError(`List ${id} not found`);
  await deps.lists.delete(id, deps.now().getTime() + DELETE_PURGE_MS);
}

/** The lists a contact is on, named (deleted lists left out), in creation order. */
export async function listsOfContact(
  deps: Pick<ListDeps, 'lists'>,
  contactId: string,
): Promise<{ id: string; name: string }[]> {
  const ids = await deps.lists.listsOf(contactId);
  if (ids.length === 0) return [];
  const lists = await deps.lists.getMany(ids);
  return lists.map(({ id, name }) => ({ id, name })).sort((a, b) => a.id.localeCompare(b.id));
}
