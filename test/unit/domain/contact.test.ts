import { describe, expect, it } from 'vitest';
import { contactInputSchema } from '../../../shared/domain/contact';

function issuesOf(input: unknown): { path: PropertyKey[]; message: string }[] {
  const result = contactInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map(({ path, message }) => ({ path, message }));
}

describe('contactInputSchema', () => {
  it('normalises the phone and email as people write them', () => {
    // Prepare
    const input = {
      phone: '۰۹۱۲ ۱۲۳ ۴۵۶۷',
      email: ' Ali@Example.IR ',
      name: '  Ali  ',
      locale: 'en',
      attributes: { city: 'Tehran', points: 120, vip: true },
    };

    // Act
    const result = contactInputSchema.safeParse(input);

    // Assess
    expect(result.data).toEqual({
      phone: '+989121234567',
      email: 'ali@example.ir',
      name: 'Ali',
      locale: 'en',
      attributes: { city: 'Tehran', points: 120, vip: true },
    });
  });

  it('defaults the locale to fa and the attributes to none, and leaves out what was not given', () => {
    // Prepare
    const input = { phone: '+989121234567' };

    // Act
    const result = contactInputSchema.safeParse(input);

    // Assess
    expect(result.data).toEqual({ phone: '+989121234567', locale: 'fa', attributes: {} });
  });

  it('leaves out a blank name', () => {
    // Prepare
    const input = { email: 'ali@example.ir', name: '   ' };

    // Act
    const result = contactInputSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).not.toHaveProperty('name');
  });

  it.each([
    {
      label: 'neither phone nor email',
      input: { name: 'Ali' },
      path: [],
      message: 'needs a phone, an email',
    },
    {
      label: 'a landline',
      input: { phone: '021 1234 5678' },
      path: ['phone'],
      message: 'is not an Iranian mobile number',
    },
    { label: 'an empty phone', input: { phone: '' }, path: ['phone'], message: 'is empty' },
    { label: 'a phone over 64 characters', input: { phone: '0'.repeat(65) }, path: ['phone'], message: '64' },
    {
      label: 'a bad email',
      input: { email: 'ali@' },
      path: ['email'],
      message: 'is not a valid email address',
    },
    { label: 'an unknown locale', input: { email: 'a@b.co', locale: 'de' }, path: ['locale'], message: 'fa' },
    {
      label: 'more than 50 attributes',
      input: {
        email: 'a@b.co',
        attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
      path: ['attributes'],
      message: 'at most 50',
    },
    {
      label: 'an attribute name with a space',
      input: { email: 'a@b.co', attributes: { 'home city': 'Tehran' } },
      path: ['attributes', 'home city'],
      message: '',
    },
    {
      label: 'a nested attribute value',
      input: { email: 'a@b.co', attributes: { address: { city: 'Tehran' } } },
      path: ['attributes', 'address'],
      message: '',
    },
    {
      label: 'an unknown key',
      input: { email: 'a@b.co', nationalId: '0012345678' },
      path: [],
      message: 'nationalId',
    },
  ])('rejects $label, naming the field', ({ input, path, message }) => {
    // Prepare: the input comes from the table

    // Act
    const issues = issuesOf(input);

    // Assess
    const issue = issues.find((candidate) => JSON.stringify(candidate.path) === JSON.stringify(path));
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toContain(message);
  });

  it('reports a bad phone and a bad email together', () => {
    // Prepare
    const input = { phone: '+44 7700 900123', email: 'nope' };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual([['phone'], ['email']]);
  });
});
