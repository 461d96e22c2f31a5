import { channelName, directionOf, MESSAGES, topicName } from '../domain/i18n';
import { renderTemplate } from '../domain/placeholders';
import type { Channel, Locale } from '../domain/types';
import type { TemplateSource } from './render-email';

/** Fills the page frame (templates/page.html) in the reader's language and direction. */
function page(templates: TemplateSource, locale: Locale, title: string, content: string): string {
  const frame = renderTemplate(
    templates('page.html'),
    { lang: locale, dir: directionOf(locale), title },
    'html',
  );
  return frame.replace('<!--content-->', () => content);
}

/** The confirm page a GET shows; it changes nothing. */
export function confirmPage(
  templates: TemplateSource,
  input: { locale: Locale; channel: Channel; topic: string; action: string },
): string {
  const text = MESSAGES[input.locale];
  const names = {
    topic: topicName(input.topic, input.locale),
    channel: channelName(input.channel, input.locale),
  };
  const content = renderTemplate(
    templates('unsubscribe.page.html'),
    {
      title: text.unsubscribeTitle,
      intro: renderTemplate(text.unsubscribeIntro, names),
      allHint: renderTemplate(text.unsubscribeAllHint, names),
      confirmTopic: renderTemplate(text.confirmTopic, names),
      confirmAll: renderTemplate(text.confirmAll, names),
      action: input.action,
    },
    'html',
  );
  return page(templates, input.locale, text.unsubscribeTitle, content);
}

/** The page after the opt-out is recorded. */
export function donePage(
  templates: TemplateSource,
  input: { locale: Locale; channel: Channel; topic: string; scope: 'topic' | 'all' },
): string {
  const text = MESSAGES[input.locale];
  const names = {
    topic: topicName(input.topic, input.locale),
    channel: channelName(input.channel, input.locale),
  };
  const body = renderTemplate(input.scope === 'all' ? text.doneAll : text.doneTopic, names);
  const content = renderTemplate(templates('message.page.html'), { title: text.doneTitle, body }, 'html');
  return page(templates, input.locale, text.doneTitle, content);
}

/** The page for a forged, altered or dead link; in Persian first, then English. */
export function invalidLinkPage(templates: TemplateSource): string {
  const fa = renderTemplate(
    templates('message.page.html'),
    { title: MESSAGES.fa.invalidTitle, body: MESSAGES.fa.invalidBody },
    'html',
  );
  const en = renderTemplate(
    templates('message.page.html'),
    { title: MESSAGES.en.invalidTitle, body: MESSAGES.en.invalidBody },
    'html',
  );
  return page(templates, 'fa', MESSAGES.fa.invalidTitle, `${fa}<div dir="ltr" lang="en">${en}</div>`);
}
