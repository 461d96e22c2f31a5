import { describe, expect, it } from 'vitest';
import { planColumns } from '../../../shared/domain/import-headers';
import { cellText, readRow } from '../../../shared/domain/import-row';

const planned = planColumns(['id', 'موبایل', 'ایمیل', 'نام', 'زبان', 'شهر', 'points']);
if (!planned.ok) throw new Error(planned.reason);
const plan = planned.plan;

describe('readRow', () => {
  it.each([
    '09121234567',
    '۰۹۱۲ ۱۲۳ ۴۵۶۷',
    '٠٩١٢-١٢٣-٤٥٦٧',
    '+98 912 123 4567',
    '00989121234567',
    '989121234567',
    '9121234567',
    '\u200f0912\u200c123\u200e4567',
  ])('normalises the phone %j to E.164 as PUT does', (phone) => {
    const result = readRow(['', phone, '', '', '', '', ''], plan, 2);
    expect(result).toEqual({ kind: 'row', row: { line: 2, phone: '+989121234567', attributes: {} } });
  });

  it('reads every field and keeps other columns as attributes, numbers as numbers', () => {
    // Act
    const result = readRow(
      ['c-1', 9121234567, ' Sara@Example.COM ', '  سارا   رضایی ', 'EN', 'تهران', 120],
      plan,
      7,
    );

    // Assess
    expect(result).toEqual({
      kind: 'row',
      row: {
        line: 7,
        id: 'c-1',
        phone: '+989121234567',
        email: 'sara@example.com',
        name: 'سارا رضایی',
        locale: 'en',
        attributes: { شهر: 'تهران', points: 120 },
      },
    });
  });

  it('lists each problem with its column, the value as written and the reason', () => {
    // Act
    const result = readRow(['09121234567', '0912', 'not-mail', '', 'de', '', ''], plan, 5);

    // Assess
    expect(result).toEqual({
      kind: 'invalid',
      problems: [
        { line: 5, column: 'id', value: '09121234567', reason: expect.stringContaining('the id') },
        {
          line: 5,
          column: 'موبایل',
          value: '0912',
          reason: expect.stringContaining('not an Iranian mobile'),
        },
        { line: 5, column: 'ایمیل', value: 'not-mail', reason: 'the email is not a valid email address' },
        { line: 5, column: 'زبان', value: 'de', reason: 'the language must be fa or en' },
      ],
    });
  });

  it('refuses a row with neither phone nor email, and skips an empty row', () => {
    expect(readRow(['c1', '', '', 'Ali', '', '', ''], plan, 3)).toEqual({
      kind: 'invalid',
      problems: [
        { line: 3, column: 'موبایل', value: '', reason: 'the row has neither a phone nor an email' },
      ],
    });
    expect(readRow(['', ' ', null, undefined], plan, 4)).toEqual({ kind: 'empty' });
  });
});

describe('cellText', () => {
  it('writes whole numbers without exponent and dates as ISO', () => {
    expect(cellText(989121234567)).toBe('989121234567');
    expect(cellText(new Date('2026-01-02T00:00:00Z'))).toBe('2026-01-02T00:00:00.000Z');
    expect(cellText(null)).toBe('');
  });
});
