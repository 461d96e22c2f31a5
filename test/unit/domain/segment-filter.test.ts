import { describe, expect, it } from 'vitest';
import type { ConsentState } from '../../../shared/domain/consent';
import { ValidationError } from '../../../shared/domain/errors';
import {
  filterNeeds,
  MAX_FILTER_DEPTH,
  MAX_FILTER_NODES,
  matchesFilter,
  parseSegmentFilter,
  referencedLists,
  type SegmentFilter,
} from '../../../shared/domain/segment-filter';
import type { Channel, Contact } from '../../../shared/domain/types';

const VIP = '01JDV0000000000000000000V1';
const BLOCKED = '01JDV0000000000000000000B1';

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: 'c1',
    ref: 'ref',
    phone: '+989121234567',
    email: 'sara@example.com',
    locale: 'fa',
    name: 'سارا',
    attributes: { شهر: 'تهران', city: 'Tehran', spent: 1500, orders: '۱۲', joined: '2025-03-01', vip: true },
    createdAt: '2026-06-15T10:00:00.000Z',
    updatedAt: '2026-06-15T10:00:00.000Z',
    ...overrides,
  };
}

function matches(
  filter: unknown,
  subject: { contact?: Contact; lists?: string[]; consent?: Partial<Record<Channel, ConsentState[]>> } = {},
): boolean {
  const parsed = parseSegmentFilter(filter);
  return matchesFilter(parsed, {
    contact: subject.contact ?? contact(),
    lists: new Set(subject.lists ?? []),
    consent: (channel) => subject.consent?.[channel] ?? [],
  });
}

