import { describe, expect, it } from 'vitest';
import { MAX_TEST_TARGETS, markedAsTest, parseTestTargets } from '../../../shared/domain/campaign-test';
import { ValidationError } from '../../../shared/domain/errors';

describe('parseTestTargets', () => {
  it('normalises phones and emails as PUT /v1/contacts does, and counts repeats once', () => {
    // Act
    const targets = parseTestTargets({
      contactIds: ['c1', 'c1'],
      phones: ['۰۹۱۲ ۳۴۵ ۶۷۸۹', '+98 912-345-6789'],
      emails: [' Sara@Example.COM '],
    });
    // Assess
    expect(targets).toEqual([
      { kind: 'contact', contactId: 'c1' },
      { kind: 'phone', phone: '+989123456789' },
      { kind: 'email', email: 'sara@example.com' },
    ]);
  });

  it(`refuses more than ${MAX_TEST_TARGETS} targets in all, and none`, () => {
    // Prepare
    const eleven = {
      contactIds: ['a', 'b', 'c', 'd', 'e', 'f'],
      emails: ['1@x.ir', '2@x.ir', '3@x.ir', '4@x.ir', '5@x.ir'],
    };
    // Act and Assess
    expect(() => parseTestTargets(eleven)).toThrow(/1 to 10 targets/);
    expect(() => parseTestTargets({ phones: [] })).toThrow(ValidationError);
    expect(() => parseTestTargets(undefined)).toThrow(/1 to 10 targets/);
  });

  it('names each bad field', () => {
    // Act
    const error = (() => {
      try {
        parseTestTargets({ contactIds: ['bad id'], phones: ['0912'], emails: ['nope'] });
      } catch (caught) {
        return caught as ValidationError;
      }
    })();
    // Assess
    expect(error?.issues.map((issue) => issue.field)).toEqual(['contactIds.0', 'phones.0', 'emails.0']);
  });
});

describe('markedAsTest', () => {
  it('marks a Persian copy [آزمایشی] and an English one [test]', () => {
    // Act and Assess
    expect(markedAsTest('حراج', 'fa')).toBe('[آزمایشی] حراج');
    expect(markedAsTest('Sale', 'en')).toBe('[test] Sale');
  });
});
