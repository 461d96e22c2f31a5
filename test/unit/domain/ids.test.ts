import { describe, expect, it } from 'vitest';
import { contactIdProblem, deliveryLocalId, newId, newRef } from '../../../shared/domain/ids';

/** Crockford base32: digits and upper-case letters without I, L, O and U. */
const CROCKFORD_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('newId', () => {
  it('is 26 characters of Crockford base32', () => {
    // Prepare
    const times = [0, 1, Date.parse('2025-03-01T12:00:00Z'), 2 ** 48 - 1];

    // Act
    const ids = times.flatMap((time) => Array.from({ length: 50 }, () => newId(time)));

    // Assess
    for (const id of ids) expect(id).toMatch(CROCKFORD_ID);
  });

  it('uses the current time by default', () => {
    // Prepare
    const before = newId(Date.now() - 60_000);

    // Act
    const id = newId();

    // Assess
    expect(id).toMatch(CROCKFORD_ID);
    expect(id > before).toBe(true);
  });

  it('encodes the time in the first 10 characters as a ULID does', () => {
    // Prepare
    const times = [0, 1469918176385, 2 ** 48 - 1];

    // Act
    const prefixes = times.map((time) => newId(time).slice(0, 10));

    // Assess
    expect(prefixes).toEqual(['0000000000', '01ARYZ6S41', '7ZZZZZZZZZ']);
  });

  it('sorts by time', () => {
    // Prepare
    const base = Date.parse('2025-03-01T12:00:00Z');
    const times = [
      0,
      1,
      31,
      32,
      1023,
      1024,
      base - 1,
      base,
      base + 1,
      base + 31,
      base + 32,
      base + 86_400_000,
    ];
    const ids = times.map((time) => newId(time));
    const shuffled = [...ids].reverse();

    // Act
    const sorted = [...shuffled].sort();

    // Assess
    expect(sorted).toEqual(ids);
  });

  it('gives distinct ids within one millisecond', () => {
    // Prepare
    const time = Date.parse('2025-03-01T12:00:00Z');

    // Act
    const ids = Array.from({ length: 2000 }, () => newId(time));

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
  });
});

describe('newRef', () => {
  it('is 16 characters of base64url (96 bits) and never repeats', () => {
    // Prepare
    const count = 2000;

    // Act
    const refs = Array.from({ length: count }, () => newRef());

    // Assess
    for (const ref of refs) expect(ref).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(refs).size).toBe(count);
  });
});

describe('deliveryLocalId', () => {
  it('is 15 digits without a leading zero, within a safe integer', () => {
    // Prepare
    const inputs = Array.from({ length: 2000 }, (_, i) => [`campaign-${i % 7}`, `contact-${i}`] as const);

    // Act
    const ids = inputs.flatMap(([campaign, contact]) => [
      deliveryLocalId(campaign, contact, 'sms'),
      deliveryLocalId(campaign, contact, 'email'),
    ]);

    // Assess
    for (const id of ids) {
      expect(id).toMatch(/^[1-9]\d{14}$/);
      expect(Number(id)).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
      expect(String(Number(id))).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is stable for the same campaign, contact and channel', () => {
    // Prepare
    const args = ['01JD5ZQ3N1V8T4K6W2R9XH7ABC', 'crm-000123', 'sms'] as const;

    // Act
    const first = deliveryLocalId(...args);
    const second = deliveryLocalId(...args);

    // Assess
    expect(second).toBe(first);
  });

  it('differs across channel, contact and campaign', () => {
    // Prepare
    const campaign = '01JD5ZQ3N1V8T4K6W2R9XH7ABC';
    const contact = 'crm-000123';

    // Act
    const ids = [
      deliveryLocalId(campaign, contact, 'sms'),
      deliveryLocalId(campaign, contact, 'email'),
      deliveryLocalId(campaign, 'crm-000124', 'sms'),
      deliveryLocalId('01JD5ZQ3N1V8T4K6W2R9XH7ABD', contact, 'sms'),
    ];

    // Assess
    expect(new Set(ids).size).toBe(4);
  });

  it('does not confuse where one field ends and the next begins', () => {
    // Prepare
    const split = [
      ['ab', 'c'],
      ['a', 'bc'],
      ['abc', ''],
    ] as const;

    // Act
    const ids = split.map(([campaign, contact]) => deliveryLocalId(campaign, contact, 'sms'));

    // Assess
    expect(new Set(ids).size).toBe(3);
  });
});

describe('contactIdProblem', () => {
  it.each([
    ['+989121234567'],
    ['09121234567'],
    ['989121234567'],
    ['00989121234567'],
    ['9125550003'],
    ['912.123.4567'],
    ['9876543210'],
    ['0912_555_0004'],
    ['tel:09125550004'],
    ['sms:+989125550004'],
    ['09125550004x'],
    ['cust-09125550004'],
    ['c1:98-912-555-0004'],
    ['۰۹۱۲۱۲۳۴۵۶۷'],
    ['٠٩١٢١٢٣٤٥٦٧'],
  ])('refuses %s: a phone number can be read in it', (id) => {
    // Act
    const problem = contactIdProblem(id);

    // Assess
    expect(problem).toBe(
      'must not contain a phone number: it outlives an erasure; use an opaque id such as your CRM id',
    );
  });

  it.each([
    ['ali@example.ir'],
    ['Ali.Rezaei+news@Example.com'],
    ['sara@example'],
    ['mailto:sara@example.com'],
    ['shop:42@tenant'],
    ['user@local'],
  ])('refuses %s: an email address can be read in it', (id) => {
    // Act
    const problem = contactIdProblem(id);

    // Assess
    expect(problem).toBe(
      'must not contain an email address: it outlives an erasure; use an opaque id such as your CRM id',
    );
  });

  it.each([
    ['c1'],
    ['cust-000123'],
    ['crm-1042'],
    ['shop:42'],
    ['c_123456'],
    ['01HZX3K9QF'],
    ['01JABCDEFGHJKMNPQRSTVWXYZ0'],
    ['123e4567-e89b-12d3-a456-426614174000'],
    ['0912123456'],
    ['912345678'],
    ['8123456789'],
    ['@acme'],
    ['user@'],
  ])('accepts the opaque id %s', (id) => {
    // Act
    const problem = contactIdProblem(id);

    // Assess
    expect(problem).toBeUndefined();
  });

  it('accepts a UUID whose hex digits, dashes dropped, would read as a mobile', () => {
    // Prepare: "4991-2345-6789" loses its dashes as 9912345678…, a mobile's shape by chance
    const id = 'a1b2c3d4-4991-2345-6789-abcdefabcdef';

    // Act
    const problem = contactIdProblem(id);

    // Assess
    expect(problem).toBeUndefined();
  });
});
