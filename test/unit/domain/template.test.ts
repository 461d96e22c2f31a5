import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import {
  contentFor,
  emptyPlaceholderCounter,
  parseTemplateInput,
  pickVariant,
  templateSummary,
} from '../../../shared/domain/template';
import type { Contact } from '../../../shared/domain/types';

const SMS = {
  name: 'Welcome',
  channel: 'sms',
  variants: { fa: { text: 'سلام {{name}}' }, en: { text: 'Hi {{name}}' } },
};
const EMAIL = {
  name: 'Newsletter',
  channel: 'email',
  variants: { en: { subject: 'News for {{name}}', html: '<p>Hi {{attributes.city}}</p>' } },
};

function issuesOf(body: unknown): string[] {
  try {
    parseTemplateInput(body);
  } catch (error) {
    if (error instanceof ValidationError)
      return error.issues.map((issue) => `${issue.field} ${issue.message}`);
    throw error;
  }
  return [];
}

describe('parseTemplateInput', () => {
  it('takes an SMS template with both variants and an email template with one', () => {
    // Prepare: the bodies above

    // Act
    const sms = parseTemplateInput(SMS);
    const email = parseTemplateInput(EMAIL);

    // Assess
    expect(sms).toEqual(SMS);
    expect(email).toEqual(EMAIL);
  });

  it.each([
    {
      label: 'no variant at all',
      body: { ...SMS, variants: {} },
      issue: 'variants must hold a fa or an en variant',
    },
    { label: 'an unknown locale', body: { ...SMS, variants: { de: { text: 'Hallo' } } }, issue: 'variants' },
    {
      label: 'an email variant on an SMS template',
      body: { ...SMS, variants: { fa: { subject: 's', html: '<p>x</p>' } } },
      issue: 'variants.fa',
    },
    {
      label: 'an email variant without html',
      body: { ...EMAIL, variants: { en: { subject: 'x' } } },
      issue: 'variants.en.html',
    },
    {
      label: 'an SMS past 778 characters',
      body: { ...SMS, variants: { fa: { text: 'س'.repeat(779) } } },
      issue: 'at most 778',
    },
    {
      label: 'a malformed placeholder',
      body: { ...SMS, variants: { fa: { text: 'سلام {{name' } } },
      issue: 'malformed placeholder',
    },
    {
      label: 'a placeholder that is no contact field',
      body: { ...SMS, variants: { en: { text: 'Hi {{contact.name}}' } } },
      issue: 'variants.en.text has {{contact.name}}, which is not a contact field',
    },
    { label: 'an unknown channel', body: { ...SMS, channel: 'push' }, issue: 'channel' },
    { label: 'an empty name', body: { ...SMS, name: '  ' }, issue: 'name must not be empty' },
  ])('refuses $label with the field named', ({ body, issue }) => {
    // Prepare: the body of the case

    // Act
    const issues = issuesOf(body);

    // Assess
    expect(issues.join('; ')).toContain(issue);
  });

  it('refuses a template too large for a campaign to keep a copy of', () => {
    // Prepare
    const html = `<p>${'x'.repeat(200_000)}</p>`;
    const body = { ...EMAIL, variants: { fa: { subject: 's', html }, en: { subject: 's', html } } };

    // Act
    const issues = issuesOf(body);

    // Assess
    expect(issues.join('; ')).toMatch(/template is \d+ KB/);
  });
});

describe('pickVariant', () => {
  it("gives a recipient their locale's variant, else the other one, with the locale it is in", () => {
    // Prepare
    const both = { fa: 'fa text', en: 'en text' };
    const faOnly = { fa: 'fa text' };
    const enOnly = { en: 'en text' };

    // Act
    const picks = [
      pickVariant(both, 'en'),
      pickVariant(both, 'fa'),
      pickVariant(faOnly, 'en'),
      pickVariant(enOnly, 'fa'),
    ];

    // Assess
    expect(picks).toEqual([
      { variant: 'en text', locale: 'en' },
      { variant: 'fa text', locale: 'fa' },
      { variant: 'fa text', locale: 'fa' },
      { variant: 'en text', locale: 'en' },
    ]);
  });
});

describe('contentFor', () => {
  it("answers inline content in the contact's locale and a template copy's variant in its own", () => {
    // Prepare
    const inline = { text: 'inline' };
    const fromTemplate = { text: 'fa', template: { id: 'T', version: 2, variants: { fa: { text: 'fa' } } } };

    // Act
    const forInline = contentFor(inline, 'en');
    const forTemplate = contentFor(fromTemplate, 'en');

    // Assess
    expect(forInline).toEqual({ variant: inline, locale: 'en' });
    expect(forTemplate).toEqual({ variant: { text: 'fa' }, locale: 'fa' });
  });
});

describe('templateSummary', () => {
  it('drops the content and names the locales, fa first', () => {
    // Prepare
    const template = {
      id: '01JDV00000000000000000000T',
      name: 'x',
      channel: 'sms' as const,
      version: 3,
      variants: { en: { text: 'a' }, fa: { text: 'b' } },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
    };

    // Act
    const summary = templateSummary(template);

    // Assess
    expect(summary).toEqual({
      id: template.id,
      name: 'x',
      channel: 'sms',
      version: 3,
      locales: ['fa', 'en'],
      createdAt: template.createdAt,
      updatedAt: template.updatedAt,
    });
  });
});

describe('emptyPlaceholderCounter', () => {
  const person = (locale: 'fa' | 'en', fields: Partial<Contact>): Contact => ({
    id: `c-${Math.random()}`,
    ref: 'ref',
    locale,
    attributes: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  });

  it('counts, per channel, the contacts whose own variant leaves a placeholder empty', () => {
    // Prepare
    const counter = emptyPlaceholderCounter({
      sms: {
        text: '{{name}}',
        template: {
          id: 'T',
          version: 1,
          variants: { fa: { text: '{{name}}' }, en: { text: '{{name}} {{city}}' } },
        },
      },
      email: { subject: 'Hi {{name}}', html: '<a href="{{unsubscribe_url}}">x</a>' },
    });

    // Act
    counter.add([
      person('fa', { phone: '+989120000001', name: 'سارا' }),
      person('en', { phone: '+989120000002', name: 'John' }),
      person('en', { phone: '+989120000003', email: 'x@example.com', attributes: { city: 'Shiraz' } }),
    ]);
    const warnings = counter.warnings();

    // Assess
    expect(
      warnings.map(({ channel, placeholder, contacts }) => ({ channel, placeholder, contacts })),
    ).toEqual([
      { channel: 'sms', placeholder: 'city', contacts: 1 },
      { channel: 'sms', placeholder: 'name', contacts: 1 },
      { channel: 'email', placeholder: 'name', contacts: 1 },
    ]);
    expect(warnings[0]?.message).toContain('{{city}} renders empty in the sms of 1 contact(s)');
  });
});
