import { describe, expect, it } from 'vitest';
import { attributeName, planColumns, recogniseHeader } from '../../../shared/domain/import-headers';

describe('recogniseHeader', () => {
  it.each([
    ['id', 'id'],
    ['contactId', 'id'],
    ['Customer_ID', 'id'],
    ['شناسه', 'id'],
    ['Phone', 'phone'],
    [' MOBILE ', 'phone'],
    ['موبایل', 'phone'],
    ['شماره  موبایل', 'phone'],
    ['شماره\u200cموبایل', 'phone'],
    ['تلفن همراه', 'phone'],
    ['E-mail', 'email'],
    ['ایمیل', 'email'],
    ['پست الکترونيک', 'email'],
    ['name', 'name'],
    ['نام', 'name'],
    ['نام و نام خانوادگی', 'name'],
    ['Locale', 'locale'],
    ['زبان', 'locale'],
  ] as const)('recognises %j as %s', (header, field) => {
    expect(recogniseHeader(header)).toBe(field);
  });

  it.each(['نام خانوادگی', 'city', 'telephone fax', ''])('does not take %j for a field', (header) => {
    expect(recogniseHeader(header)).toBeUndefined();
  });
});

describe('planColumns', () => {
  it('places fields by header and keeps every other column as an attribute', () => {
    // Act
    const result = planColumns([
      'شناسه',
      'نام و نام خانوادگی',
      'شماره موبایل',
      'ایمیل',
      'شهر',
      'امتیاز باشگاه',
    ]);

    // Assess
    expect(result).toEqual({
      ok: true,
      plan: {
        fields: { id: 0, name: 1, phone: 2, email: 3 },
        attributes: [
          { index: 4, name: 'شهر' },
          { index: 5, name: 'امتیاز_باشگاه' },
        ],
        headers: ['شناسه', 'نام و نام خانوادگی', 'شماره موبایل', 'ایمیل', 'شهر', 'امتیاز باشگاه'],
      },
    });
  });

  it('lets the mapping override the guess', () => {
    // Act
    const result = planColumns(['mobile', 'tel'], { phone: 'tel' });

    // Assess
    expect(result.ok && result.plan.fields).toEqual({ phone: 1 });
    expect(result.ok && result.plan.attributes).toEqual([{ index: 0, name: 'mobile' }]);
  });

  it('fails without a phone or email column, naming the headers it saw', () => {
    const result = planColumns(['first', 'last']);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('no phone or email column') });
    expect(!result.ok && result.reason).toContain('"first", "last"');
  });

  it('fails when the mapping names a column the file lacks', () => {
    const result = planColumns(['phone'], { email: 'mail address' });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('"mail address"') });
  });

  it('fails on two attribute columns of one name and on more than 50 attributes', () => {
    expect(planColumns(['phone', 'city', 'city']).ok).toBe(false);
    const many = ['phone', ...Array.from({ length: 51 }, (_, i) => `a${i}`)];
    expect(planColumns(many)).toEqual({ ok: false, reason: expect.stringContaining('at most 50') });
  });
});

describe('attributeName', () => {
  it('trims, drops bidi marks and joins words with _', () => {
    expect(attributeName('\u200f  تاریخ  تولد ')).toBe('تاریخ_تولد');
  });
});
