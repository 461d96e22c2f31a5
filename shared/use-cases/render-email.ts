import type { Campaign } from '../domain/campaign';
import { sanitiseHeaderField } from '../domain/header-field';
import { directionOf, MESSAGES, topicName } from '../domain/i18n';
import { contactValues, renderTemplate } from '../domain/placeholders';
import type { Contact } from '../domain/types';

/** Reads a template file by name (templates/<purpose>.<channel>.<ext>). */
export type TemplateSource = (name: string) => string;

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const CONTENT = '<!--content-->';
const FOOTER = '<!--footer-->';

/** Strips tags for the plain-text part when the marketer gave none. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
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
