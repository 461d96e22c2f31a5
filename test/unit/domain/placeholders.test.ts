import { describe, expect, it } from 'vitest';
import {
  contactValues,
  emptyPlaceholders,
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

describe('renderTemplate in html mode: where a value stands', () => {
  it.each([
    { label: 'a javascript: link', value: 'javascript:alert(1)' },
    { label: 'one with leading spaces', value: '  javascript:alert(1)' },
    { label: 'one with a tab inside the scheme', value: 'java\tscript:alert(1)' },
    { label: 'a data: URL', value: 'data:text/html,<script>alert(1)</script>' },
    { label: 'a mailto: link (only http(s) is rendered)', value: 'mailto:x@example.com' },
    { label: 'a protocol-relative URL', value: '//evil.example/x' },
  ])('renders $label in an href as #', ({ value }) => {
    // Act
    const output = renderTemplate('<a href="{{site}}">x</a>', { site: value }, 'html');

    // Assess
    expect(output).toBe('<a href="#">x</a>');
  });

  it.each([
    {
      template: '<a href="{{site}}">',
      value: 'https://shop.example/?a=1&b=2',
      out: '<a href="https://shop.example/?a=1&amp;b=2">',
    },
    {
      template: "<img src='{{site}}'>",
      value: 'http://cdn.example/x.png',
      out: "<img src='http://cdn.example/x.png'>",
    },
    { template: '<form action="{{site}}">', value: '/u/abc', out: '<form action="/u/abc">' },
    {
      template: '<a href="https://shop.example/?q={{site}}">',
      value: 'javascript:x',
      out: '<a href="https://shop.example/?q=javascript:x">',
    },
  ])(
    'keeps an http(s) URL, a same-site path, or a value after the URL began: $template',
    ({ template, value, out }) => {
      // Act
      const output = renderTemplate(template, { site: value }, 'html');

      // Assess
      expect(output).toBe(out);
    },
  );

  it('checks a URL attribute written without quotes, whatever its case', () => {
    // Act
    const output = renderTemplate('<a HREF={{site}}>x</a>', { site: 'javascript:alert(1)' }, 'html');

    // Assess
    expect(output).toBe('<a HREF=#>x</a>');
  });

  it('keeps a value inside an unquoted attribute from adding attributes', () => {
    // Prepare
    const values = { color: 'red onmouseover=alert(1) x="y\'z`<>&' };

    // Act
    const output = renderTemplate('<td class={{color}} id=a>', values, 'html');

    // Assess
    expect(output).toBe(
      '<td class=red&#32;onmouseover&#61;alert(1)&#32;x&#61;&#34;y&#39;z&#96;&#60;&#62;&#38; id=a>',
    );
  });

  it('drops a value standing between attributes or as a tag name', () => {
    // Prepare
    const values = { extra: 'onload=alert(1)', tag: 'img src=x onerror=alert(1)' };

    // Act
    const output = renderTemplate('<div {{extra}} id="a"><{{tag}}></div>', values, 'html');

    // Assess
    expect(output).toBe('<div  id="a"><></div>');
  });

  it('escapes a value in text and comments, after attribute values closed', () => {
    // Prepare
    const values = { name: '<b>"Ali"</b>' };

    // Act
    const output = renderTemplate('<p title="x" data-y=z>{{name}}</p><!-- {{name}} -->', values, 'html');

    // Assess
    expect(output).toBe(
      '<p title="x" data-y=z>&lt;b&gt;&quot;Ali&quot;&lt;/b&gt;</p><!-- &lt;b&gt;&quot;Ali&quot;&lt;/b&gt; -->',
    );
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

describe('templateProblem and contact fields', () => {
  it.each(['{{contact.name}}', '{{user.city}}', 'Hi {{name}} from {{profile.city}}'])(
    'refuses %j: a dotted placeholder other than attributes.<key> names no contact field',
    (template) => {
      // Prepare: the template of the case

      // Act
      const problem = templateProblem(template);

      // Assess
      expect(problem).toMatch(/is not a contact field/);
    },
  );

  it('keeps {{city}}, {{attributes.city}}, {{name}}, {{locale}} and {{unsubscribe_url}}', () => {
    // Prepare
    const template = '{{city}} {{attributes.city}} {{name}} {{locale}} {{unsubscribe_url}}';

    // Act
    const problem = templateProblem(template);

    // Assess
    expect(problem).toBeUndefined();
  });
});

describe('emptyPlaceholders', () => {
  it('lists the placeholders a contact has no value for, once each, across texts', () => {
    // Prepare
    const values = contactValues({ ...contact, name: undefined, attributes: { city: 'Tehran', note: '' } });

    // Act
    const empty = emptyPlaceholders(
      ['Hi {{name}} in {{city}}', '{{attributes.points}} {{note}} {{name}}'],
      values,
    );

    // Assess
    expect(empty).toEqual(['name', 'attributes.points', 'note']);
  });
});
