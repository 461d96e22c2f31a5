import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoListStore } from '../../../shared/adapters/dynamodb/list-store';
import { DynamoSegmentStore } from '../../../shared/adapters/dynamodb/segment-store';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors';
import { newId } from '../../../shared/domain/ids';
import { LIST_SHARDS, memberShard } from '../../../shared/domain/list';
import { useEmulators } from '../../support/emulators';

let lists: DynamoListStore;
let segments: DynamoSegmentStore;
const now = new Date('2026-11-20T08:00:00.000Z');

beforeAll(async () => {
  const emulators = await useEmulators();
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  lists = new DynamoListStore(dynamoDocumentClient(), emulators.names.tables.audiences);
  segments = new DynamoSegmentStore(dynamoDocumentClient(), emulators.names.tables.audiences);
});

async function newList(name = 'VIP') {
  const list = { id: newId(), name, createdAt: now.toISOString() };
  await lists.create(list);
  return list;
}

const ids = (count: number, prefix = 'c') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('DynamoListStore', () => {
  it('counts each member once however often an add is retried, across every shard', async () => {
    // Prepare
    const list = await newList();
    const members = ids(130);
    // Act: the first add, then the same call again (a retry), then an overlapping one
    const first = await lists.add(list.id, members, now);
    const retried = await lists.add(list.id, members, now);
    const overlap = await lists.add(list.id, [...members.slice(100), 'extra-1', 'extra-2', 'extra-1'], now);
    // Assess
    expect([first, retried, overlap]).toEqual([130, 0, 2]);
    expect((await lists.get(list.id))?.members).toBe(132);
    const shards = new Set(members.map((id) => memberShard(id)));
    expect(shards.size).toBe(LIST_SHARDS);
  });

  it('counts concurrent adds of the same members once', async () => {
    // Prepare
    const list = await newList();
    const members = ids(60, 'p');
    // Act
    const added = await Promise.all([lists.add(list.id, members, now), lists.add(list.id, members, now)]);
    // Assess
    expect(added[0] + added[1]).toBe(60);
    expect((await lists.get(list.id))?.members).toBe(60);
  });

  it('removes members once, and a removal of a non-member changes nothing', async () => {
    // Prepare
    const list = await newList();
    await lists.add(list.id, ids(50, 'r'), now);
    // Act
    const removed = await lists.remove(list.id, [...ids(10, 'r'), 'never-added']);
    const again = await lists.remove(list.id, ids(10, 'r'));
    // Assess
    expect([removed, again]).toEqual([10, 0]);
    expect((await lists.get(list.id))?.members).toBe(40);
    expect(await lists.listsOf('r3')).toEqual([]);
    expect(await lists.listsOf('r30')).toEqual([list.id]);
  });

  it('pages through every member over the shards, each exactly once', async () => {
    // Prepare
    const list = await newList();
    const members = ids(75, 'm');
    await lists.add(list.id, members, now);
    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await lists.members(list.id, { limit: 20, ...(cursor ? { cursor } : {}) });
      expect(page.ids.length).toBeLessThanOrEqual(20);
      seen.push(...page.ids);
      cursor = page.cursor;
      pages += 1;
    } while (cursor);
    // Assess
    expect(seen.sort()).toEqual([...members].sort());
    expect(pages).toBeGreaterThanOrEqual(4);
  });

  it('answers which of the lists each contact is on, and the lists of a contact', async () => {
    // Prepare
    const [vip, blocked, empty] = [await newList('VIP'), await newList('Blocked'), await newList('Empty')];
    await lists.add(vip.id, ['x1', 'x2'], now);
    await lists.add(blocked.id, ['x2', 'x3'], now);
    // Act
    const found = await lists.memberships([vip.id, blocked.id, empty.id], ['x1', 'x2', 'x3', 'x4']);
    // Assess
    expect(found.get('x1')).toEqual(new Set([vip.id]));
    expect(found.get('x2')).toEqual(new Set([vip.id, blocked.id]));
    expect(found.get('x3')).toEqual(new Set([blocked.id]));
    expect(found.has('x4')).toBe(false);
    expect((await lists.listsOf('x2')).sort()).toEqual([vip.id, blocked.id].sort());
  });

  it('takes a contact off every list, counts included (erasure)', async () => {
    // Prepare
    const [a, b] = [await newList('A'), await newList('B')];
    await lists.add(a.id, ['erase-me', 'stay'], now);
    await lists.add(b.id, ['erase-me'], now);
    // Act
    await lists.removeEverywhere('erase-me');
    await lists.removeEverywhere('erase-me');
    // Assess
    expect(await lists.listsOf('erase-me')).toEqual([]);
    expect((await lists.get(a.id))?.members).toBe(1);
    expect((await lists.get(b.id))?.members).toBe(0);
    expect((await lists.memberships([a.id, b.id], ['erase-me'])).size).toBe(0);
  });

  it('deletes a list with its members; adding to it afterwards is a NotFoundError', async () => {
    // Prepare
    const list = await newList();
    await lists.add(list.id, ids(45, 'd'), now);
    // Act
    await lists.delete(list.id, Date.now() + 10_000);
    // Assess
    expect(await lists.get(list.id)).toBeUndefined();
    expect(await lists.listsOf('d7')).toEqual([]);
    expect((await lists.shardMembers(list.id, memberShard('d7'), { limit: 100 })).ids).toEqual([]);
    await expect(lists.add(list.id, ['d1'], now)).rejects.toBeInstanceOf(NotFoundError);
    await expect(lists.members(list.id, { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists lists with their counts, page by page', async () => {
    // Prepare
    const mine = await newList('Counted');
    await lists.add(mine.id, ['k1', 'k2', 'k3'], now);
    // Act
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await lists.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    // Assess
    expect(all.find((list) => list.id === mine.id)).toEqual({ ...mine, members: 3 });
    expect(new Set(all.map((list) => list.id)).size).toBe(all.length);
  });
});

describe('DynamoSegmentStore', () => {
  it('stores, reads and lists segments, refusing a second one with the same id', async () => {
    // Prepare
    const segment = {
      id: newId(),
      name: 'تهرانی‌ها',
      filter: { field: 'attributes.شهر', op: 'eq' as const, value: 'تهران' },
      createdAt: now.toISOString(),
    };
    // Act
    await segments.create(segment);
    // Assess
    await expect(segments.create(segment)).rejects.toBeInstanceOf(ConflictError);
    expect(await segments.get(segment.id)).toEqual(segment);
    expect((await segments.list({ limit: 100 })).items).toContainEqual(segment);
    expect(await segments.get(newId())).toBeUndefined();
  });
});
