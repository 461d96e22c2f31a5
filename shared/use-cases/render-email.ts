import { convert, type HtmlToTextOptions } from 'html-to-text';
import type { Campaign } from '../domain/campaign';
import { sanitiseHeaderField } from '../domain/header-field';
import { directionOf, MESSAGES, topicName } from '../domain/i18n';
import { contactValues, renderTemplate } from '../domain/placeholders';
import type { Contact } from '../domain/types';
import type { TemplateSource } from '../ports';

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
  return convert(html, TEXT_OPTIONS);
}

/**
 * Renders a campaign email for one contact: placeholders filled (HTML-escaped in the HTML
 * part), the marketer's body set in a right-to-left frame for fa, and a visible unsubscribe
 * link in both parts, whether or not the marketer placed {{unsubscribe_url}} themselves.
 */
export function renderCampaignEmail(
  campaign: Campaign,
  contact: Contact,
  unsubscribeUrl: string,
  templates: TemplateSource,
): RenderedEmail {
  const email = campaign.email;
  if (!email) throw new Error(`Campaign ${campaign.id} has no email content`);
  const locale = contact.locale;
  const values = contactValues(contact, { unsubscribe_url: unsubscribeUrl });
  const dir = directionOf(locale);
  const frame = { lang: locale, dir, align: dir === 'rtl' ? 'right' : 'left' };
  const messages = MESSAGES[locale];
  const footerValues = {
    ...frame,
    unsubscribeUrl,
    footer: renderTemplate(messages.footer, { topic: topicName(campaign.topic, locale) }),
    footerLink: messages.footerLink,
  };
  const footer = renderTemplate(templates('footer.email.html'), footerValues, 'html');
  const body = renderTemplate(email.html, values, 'html');
  const html = /<\/body>/i.test(body)
    ? body.replace(/<\/body>/i, `${footer}</body>`)
    : renderTemplate(templates('campaign.email.html'), frame, 'html')
        .replace(CONTENT, () => body)
        .replace(FOOTER, () => footer);
  const text = renderTemplate(email.text ?? htmlToText(email.html), values);
  return {
    // A contact's attribute must not add a header or reverse the subject it is shown in.
    subject: sanitiseHeaderField(renderTemplate(email.subject, values)),
    html,
    text: `${text}\n\n${footerValues.footer} ${messages.footerLink}: ${unsubscribeUrl}`,
  };
}
