import { describe, expect, it } from 'vitest';
import {
  contactValues,
  escapeHtml,
  placeholdersIn,
  renderTemplate,
  templateProblem,
} from '../../../shared/domain/placeholders';
import type { Contact } from '../../../shared/domain/types';

const contact: Contact = {
  id: 'c-1',
  ref: 'r3fR3fR3fR3f',
  phone: '+989121234567',
  email: 'ali@example.ir',
  locale: 'fa',
  name: 'علی',
  attributes: { city: 'Tehran', points: 120, vip: true },
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

describe('placeholdersIn', () => {
  it('lists the names a template uses, once each, in order of first appearance', () => {
    // Prepare
    const template =
      'Hi {{ name }}, {{attributes.city}} awaits. {{name}}, use {{unsubscribe_url}} or {{city}}';

    // Act
    const names = placeholdersIn(template);

    // Assess
    expect(names).toEqual(['name', 'attributes.city', 'unsubscribe_url', 'city']);
  });

  it('finds nothing in plain text or in malformed braces', () => {
    // Prepare
    const templates = ['No placeholders here', '{{name', '{{ }}', 'a }} b', '{single}'];

    // Act
    const names = templates.map(placeholdersIn);

    // Assess
    expect(names).toEqual([[], [], [], [], []]);
  });
});

describe('templateProblem', () => {
  it.each([
    'Hello {{name}}',
    'Hello {{ name }}',
    'Hello {{\tname\n}}',
    '{{attributes.city}} and {{city}}',
    '{{unsubscribe_url}}',
    'No placeholders at all',
    '<style>p { color: red }</style><p>{{name}}</p>',
    '',
  ])('finds nothing wrong with %j', (template) => {
    // Prepare: the template comes from the table

    // Act
    const problem = templateProblem(template);

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    '{{name',
    'Hello {{name}',
    '{{ }}',
    '{{}}',
    '}}',
    'name}}',
    'Hello {{name}} and }}',
    '{{na me}}',
    '{{1st}}',
    '{{attributes.city.name}}',
    '{{name-x}}',
    '{{{{name}}',
  ])('catches the malformed placeholder in %j', (template) => {
    // Prepare: the template comes from the table

    // Act
    const problem = templateProblem(template);

    // Assess
    expect(problem).toMatch(/malformed placeholder/);
  });

  it('answers the same on every call (no state left between calls)', () => {
    // Prepare
    const sequence = ['}}', '}}', 'Hi {{name}}', '{{name', '{{name', 'ok'];

    // Act
    const answers = sequence.map((template) => templateProblem(template) !== undefined);

    // Assess
    expect(answers).toEqual([true, true, false, true, true, false]);
  });
});

describe('contactValues', () => {
  it('offers name, locale and every attribute under both of its names', () => {
    // Prepare: the contact fixture

    // Act
    const values = contactValues(contact);

    // Assess
    expect(values).toEqual({
      name: 'علی',
      locale: 'fa',
      city: 'Tehran',
      'attributes.city': 'Tehran',
      points: 120,
      'attributes.points': 120,
      vip: true,
      'attributes.vip': true,
    });
  });

  it('does not offer the phone or email to templates', () => {
    // Prepare: the contact fixture

    // Act
    const values = contactValues(contact);

    // Assess
    expect(Object.values(values)).not.toContain(contact.phone);
    expect(Object.values(values)).not.toContain(contact.email);
  });

  it('lets values supplied at send time win', () => {
    // Prepare
    const extra = { unsubscribe_url: 'https://example.ir/u/abc', name: 'Override' };

    // Act
    const values = contactValues(contact, extra);

    // Assess
    expect(values.unsubscribe_url).toBe('https://example.ir/u/abc');
    expect(values.name).toBe('Override');
  });
});

describe('renderTemplate', () => {
  it.each([
    { template: 'Hi {{name}}', expected: 'Hi علی' },
    { template: 'Hi {{ name }}!', expected: 'Hi علی!' },
    { template: 'In {{attributes.city}}', expected: 'In Tehran' },
    { template: 'In {{city}}', expected: 'In Tehran' },
    { template: '{{points}} points, VIP: {{ attributes.vip }}', expected: '120 points, VIP: true' },
    { template: '{{name}} {{name}}', expected: 'علی علی' },
  ])('fills $template', ({ template, expected }) => {
    // Prepare
    const values = contactValues(contact);

    // Act
    const output = renderTemplate(template, values);

    // Assess
    expect(output).toBe(expected);
  });

  it('renders a missing value as empty', () => {
    // Prepare
    const values = contactValues({ ...contact, name: undefined, attributes: {} });

    // Act
    const output = renderTemplate('Hi {{name}}, from [{{city}}][{{attributes.city}}][{{nope}}]', values);

    // Assess
    expect(output).toBe('Hi , from [][][]');
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'renders {{%s}} as empty rather than a member of Object.prototype',
    (name) => {
      // Prepare
      const values = contactValues(contact);

      // Act
      const output = renderTemplate(`[{{${name}}}]`, values);

      // Assess
      expect(output).toBe('[]');
    },
  );

  it('renders a value that looks like a placeholder literally, without expanding it', () => {
    // Prepare
    const values = { name: '{{secret}}', secret: 'leaked' };

    // Act
    const output = renderTemplate('Hi {{name}}', values);

    // Assess
    expect(output).toBe('Hi {{secret}}');
  });

  it('escapes < > & " \' in values in html mode', () => {
    // Prepare
    const values = { name: `<script>alert("x" & 'y')</script>` };

    // Act
    const output = renderTemplate('<p title="{{name}}">{{name}}</p>', values, 'html');

    // Assess
    const escaped = '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;';
    expect(output).toBe(`<p title="${escaped}">${escaped}</p>`);
    expect(output).not.toContain('<script>');
  });

  it('leaves values as they are in text mode, which is the default', () => {
    // Prepare
    const values = { name: `<b>"Ali" & 'Sara'</b>` };

    // Act
    const byDefault = renderTemplate('Hi {{name}}', values);
    const explicit = renderTemplate('Hi {{name}}', values, 'text');

    // Assess
    expect(byDefault).toBe(`Hi <b>"Ali" & 'Sara'</b>`);
    expect(explicit).toBe(byDefault);
  });

  it('does not escape the template itself in html mode', () => {
    // Prepare
    const template = '<a href="{{unsubscribe_url}}">Unsubscribe &amp; goodbye</a>';

    // Act
    const output = renderTemplate(template, { unsubscribe_url: 'https://x.ir/u?a=1&b=2' }, 'html');

    // Assess
    expect(output).toBe('<a href="https://x.ir/u?a=1&amp;b=2">Unsubscribe &amp; goodbye</a>');
  });

  it('leaves malformed braces as they are', () => {
    // Prepare
    const template = 'Hi {{name and {{ }} }}';

    // Act
    const output = renderTemplate(template, { name: 'Ali' });

    // Assess
    expect(output).toBe(template);
  });
});

describe('escapeHtml', () => {
  it('escapes each special character and leaves the rest alone', () => {
    // Prepare
    const text = `a<b>c&d"e'f سلام`;

    // Act
    const escaped = escapeHtml(text);

    // Assess
    expect(escaped).toBe('a&lt;b&gt;c&amp;d&quot;e&#39;f سلام');
  });

  it('escapes an already escaped entity again', () => {
    // Prepare
    const text = '&lt;';

    // Act
    const escaped = escapeHtml(text);

    // Assess
    expect(escaped).toBe('&amp;lt;');
  });
});
