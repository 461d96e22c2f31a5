import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../../shared/domain/email';

describe('normaliseEmail', () => {
  describe('normalises', () => {
    it.each([
      { label: 'upper case', input: 'Ali.Rezaei@Example.COM', email: 'ali.rezaei@example.com' },
      { label: 'surrounding spaces', input: '  ali@example.ir  ', email: 'ali@example.ir' },
      { label: 'tabs and newlines', input: '\tali@example.ir\r\n', email: 'ali@example.ir' },
      { label: 'plus addressing', input: 'Ali+News@Example.ir', email: 'ali+news@example.ir' },
      { label: 'a sub-domain', input: 'user@mail.example.co.ir', email: 'user@mail.example.co.ir' },
      { label: 'an apostrophe', input: "O'Brien@example.ie", email: "o'brien@example.ie" },
      {
        label: 'digits and dashes',
        input: 'team-42@shop-1.example.com',
        email: 'team-42@shop-1.example.com',
      },
    ])('$label', ({ input, email }) => {
      // Prepare: the input comes from the table

      // Act
      const result = normaliseEmail(input);

      // Assess
      expect(result).toEqual({ ok: true, email });
    });
  });

  it('gives the same address for every casing of it', () => {
    // Prepare
    const spellings = ['someone@example.com', 'SOMEONE@EXAMPLE.COM', ' SomeOne@Example.Com '];

    // Act
    const results = spellings.map(normaliseEmail);

    // Assess
    for (const result of results) expect(result).toEqual({ ok: true, email: 'someone@example.com' });
  });

  it('accepts an address of exactly 254 characters', () => {
    // Prepare
    const address = `a@${'b'.repeat(248)}.com`;

    // Act
    const result = normaliseEmail(address);

    // Assess
    expect(address).toHaveLength(254);
    expect(result).toEqual({ ok: true, email: address });
  });

  describe('rejects, with a reason', () => {
    const INVALID = 'is not a valid email address';

    it.each([
      { label: 'an empty string', input: '', reason: 'is empty' },
      { label: 'only whitespace', input: ' \t\n', reason: 'is empty' },
      {
        label: '255 characters',
        input: `ab@${'b'.repeat(248)}.com`,
        reason: 'is longer than 254 characters',
      },
      { label: 'no at sign', input: 'ali.example.com', reason: INVALID },
      { label: 'no local part', input: '@example.com', reason: INVALID },
      { label: 'no domain', input: 'ali@', reason: INVALID },
      { label: 'a domain without a dot', input: 'ali@localhost', reason: INVALID },
      { label: 'a one-letter top-level domain', input: 'ali@example.c', reason: INVALID },
      { label: 'two at signs', input: 'ali@@example.com', reason: INVALID },
      { label: 'two addresses', input: 'ali@example.com,sara@example.com', reason: INVALID },
      { label: 'a space inside', input: 'ali rezaei@example.com', reason: INVALID },
      { label: 'consecutive dots in the domain', input: 'ali@example..com', reason: INVALID },
      { label: 'a leading dot', input: '.ali@example.com', reason: INVALID },
      { label: 'a trailing dot in the domain', input: 'ali@example.com.', reason: INVALID },
      { label: 'a display name', input: 'Ali <ali@example.com>', reason: INVALID },
      { label: 'a Persian local part', input: 'علی@example.com', reason: INVALID },
    ])('$label', ({ input, reason }) => {
      // Prepare: the input comes from the table

      // Act
      const result = normaliseEmail(input);

      // Assess
      expect(result).toEqual({ ok: false, reason });
    });
  });
});
