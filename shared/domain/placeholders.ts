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
  return undefined;
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

/** Fills placeholders; in `html` mode every value is HTML-escaped. */
export function renderTemplate(
  template: string,
  values: TemplateValues,
  mode: 'text' | 'html' = 'text',
): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    // Own keys only: `{{constructor}}` must not render Object.prototype's members.
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return '';
    const text = String(value);
    return mode === 'html' ? escapeHtml(text) : text;
  });
}
