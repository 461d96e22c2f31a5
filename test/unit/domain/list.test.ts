import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import {
  LIST_SHARDS,
  listInputSchema,
  MAX_MEMBER_CHANGES,
  memberChangesSchema,
  memberShard,
} from '../../../shared/domain/list';
import { parseMini } from '../../../shared/domain/mini-validation';

function issues(body: unknown): { field: string; message: string }[] {
  try {
    parseMini(memberChangesSchema, body, 'member changes');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('accepted');
}

describe('list member changes', () => {
  it('takes up to 1,000 ids to add and as many to remove', () => {
    // Prepare
    const ids = Array.from({ length: MAX_MEMBER_CHANGES }, (_, i) => `c${i}`);
    // Act
    const parsed = parseMini(memberChangesSchema, { add: ids, remove: ids.map((id) => `r${id}`) }, 'changes');
    // Assess
    expect(parsed.add).toHaveLength(1000);
    expect(parsed.remove).toHaveLength(1000);
  });

  it('refuses 1,001 ids, nothing at all, a phone as an id, and the same id added and removed', () => {
    // Prepare
    const tooMany = Array.from({ length: MAX_MEMBER_CHANGES + 1 }, (_, i) => `c${i}`);
    // Act and Assess
    expect(issues({ add: tooMany })).toEqual([
      { field: 'add', message: 'may name at most 1000 contacts per call' },
    ]);
    expect(issues({ remove: tooMany })).toEqual([
      { field: 'remove', message: 'may name at most 1000 contacts per call' },
    ]);
    expect(issues({})).toEqual([{ field: '(body)', message: 'must add or remove at least one contact' }]);
    expect(issues({ add: ['+989121234567'] })[0]?.field).toBe('add.0');
    expect(issues({ add: ['a'], remove: ['a'] })).toEqual([
      { field: 'remove', message: 'must not add and remove the same contact' },
    ]);
    expect(issues({ add: 'a' })).toEqual([{ field: 'add', message: 'must be an array of contact ids' }]);
  });

  it('names a list with trimmed text and refuses an empty or unknown field', () => {
    // Act and Assess
    expect(parseMini(listInputSchema, { name: '  ویژه ' }, 'list')).toEqual({ name: 'ویژه' });
    expect(() => parseMini(listInputSchema, { name: '   ' }, 'list')).toThrow(/name must not be empty/);
    expect(() => parseMini(listInputSchema, { name: 'a', owner: 'b' }, 'list')).toThrow(/unknown key owner/);
  });
});

describe('member shards', () => {
  it('puts a contact on the same shard every time, and spreads contacts over all shards evenly', () => {
    // Prepare
    const counts = new Array<number>(LIST_SHARDS).fill(0);
    // Act
    for (let i = 0; i < 16_000; i++) {
      const shard = memberShard(`cust-${i}`);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    // Assess
    expect(memberShard('cust-42')).toBe(memberShard('cust-42'));
    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });
});