function refusal(filter: unknown): { field: string; message: string }[] {
  try {
    parseSegmentFilter(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('the filter was accepted');
}

const optedOut = (topic: string, at = '2026-07-01T00:00:00.000Z'): ConsentState => ({
  channel: 'sms',
  topic,
  status: 'opted_out',
  source: 'api',
  at,
});

describe('segment filter: field conditions', () => {
  it('eq and ne compare text after folding case and Arabic yeh/kaf, and attributes in any script', () => {
    // Act and Assess
    expect(matches({ field: 'attributes.شهر', op: 'eq', value: 'تهران' })).toBe(true);
    expect(matches({ field: 'attributes.city', op: 'eq', value: 'tehran' })).toBe(true);
    expect(matches({ field: 'name', op: 'eq', value: 'سارا' })).toBe(true);
    expect(matches({ field: 'name', op: 'eq', value: 'سارا' }, { contact: contact({ name: 'ساري' }) })).toBe(
      false,
    );
    expect(matches({ field: 'name', op: 'eq', value: 'سارى' }, { contact: contact({ name: 'ساری' }) })).toBe(
      true,
    );
    expect(matches({ field: 'attributes.city', op: 'ne', value: 'Tabriz' })).toBe(true);
    expect(matches({ field: 'attributes.city', op: 'ne', value: 'Tehran' })).toBe(false);
    expect(matches({ field: 'locale', op: 'eq', value: 'fa' })).toBe(true);
  });

  it('ne matches a contact that lacks the field; every other op does not', () => {
    // Prepare
    const missing = 'attributes.absent';
    // Act and Assess
    expect(matches({ field: missing, op: 'ne', value: 'x' })).toBe(true);
    for (const [op, value] of [
      ['eq', 'x'],
      ['in', ['x']],
      ['contains', 'x'],
      ['gt', 1],
      ['lte', '2030-01-01'],
    ] as const) {
      expect(matches({ field: missing, op, value })).toBe(false);
    }
  });

  it('eq with a number matches numbers held as text, Persian digits included', () => {
    // Act and Assess
    expect(matches({ field: 'attributes.orders', op: 'eq', value: 12 })).toBe(true);
    expect(matches({ field: 'attributes.spent', op: 'eq', value: 1500 })).toBe(true);
    expect(matches({ field: 'attributes.spent', op: 'eq', value: '1500' })).toBe(true);
    expect(matches({ field: 'attributes.vip', op: 'eq', value: true })).toBe(true);
    expect(matches({ field: 'attributes.vip', op: 'eq', value: false })).toBe(false);
  });

  it('in matches any of its values', () => {
    // Act and Assess
    expect(matches({ field: 'attributes.city', op: 'in', value: ['Shiraz', 'Tehran'] })).toBe(true);
    expect(matches({ field: 'attributes.city', op: 'in', value: ['Shiraz', 'Tabriz'] })).toBe(false);
    expect(matches({ field: 'attributes.orders', op: 'in', value: [11, 12] })).toBe(true);
  });

  it('contains looks for text inside the value, case-blind', () => {
    // Act and Assess
    expect(matches({ field: 'attributes.city', op: 'contains', value: 'HRA' })).toBe(true);
    expect(matches({ field: 'name', op: 'contains', value: 'ار' })).toBe(true);
    expect(matches({ field: 'name', op: 'contains', value: 'مینا' })).toBe(false);
  });

  it('exists is true for a present, non-empty value; exists false for the others', () => {
    // Act and Assess
    expect(matches({ field: 'attributes.city', op: 'exists' })).toBe(true);
    expect(matches({ field: 'attributes.absent', op: 'exists' })).toBe(false);
    expect(matches({ field: 'attributes.absent', op: 'exists', value: false })).toBe(true);
    expect(matches({ field: 'name', op: 'exists' }, { contact: contact({ name: '' }) })).toBe(false);
  });

  it('gt, gte, lt and lte compare numbers as numbers, not as text', () => {
    // Act and Assess: as text "1500" < "900"; as numbers it is the other way round
    expect(matches({ field: 'attributes.spent', op: 'gt', value: 900 })).toBe(true);
    expect(matches({ field: 'attributes.spent', op: 'gte', value: 1500 })).toBe(true);
    expect(matches({ field: 'attributes.spent', op: 'lt', value: 1500 })).toBe(false);
    expect(matches({ field: 'attributes.spent', op: 'lte', value: 1500 })).toBe(true);
    expect(matches({ field: 'attributes.orders', op: 'gt', value: 9 })).toBe(true);
    expect(matches({ field: 'attributes.city', op: 'gt', value: 1 })).toBe(false);
  });

  it('compares ISO dates as instants, whatever their offset or precision', () => {
    // Act and Assess
    expect(matches({ field: 'createdAt', op: 'gte', value: '2026-06-01' })).toBe(true);
    expect(matches({ field: 'createdAt', op: 'lt', value: '2026-06-15T13:31:00+03:30' })).toBe(true);
    expect(matches({ field: 'createdAt', op: 'gt', value: '2026-06-15T13:30:00+03:30' })).toBe(false);
    expect(matches({ field: 'createdAt', op: 'eq', value: '2026-06-15T13:30:00+03:30' })).toBe(true);
    expect(matches({ field: 'attributes.joined', op: 'lt', value: '2025-12-31T23:59:59Z' })).toBe(true);
  });
});

describe('segment filter: groups, lists, addresses and consent', () => {
  it('all needs every child, any one of them, not the opposite, nested as deep as allowed', () => {
    // Prepare
    const tehran = { field: 'attributes.city', op: 'eq', value: 'Tehran' };
    const shiraz = { field: 'attributes.city', op: 'eq', value: 'Shiraz' };
    // Act and Assess
    expect(matches({ all: [tehran, { hasPhone: true }] })).toBe(true);
    expect(matches({ all: [tehran, shiraz] })).toBe(false);
    expect(matches({ any: [shiraz, tehran] })).toBe(true);
    expect(matches({ any: [shiraz, { not: tehran }] })).toBe(false);
    expect(matches({ not: { any: [shiraz, { not: tehran }] } })).toBe(true);
    expect(matches({ all: [{ any: [shiraz, { all: [tehran, { not: { hasEmail: false } }] }] }] })).toBe(true);
  });

  it('inList and notInList read the contact lists handed in', () => {
    // Act and Assess
    expect(matches({ inList: VIP }, { lists: [VIP] })).toBe(true);
    expect(matches({ inList: VIP }, { lists: [BLOCKED] })).toBe(false);
    expect(matches({ notInList: BLOCKED }, { lists: [VIP] })).toBe(true);
    expect(matches({ all: [{ inList: VIP }, { notInList: BLOCKED }] }, { lists: [VIP, BLOCKED] })).toBe(
      false,
    );
  });

  it('hasPhone and hasEmail look at the addresses', () => {
    // Prepare
    const mailOnly = contact({ phone: undefined });
    // Act and Assess
    expect(matches({ hasPhone: true }, { contact: mailOnly })).toBe(false);
    expect(matches({ hasPhone: false }, { contact: mailOnly })).toBe(true);
    expect(matches({ hasEmail: true }, { contact: mailOnly })).toBe(true);
  });

  it('subscribed follows consent: the topic, the all-topics switch, and the later of the two', () => {
    // Prepare
    const filter = { subscribed: { channel: 'sms', topic: 'promotions' } };
    const resubscribed: ConsentState = {
      ...optedOut('promotions', '2026-08-01T00:00:00.000Z'),
      status: 'subscribed',
    };
    // Act and Assess
    expect(matches(filter)).toBe(true);
    expect(matches(filter, { consent: { sms: [optedOut('promotions')] } })).toBe(false);
    expect(matches(filter, { consent: { sms: [optedOut('*')] } })).toBe(false);
    expect(matches(filter, { consent: { sms: [optedOut('*'), resubscribed] } })).toBe(true);
    expect(matches(filter, { consent: { email: [optedOut('*')] } })).toBe(true);
  });

  it('names the lists and the consent reads a filter needs, once each', () => {
    // Prepare
    const filter = parseSegmentFilter({
      all: [
        { inList: VIP },
        { not: { inList: VIP } },
        { any: [{ notInList: BLOCKED }, { subscribed: { channel: 'email', topic: 'newsletter' } }] },
        { subscribed: { channel: 'email', topic: 'newsletter' } },
      ],
    });
    // Act
    const needs = filterNeeds(filter);
    // Assess
    expect([...needs.lists].sort()).toEqual([BLOCKED, VIP].sort());
    expect(needs.consent).toEqual([{ channel: 'email', topic: 'newsletter' }]);
    expect(referencedLists(parseSegmentFilter({ hasPhone: true }))).toEqual([]);
  });
});

describe('segment filter: validation', () => {
  it('keeps the filter as written (no internal tags leak into what is stored)', () => {
    // Prepare
    const filter: SegmentFilter = {
      all: [
        { field: 'attributes.شهر', op: 'in', value: ['تهران', 'کرج'] },
        { not: { inList: VIP } },
        { field: 'createdAt', op: 'exists' },
      ],
    };
    // Act and Assess
    expect(parseSegmentFilter(filter)).toEqual(filter);
  });

  it('names the path of a bad node, deep inside', () => {
    // Act and Assess
    expect(
      refusal({ all: [{ hasPhone: true }, { any: [{ field: 'name', op: 'like', value: 'x' }] }] }),
    ).toEqual([
      {
        field: 'filter.all.1.any.0.op',
        message: 'must be one of eq, ne, in, contains, exists, gt, gte, lt, lte',
      },
    ]);
    expect(refusal({ not: { field: 'phone', op: 'eq', value: '0912' } })).toEqual([
      { field: 'filter.not.field', message: 'must be locale, name, createdAt or attributes.<key>' },
    ]);
  });

  it('refuses a node with no known key, with two, or with keys of no node', () => {
    // Act and Assess
    for (const node of [{}, { city: 'Tehran' }, { inList: VIP, hasPhone: true }, [], 'x', 3, null]) {
      const issues = refusal({ any: [node] });
      expect(issues[0]?.field).toBe('filter.any.0');
      expect(issues[0]?.message).toMatch(/exactly one of all, any, not, field/);
    }
    expect(refusal({ hasPhone: true, extra: 1 })).toEqual([
      { field: 'filter', message: 'has unknown key extra' },
    ]);
  });

  it('checks each op value: gt needs a number or a date, in a non-empty array, contains text', () => {
    // Act and Assess
    expect(refusal({ field: 'createdAt', op: 'gt', value: 'yesterday' })[0]).toEqual({
      field: 'filter.value',
      message: 'must be a number or an ISO-8601 date',
    });
    expect(refusal({ field: 'createdAt', op: 'gt' })[0]).toEqual({
      field: 'filter.value',
      message: 'is required',
    });
    expect(refusal({ field: 'name', op: 'in', value: [] })[0]?.message).toBe('must list at least one value');
    expect(refusal({ field: 'name', op: 'in', value: 'a' })[0]?.field).toBe('filter.value');
    expect(refusal({ field: 'name', op: 'contains', value: 3 })[0]?.field).toBe('filter.value');
    expect(refusal({ field: 'name', op: 'eq', value: { a: 1 } })[0]?.field).toBe('filter.value');
    expect(refusal({ all: [] })[0]).toEqual({
      field: 'filter.all',
      message: 'must hold at least one filter',
    });
    expect(refusal({ inList: 'vip' })[0]).toEqual({ field: 'filter.inList', message: 'must be a list id' });
    expect(refusal({ hasEmail: 'yes' })[0]?.field).toBe('filter.hasEmail');
    expect(refusal({ subscribed: { channel: 'fax', topic: 'news' } })[0]?.field).toBe(
      'filter.subscribed.channel',
    );
  });

  it('caps depth and size, naming where the excess starts', () => {
    // Prepare
    let deep: unknown = { hasPhone: true };
    for (let i = 0; i < MAX_FILTER_DEPTH; i++) deep = { not: deep };
    const wide = { any: Array.from({ length: MAX_FILTER_NODES }, () => ({ hasPhone: true })) };
    // Act
    const tooDeep = refusal(deep);
    const tooWide = refusal(wide);
    // Assess
    expect(tooDeep).toEqual([
      {
        field: `filter${'.not'.repeat(MAX_FILTER_DEPTH)}`,
        message: `all, any and not may nest at most ${MAX_FILTER_DEPTH} deep`,
      },
    ]);
    expect(tooWide[0]?.field).toBe(`filter.any.${MAX_FILTER_NODES - 1}`);
    expect(() => parseSegmentFilter({ any: wide.any.slice(1) })).not.toThrow();
  });
});
