import * as z from 'zod/mini';
import { CONTACT_ID, TOPIC } from '../domain/campaign';
import { ValidationError } from '../domain/errors';
import {
  contactValues,
  emptyPlaceholders,
  renderTemplate,
  type TemplateValues,
} from '../domain/placeholders';
import { analyseSms, type SmsAnalysis } from '../domain/sms-segments';
import { SAMPLE_LINK_CODE, type SmsLayout } from '../domain/sms-text';
import type { EmailVariant, SmsVariant, Template } from '../domain/template';
import { type Contact, LOCALES, type Locale } from '../domain/types';
import { parseWith } from '../domain/validation';
import type { ContactStore, TemplateSource, TemplateStore } from '../ports';
import { framedEmail, type RenderedEmail, renderEmail } from './render-email';
import { renderSms } from './send-sms';
import { resolveTemplate, templateVariant } from './templates';

const attributeValue = z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]);

/** `POST /v1/templates/{id}/render`: for whom, in which language, of which version. */
export const renderRequestSchema = z
  .strictObject({
    contactId: z.optional(
      z.string().check(z.regex(CONTACT_ID, 'must be 1-128 letters, digits or . _ : @ + -')),
    ),
    sample: z.optional(
      z.strictObject({
        name: z.optional(z.string().check(z.maxLength(200))),
        locale: z.optional(z.enum(LOCALES)),
        attributes: z.optional(z.record(z.string().check(z.minLength(1), z.maxLength(100)), attributeValue)),
      }),
    ),
    /** The variant to render; by default the contact's (or the sample's) locale. */
    locale: z.optional(z.enum(LOCALES)),
    version: z.optional(z.number().check(z.int(), z.minimum(1))),
    /** The topic the email footer names; default newsletter. */
    topic: z.optional(z.string().check(z.regex(TOPIC, 'must be a lower-case slug such as newsletter'))),
  })
  .check(
    z.refine((body) => !(body.contactId !== undefined && body.sample !== undefined), {
      message: 'give contactId or sample, not both',
      path: ['sample'],
    }),
  );

export interface RenderWarning {
  readonly placeholder: string;
  readonly message: string;
}

interface RenderedBase {
  readonly templateId: string;
  readonly version: number;
  /** The variant's language (the requested one, or the other when it is missing). */
  readonly locale: Locale;
  /** Placeholders that rendered empty: fields this contact lacks. */
  readonly warnings: readonly RenderWarning[];
}

export type RenderedTemplate =
  | (RenderedBase & { readonly channel: 'sms'; readonly sms: SmsAnalysis & { readonly text: string } })
  | (RenderedBase & { readonly channel: 'email'; readonly email: RenderedEmail });

export interface RenderDeps {
  readonly templates: TemplateStore;
  readonly contacts: Pick<ContactStore, 'get'>;
  readonly smsLayout: SmsLayout;
  /** The files of templates/ (the email frame and footer). */
  readonly files: TemplateSource;
  readonly publicBaseUrl: string;
}

const SAMPLE_CONTACT: Contact = {
  id: 'sample',
  ref: 'sample',
  locale: 'fa',
  attributes: {},
  createdAt: '1970-01-01T00:00:00.000Z',
  updatedAt: '1970-01-01T00:00:00.000Z',
};

/**
 * A template's final message exactly as a recipient of a campaign would get it, through the
 * senders' own rendering: an SMS with the unsubscribe link and the opt-out keyword (a sample
 * code of the real length: each recipient's own is minted when it is sent), its encoding and
 * segments; an email's subject, HTML (the frame of its language, the footer) and text part
 * (an unsubscribe address standing for the signed one each email gets).
 */
export async function renderTemplateFor(
  deps: RenderDeps,
  id: string,
  body: unknown,
): Promise<RenderedTemplate> {
  const request = parseWith(renderRequestSchema, body ?? {}, 'render request');
  const template = await resolveTemplate(deps.templates, id, request.version);
  const contact = await contactFor(deps, request);
  const wanted = request.locale ?? contact.locale;
  const { variant, locale } = templateVariant(template, wanted);
  const base = { templateId: template.id, version: template.version, locale };
  if (template.channel === 'sms') {
    const text = renderSms(deps.smsLayout, (variant as SmsVariant).text, contact, SAMPLE_LINK_CODE);
    const warnings = warningsFor([(variant as SmsVariant).text], contactValues(contact));
    return { ...base, channel: 'sms', sms: { text, ...analyseSms(text) }, warnings };
  }
  const content = variant as EmailVariant;
  const unsubscribeUrl = `${deps.publicBaseUrl.replace(/\/+$/, '')}/u/preview`;
  const email = renderEmail(
    { content, locale, topic: request.topic ?? 'newsletter', contact, unsubscribeUrl },
    deps.files,
  );
  const texts = [content.subject, content.html, ...(content.text === undefined ? [] : [content.text])];
  const warnings = warningsFor(texts, contactValues(contact, { unsubscribe_url: unsubscribeUrl }));
  return { ...base, channel: 'email', email, warnings };
}

async function contactFor(
  deps: Pick<RenderDeps, 'contacts'>,
  request: z.infer<typeof renderRequestSchema>,
): Promise<Contact> {
  if (request.contactId !== undefined) {
    const contact = await deps.contacts.get(request.contactId);
    if (!contact) {
      throw new ValidationError('Invalid render request: contactId names no contact', [
        { field: 'contactId', message: 'names no contact' },
      ]);
    }
    return contact;
  }
  const sample = request.sample ?? {};
  return {
    ...SAMPLE_CONTACT,
    locale: sample.locale ?? request.locale ?? 'fa',
    attributes: sample.attributes ?? {},
    ...(sample.name === undefined ? {} : { name: sample.name }),
  };
}

function warningsFor(texts: readonly string[], values: TemplateValues): RenderWarning[] {
  return emptyPlaceholders(texts, values).map((placeholder) => ({
    placeholder,
    message: `{{${placeholder}}} rendered empty: this contact has no such field`,
  }));
}

/** What a template renders to with `data`: an SMS text, or an email with its three parts. */
export type RenderedVariant =
  | { readonly channel: 'sms'; readonly locale: Locale; readonly sms: { readonly text: string } }
  | { readonly channel: 'email'; readonly locale: Locale; readonly email: RenderedEmail };

/**
 * Renders a template's variant for `locale` (or the other) with `data` in its placeholders, and
 * nothing added: no link, no opt-out keyword, no unsubscribe footer (what a transactional
 * message is). An email is set in the frame of its language and gets a text part generated from
 * its HTML when it has none. `files` is needed for email (the frame in templates/).
 */
export function renderTemplateVariant(
  template: Template,
  locale: Locale,
  data: TemplateValues,
  files?: TemplateSource,
): RenderedVariant {
  const chosen = templateVariant(template, locale);
  if (template.channel === 'sms') {
    return {
      channel: 'sms',
      locale: chosen.locale,
      sms: { text: renderTemplate((chosen.variant as SmsVariant).text, data) },
    };
  }
  if (!files) throw new Error('Rendering an email template needs the templates/ files');
  return {
    channel: 'email',
    locale: chosen.locale,
    email: framedEmail(chosen.variant as EmailVariant, chosen.locale, data, files),
  };
}
