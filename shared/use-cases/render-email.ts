import type { HtmlToTextOptions } from 'html-to-text';
import type { Campaign } from '../domain/campaign';
import { sanitiseHeaderField } from '../domain/header-field';
import { directionOf, MESSAGES, topicName } from '../domain/i18n';
import { contactValues, renderTemplate, type TemplateValues } from '../domain/placeholders';
import { contentFor, type EmailVariant } from '../domain/template';
import type { Contact, Locale } from '../domain/types';
import type { TemplateSource } from '../ports';
import { convertHtml } from './html-text';

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const CONTENT = '<!--content-->';
const FOOTER = '<!--footer-->';

// Links keep their address as `text [url]` (a text-only reader must still reach them), images
// and their alt text are left out, and headings keep their case: uppercasing means nothing in fa.
const TEXT_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
  ],
};

/** The plain-text part when the marketer gave none: the HTML as text, links and all. */
export function htmlToText(html: string): string {
  return convertHtml(html, TEXT_OPTIONS);
}

/**
 * Renders a campaign email for one contact: the variant of their locale when the campaign was
 * made from a template (else the inline content), then {@link renderEmail}.
 */
export function renderCampaignEmail(
  campaign: Campaign,
  contact: Contact,
  unsubscribeUrl: string,
  templates: TemplateSource,
): RenderedEmail {
  if (!campaign.email) throw new Error(`Campaign ${campaign.id} has no email content`);
  const { variant, locale } = contentFor<EmailVariant>(campaign.email, contact.locale);
  return renderEmail({ content: variant, locale, topic: campaign.topic, contact, unsubscribeUrl }, templates);
}

/** One email to render: its content, the language it is in, and for whom. */
export interface EmailRendering {
  readonly content: EmailVariant;
  /** The content's language: it sets the frame's `lang` and direction (fa right to left) and the footer's. */
  readonly locale: Locale;
  readonly topic: string;
  readonly contact: Contact;
  readonly unsubscribeUrl: string;
}

/**
 * Renders an email for one contact: placeholders filled (HTML-escaped in the HTML part), the
 * body set in the frame of its language (right to left for fa), a visible unsubscribe link in
 * both parts whether or not the marketer placed {{unsubscribe_url}} themselves, and the text
 * part generated from the HTML (links kept) when the content has none.
 */
export function renderEmail(rendering: EmailRendering, templates: TemplateSource): RenderedEmail {
  const { locale, unsubscribeUrl } = rendering;
  const values = contactValues(rendering.contact, { unsubscribe_url: unsubscribeUrl });
  const messages = MESSAGES[locale];
  const footerText = renderTemplate(messages.footer, { topic: topicName(rendering.topic, locale) });
  const footer = renderTemplate(
    templates('footer.email.html'),
    { ...frameOf(locale), unsubscribeUrl, footer: footerText, footerLink: messages.footerLink },
    'html',
  );
  const email = framedEmail(rendering.content, locale, values, templates, footer);
  return { ...email, text: `${email.text}\n\n${footerText} ${messages.footerLink}: ${unsubscribeUrl}` };
}

function frameOf(locale: Locale) {
  const dir = directionOf(locale);
  return { lang: locale, dir, align: dir === 'rtl' ? 'right' : 'left' };
}

/**
 * An email's content with `values` in its placeholders, set in the frame of its language (an
 * HTML that is a whole document keeps its own, `footer` before its `</body>`), the text part
 * generated from the HTML when there is none. No unsubscribe footer unless one is given: what
 * a service (transactional) email is made of.
 */
export function framedEmail(
  email: EmailVariant,
  locale: Locale,
  values: TemplateValues,
  templates: TemplateSource,
  footer = '',
): RenderedEmail {
  const body = renderTemplate(email.html, values, 'html');
  const html = /<\/body>/i.test(body)
    ? body.replace(/<\/body>/i, `${footer}</body>`)
    : renderTemplate(templates('campaign.email.html'), frameOf(locale), 'html')
        .replace(CONTENT, () => body)
        .replace(FOOTER, () => footer);
  return {
    // A contact's attribute must not add a header or reverse the subject it is shown in.
    subject: sanitiseHeaderField(renderTemplate(email.subject, values)),
    html,
    text: renderTemplate(email.text ?? htmlToText(email.html), values),
  };
}
