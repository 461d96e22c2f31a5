import * as z from 'zod/mini';
import { MAX_CAMPAIGN_BYTES, smsTemplate, template } from './campaign';
import { schema } from './mini-validation';
import { contactValues, emptyPlaceholders } from './placeholders';
import { type Channel, type Contact, LOCALES, type Locale } from './types';
import { parseWith } from './validation';
import './zod-english';

/**
 * Reusable content in Persian and English. A template has one channel; each locale's variant is
 * the content a campaign would carry inline: `{text}` for SMS, `{subject, html, text?}` for
 * email. Every PUT writes a new version; old versions stay readable by (id, version), and a
 * campaign keeps a copy of the version it was created with.
 */

export interface SmsVariant {
  readonly text: string;
}

export interface EmailVariant {
  readonly subject: string;
  readonly html: string;
  /** The plain-text part; generated from the HTML (links kept) when absent. */
  readonly text?: string;
}

export type TemplateVariant = SmsVariant | EmailVariant;

export type TemplateChannel = 'sms' | 'email';

export type Variants<V> = Readonly<Partial<Record<Locale, V>>>;

interface TemplateBase {
  readonly id: string;
  readonly name: string;
  /** 1 at creation, one more for each PUT. */
  readonly version: number;
  readonly createdAt: string;
  /** When this version was written. */
  readonly updatedAt: string;
}

export type SmsTemplate = TemplateBase & { readonly channel: 'sms'; readonly variants: Variants<SmsVariant> };
export type EmailTemplate = TemplateBase & {
  readonly channel: 'email';
  readonly variants: Variants<EmailVariant>;
};
export type Template = SmsTemplate | EmailTemplate;

/** A template as listings show it: no content, the locales it has. */
export type TemplateSummary = Omit<Template, 'variants'> & { readonly locales: readonly Locale[] };

/** Template ids are ULIDs, as campaign, list and segment ids. */
export const TEMPLATE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Versions a template may reach: a bound on what one id can hold. */
export const MAX_TEMPLATE_VERSION = 10_000;

const smsVariantSchema = /* @__PURE__ */ schema(() => z.strictObject({ text: smsTemplate }));
const emailVariantSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    subject: template(200),
    html: template(500_000),
    text: z.optional(template(500_000)),
  }),
);

const variantsOf = <T extends z.ZodMiniType>(variant: T) =>
  z.strictObject({ fa: z.optional(variant), en: z.optional(variant) });

const name = /* @__PURE__ */ schema(() =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)),
);

const smsTemplateInput = /* @__PURE__ */ schema(() =>
  z.strictObject({
    name,
    channel: z.literal('sms'),
    variants: variantsOf(smsVariantSchema),
  }),
);
const emailTemplateInput = /* @__PURE__ */ schema(() =>
  z.strictObject({
    name,
    channel: z.literal('email'),
    variants: variantsOf(emailVariantSchema),
  }),
);

/**
 * `POST /v1/templates` and `PUT /v1/templates/{id}`: a name, a channel and at least one variant,
 * each variant under the same limits as a campaign's inline content (SMS at most 778 characters
 * as SMS count them; placeholders well formed and naming contact fields), and the whole within
 * what a campaign item can hold, since a campaign keeps a copy.
 */
export const templateInputSchema = /* @__PURE__ */ schema(() =>
  z
    .discriminatedUnion('channel', [smsTemplateInput, emailTemplateInput], {
      error: (issue) => (issue.code === 'invalid_union' ? 'must be sms or email' : undefined),
    })
    .check(
      z.superRefine((input, ctx) => {
        const variants: Variants<TemplateVariant> = input.variants;
        if (!LOCALES.some((locale) => variants[locale] !== undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['variants'],
            message: 'must hold a fa or an en variant (or both)',
          });
        }
        const bytes = new TextEncoder().encode(JSON.stringify(input)).length;
        if (bytes > MAX_CAMPAIGN_BYTES) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message: `template is ${Math.ceil(bytes / 1024)} KB; its texts may take at most ${MAX_CAMPAIGN_BYTES / 1000} KB`,
          });
        }
      }),
    ),
);

