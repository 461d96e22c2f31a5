import type { AttributeValue, Contact } from './types';

/**
 * `{{name}}`-style placeholders in campaign texts. A placeholder names a contact field
 * (name, locale), an attribute (`{{attributes.city}}` or just `{{city}}`), or a value
 * Chapar supplies at send time (`{{unsubscribe_url}}`). A missing value renders empty.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?)\s*\}\}/g;
const ANY_BRACES = /\{\{|\}\}/g;

export type TemplateValues = Readonly<Record<string, AttributeValue | undefined>>;

/** The names a template uses, in order of first appearance. */
export function placeholdersIn(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) if (match[1]) names.add(match[1]);
  return [...names];
}

/** Why a template cannot be rendered, or undefined when it is well formed. */
export function templateProblem(template: string): string | undefined {
  const wellFormed = template.replace(PLACEHOLDER, '');
  if (ANY_BRACES.test(wellFormed)) {
    ANY_BRACES.lastIndex = 0;
    return 'has a malformed placeholder: use {{field}}, e.g. {{name}}';
  }
  const unknown = placeholdersIn(template).find((name) => !isContactField(name));
  if (unknown) {
    return `has {{${unknown}}}, which is not a contact field: use {{name}}, {{locale}}, {{attributes.<key>}} or {{<key>}}`;
  }
  return undefined;
}

/**
 * Whether a well-formed placeholder names something a contact can have: a bare name is a
 * built-in (name, locale, unsubscribe_url) or an attribute (`{{city}}` = `{{attributes.city}}`,
 * attributes being anything), and a dotted one must be `attributes.<key>`: `{{contact.name}}`
 * or `{{user.city}}` name nothing and would render empty for everyone.
 */
export function isContactField(name: string): boolean {
  const dot = name.indexOf('.');
  return dot === -1 || name.slice(0, dot) === 'attributes';
}

/**
 * The placeholders of `templates` that render empty with `values` (a field the contact lacks),
 * in order of first appearance: what a preview or a render warns about.
 */
export function emptyPlaceholders(templates: readonly string[], values: TemplateValues): string[] {
  const names = new Set(templates.flatMap(placeholdersIn));
  return [...names].filter((name) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value === undefined || String(value) === '';
  });
}

/** The values a contact offers to templates. */
export function contactValues(contact: Contact, extra: TemplateValues = {}): TemplateValues {
  const values: Record<string, AttributeValue | undefined> = {};
  for (const [key, value] of Object.entries(contact.attributes)) {
    values[key] = value;
    values[`attributes.${key}`] = value;
  }
  values.name = contact.name;
  values.locale = contact.locale;
  return { ...values, ...extra };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Attributes whose value is a URL a click or a load follows. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'background',
  'poster',
  'cite',
  'longdesc',
  'usemap',
  'xlink:href',
  'data',
  'srcset',
]);

/**
 * Whether a value may begin a URL attribute: an http(s) URL, or a same-site path, query or
 * fragment (the pages link to their own forms). Browsers ignore controls and spaces inside a
 * scheme (`java\tscript:` runs), so they are dropped before looking.
 */
function isSafeUrl(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers drop these in URLs, so must we
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return /^https?:\/\/[^/\\]/i.test(compact) || /^\/(?![/\\])/.test(compact) || /^[?#]/.test(compact);
}

/** What an unquoted attribute value may not hold: each becomes a character reference. */
const UNQUOTED_UNSAFE = /[\s"'<>&=`]/g;

type HtmlState =
  | { readonly in: 'text' | 'comment' | 'tag' }
  | { readonly in: 'value'; readonly attribute: string; readonly quote: string; readonly start: boolean };

/**
 * Where the HTML before a placeholder leaves it: in text, a comment, a tag (between
 * attributes), or an attribute value (which attribute, how quoted, whether at its start).
 * A small scanner of the template, not a parser: enough to pick the right escaping.
 */
function advance(state: HtmlState, html: string, placeholderFollows: boolean): HtmlState {
  let current = state;
  let attribute = '';
  for (let i = 0; i < html.length; i++) {
    const char = html.charAt(i);
    switch (current.in) {
      case 'text':
        if (html.startsWith('<!--', i)) {
          current = { in: 'comment' };
          i += 3;
        } else if (char === '<') {
          const next = html.charAt(i + 1);
          const opensTag = /[A-Za-z/!?]/.test(next) || (next === '' && placeholderFollows);
          if (opensTag) current = { in: 'tag' };
        }
        break;
      case 'comment':
        if (html.startsWith('-->', i)) {
          current = { in: 'text' };
          i += 2;
        }
        break;
      case 'tag':
        if (char === '>') current = { in: 'text' };
        else if (char === '=') {
          let j = i + 1;
          while (/\s/.test(html.charAt(j))) j++;
          const quote = html.charAt(j) === '"' || html.charAt(j) === "'" ? html.charAt(j) : '';
          current = { in: 'value', attribute: attribute.toLowerCase(), quote, start: true };
          i = quote ? j : j - 1;
        } else if (/[\s/]/.test(char)) attribute = '';
        else attribute += char;
        break;
      case 'value':
        if (current.quote ? char === current.quote : /\s/.test(char)) {
          current = { in: 'tag' };
          attribute = '';
        } else if (!current.quote && char === '>') current = { in: 'text' };
        // Browsers trim a URL's leading spaces: ` javascript:` still starts the value.
        else if (current.start && !/\s/.test(char)) current = { ...current, start: false };
        break;
    }
  }
  // An attribute name cut off by the placeholder is forgotten: the next `=` starts anew.
  return current;
}

/** A value rendered where the HTML around it puts it. */
function htmlValue(state: HtmlState, text: string): string {
  switch (state.in) {
    case 'text':
    case 'comment':
      return escapeHtml(text);
    // Between attributes a value could only add attributes (`onload=...`): it is dropped.
    case 'tag':
      return '';
    case 'value': {
      const url = URL_ATTRIBUTES.has(state.attribute) && state.start && !isSafeUrl(text) ? '#' : text;
      return state.quote
        ? escapeHtml(url)
        : url.replace(UNQUOTED_UNSAFE, (char) => `&#${char.codePointAt(0)};`);
    }
  }
}

/**
 * Fills placeholders. In `html` mode each value is escaped for where it stands: text and
 * quoted attribute values are HTML-escaped; an unquoted attribute value also has its spaces,
 * quotes and `=` turned into references so it cannot add attributes; a value starting a URL
 * attribute (href, src, action …) that is not http(s) or a same-site path becomes `#` (so
 * `javascript:` never reaches a link); a value between a tag's attributes is dropped.
 */
export function renderTemplate(
  template: string,
  values: TemplateValues,
  mode: 'text' | 'html' = 'text',
): string {
  let state: HtmlState = { in: 'text' };
  let last = 0;
  return template.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    if (mode === 'html') {
      state = advance(state, template.slice(last, offset), true);
      last = offset + whole.length;
    }
    // Own keys only: `{{constructor}}` must not render Object.prototype's members.
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return '';
    const text = String(value);
    if (mode !== 'html') return text;
    const rendered = htmlValue(state, text);
    if (state.in === 'value' && rendered !== '') state = { ...state, start: false };
    return rendered;
  });
}
