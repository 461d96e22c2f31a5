import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseSegmentFilter } from '../../../shared/domain/segment-filter';
import { segmentFilterSchema } from '../../../shared/openapi/schemas/audiences';

const LIST = '01JEC0Y7B3D5F7H9K1M3P5R7T9';

/** Filters both the parser and the documented schema take. */
const accepted: unknown[] = [
  { field: 'locale', op: 'eq', value: 'fa' },
  { field: 'attributes.شهر', op: 'ne', value: 'تهران' },
  { field: 'attributes.spent', op: 'in', value: [1, '2', true] },
  { field: 'name', op: 'contains', value: 'سارا' },
  { field: 'name', op: 'exists' },
  { field: 'createdAt', op: 'gte', value: '2026-03-21' },
  { all: [{ inList: LIST }, { not: { notInList: LIST } }] },
  { any: [{ hasPhone: true }, { hasEmail: false }] },
  { subscribed: { channel: 'email', topic: '*' } },
];

/** Filters both refuse: each breaks the language's shape. */
const refused: unknown[] = [
  {},
  { all: [] },
  { all: [{ hasPhone: true }], any: [{ hasEmail: true }] },
  { field: 'locale', op: 'like', value: 'fa' },
  { field: 'locale', op: 'in', value: [] },
  { field: 'name', op: 'contains', value: '' },
  { inList: 'not-a-list-id' },
  { hasPhone: 'yes' },
  { subscribed: { channel: 'fax', topic: 'news' } },
  { not: { field: 'locale', op: 'eq' } },
];

const parserTakes = (filter: unknown) => {
  try {
    parseSegmentFilter(filter);
    return true;
  } catch {
    return false;
  }
};

describe('the documented segment filter against parseSegmentFilter', () => {
  it.each(accepted.map((filter) => [JSON.stringify(filter), filter]))('both take %s', (_name, filter) => {
    // Act, Assess
    expect(parserTakes(filter)).toBe(true);
    expect(z.safeParse(segmentFilterSchema, filter).success).toBe(true);
  });

  it.each(refused.map((filter) => [JSON.stringify(filter), filter]))('both refuse %s', (_name, filter) => {
    // Act, Assess
    expect(parserTakes(filter)).toBe(false);
    expect(z.safeParse(segmentFilterSchema, filter).success).toBe(false);
  });
});