export type TemplateInput = z.infer<typeof templateInputSchema>;

/** A template body, or a ValidationError naming each field that is wrong. */
export function parseTemplateInput(body: unknown): TemplateInput {
  return parseWith(templateInputSchema, body, 'template');
}

/** The copy of a template a campaign keeps: the version it was created with, every variant. */
export interface TemplateUse<V> {
  readonly id: string;
  readonly version: number;
  readonly variants: Variants<V>;
}

/** The locales a template has a variant for, fa first. */
export function templateLocales(variants: Variants<TemplateVariant>): Locale[] {
  return LOCALES.filter((locale) => variants[locale] !== undefined);
}

/** A template without its content, as listings show it. */
export function templateSummary(template: Template): TemplateSummary {
  const { variants, ...summary } = template;
  return { ...summary, locales: templateLocales(variants) };
}

/**
 * The variant a recipient of `locale` gets: theirs, else the other one. Returns the locale of the
 * variant chosen too, since it sets the layout's language and direction (fa right to left).
 */
export function pickVariant<V>(variants: Variants<V>, locale: Locale): { variant: V; locale: Locale } {
  const own = variants[locale];
  if (own !== undefined) return { variant: own, locale };
  for (const other of LOCALES) {
    const variant = variants[other];
    if (variant !== undefined) return { variant, locale: other };
  }
  throw new Error('A template has at least one variant');
}

/**
 * What a recipient of `locale` gets of a campaign's content: the variant of their locale (or the
 * other) when the campaign was made from a template, else the inline content. `locale` is the
 * content's language when it is known (a template's variant), for the layout's direction.
 */
export function contentFor<V>(
  content: V & { readonly template?: TemplateUse<V> },
  locale: Locale,
): { variant: V; locale: Locale } {
  if (!content.template) return { variant: content, locale };
  return pickVariant(content.template.variants, locale);
}

/** A placeholder that renders empty for some of an audience, as a preview warns of it. */
export interface EmptyPlaceholderWarning {
  readonly code: 'empty_placeholder';
  readonly channel: Channel;
  readonly placeholder: string;
  /** Contacts with an address on the channel whose message has it empty. */
  readonly contacts: number;
  readonly message: string;
}

type CampaignTexts = {
  readonly sms?: SmsVariant & { readonly template?: TemplateUse<SmsVariant> };
  readonly email?: EmailVariant & { readonly template?: TemplateUse<EmailVariant> };
};

/**
 * Counts, over the contacts of an audience, the placeholders each one's own message (their
 * locale's variant) leaves empty: a field the contact lacks. Fed page by page; `unsubscribe_url`
 * is always filled in an email.
 */
export function emptyPlaceholderCounter(content: CampaignTexts) {
  const counts = new Map<string, { channel: Channel; placeholder: string; contacts: number }>();
  const count = (channel: Channel, contact: Contact, texts: readonly string[], extra = {}) => {
    for (const placeholder of emptyPlaceholders(texts, contactValues(contact, extra))) {
      const key = `${channel}:${placeholder}`;
      const entry = counts.get(key) ?? { channel, placeholder, contacts: 0 };
      entry.contacts += 1;
      counts.set(key, entry);
    }
  };
  return {
    add(contacts: readonly Contact[]): void {
      for (const contact of contacts) {
        if (content.sms && contact.phone)
          count('sms', contact, [contentFor(content.sms, contact.locale).variant.text]);
        if (content.email && contact.email) {
          const { variant } = contentFor<EmailVariant>(content.email, contact.locale);
          const texts = [
            variant.subject,
            variant.html,
            ...(variant.text === undefined ? [] : [variant.text]),
          ];
          count('email', contact, texts, { unsubscribe_url: 'x' });
        }
      }
    },
    warnings(): EmptyPlaceholderWarning[] {
      return [...counts.values()].map((entry) => ({
        code: 'empty_placeholder',
        ...entry,
        message: `{{${entry.placeholder}}} renders empty in the ${entry.channel} of ${entry.contacts} contact(s): they have no such field`,
      }));
    },
  };
}
