import { channelName, directionOf, formatDate, formatNumber, MESSAGES, topicName } from '../domain/i18n';
import { renderTemplate, type TemplateValues } from '../domain/placeholders';
import { ALL_TOPICS, type Locale } from '../domain/types';
import type { TemplateSource } from '../ports';
import type { ConsentChoice, Preferences, TopicPreference } from './unsubscribe';

type Text = (typeof MESSAGES)[Locale];

/** Fills the page frame (templates/page.html) in the reader's language and direction. */
function page(templates: TemplateSource, locale: Locale, title: string, content: string): string {
  const frame = renderTemplate(
    templates('page.html'),
    { lang: locale, dir: directionOf(locale), title },
    'html',
  );
  return frame.replace('<!--content-->', () => content);
}

/** Fills a template's placeholders (escaped) and its `<!--slot-->` comments with built markup. */
function fill(
  templates: TemplateSource,
  name: string,
  values: TemplateValues,
  slots: Record<string, string> = {},
): string {
  let markup = renderTemplate(templates(name), values, 'html');
  for (const [slot, content] of Object.entries(slots))
    markup = markup.replace(`<!--${slot}-->`, () => content);
  return markup;
}

/** What the page shows after a POST: the change it recorded. */
function noticeOf(text: Text, choice: ConsentChoice, names: TemplateValues): { title: string; body: string } {
  const all = choice.topic === ALL_TOPICS;
  if (choice.action === 'opt_out') {
    return { title: text.doneTitle, body: renderTemplate(all ? text.doneAll : text.doneTopic, names) };
  }
  return {
    title: text.resubscribedTitle,
    body: renderTemplate(all ? text.resubscribedAll : text.resubscribedTopic, names),
  };
}

export interface PreferenceCentreInput {
  readonly locale: Locale;
  /** Where the forms post: the link's own path. */
  readonly action: string;
  readonly preferences: Preferences;
  /** The change just recorded, when the page answers a POST. */
  readonly changed?: ConsentChoice;
}

/**
 * The preference centre: the link's topic with one button, every topic on the channel with
 * its state and a button to stop or restart it, and the all-topics switch. Plain forms that
 * post back to the link; a GET of this page changes nothing.
 */
export function preferenceCentrePage(templates: TemplateSource, input: PreferenceCentreInput): string {
  const { locale, action, preferences } = input;
  const text = MESSAGES[locale];
  const channel = channelName(preferences.channel, locale);
  const namesOf = (topic: string) => ({ topic: topicName(topic, locale), channel });
  const choice = (values: { text: string; change: string; topic: string; label: string; style: string }) =>
    fill(templates, 'preference-choice.page.html', {
      ...values,
      action,
      // The link's own confirm button is the simple unsubscribe; the ledger tells it apart.
      via: values.change === 'opt_out' && values.topic === preferences.linkTopic ? 'link' : 'centre',
    });

  const linkTopic = preferences.topics.find((topic) => topic.topic === preferences.linkTopic);
  const linkNames = namesOf(preferences.linkTopic);
  const linkSection = !linkTopic
    ? ''
    : linkTopic.receiving
      ? choice({
          text: renderTemplate(text.unsubscribeIntro, linkNames),
          change: 'opt_out',
          topic: linkTopic.topic,
          label: renderTemplate(text.confirmTopic, linkNames),
          style: '',
        })
      : choice({
          text: renderTemplate(text.linkTopicStopped, linkNames),
          change: 'resubscribe',
          topic: linkTopic.topic,
          label: renderTemplate(text.resubscribeTopic, linkNames),
          style: 'renew',
        });

  const rows = preferences.topics.map((topic) => topicRow(templates, locale, action, topic, channel));
  const everything = preferences.everything.receiving
    ? choice({
        text: renderTemplate(text.allHint, { channel }),
        change: 'opt_out',
        topic: ALL_TOPICS,
        label: renderTemplate(text.confirmAll, { channel }),
        style: 'secondary',
      })
    : choice({
        text: `${renderTemplate(text.allStopped, { channel })} ${renderTemplate(text.resubscribeAllHint, { channel })}`,
        change: 'resubscribe',
        topic: ALL_TOPICS,
        label: renderTemplate(text.resubscribeAll, { channel }),
        style: 'renew',
      });

  const notice = input.changed ? noticeOf(text, input.changed, namesOf(input.changed.topic)) : undefined;
  const receiving = preferences.topics.filter((topic) => topic.receiving).length;
  const content = fill(
    templates,
    'unsubscribe.page.html',
    {
      title: text.unsubscribeTitle,
      nothingChangesYet: text.nothingChangesYet,
      topicsHeading: renderTemplate(text.topicsHeading, { channel }),
      topicsSummary: renderTemplate(text.topicsSummary, {
        count: formatNumber(receiving, locale),
        total: formatNumber(preferences.topics.length, locale),
        channel,
      }),
      topicsHint: text.topicsHint,
      everythingHeading: renderTemplate(text.everythingHeading, { channel }),
    },
    {
      notice: notice ? fill(templates, 'preference-notice.page.html', notice) : '',
      'link-topic': linkSection,
      topics: rows.join('\n'),
      everything,
    },
  );
  return page(templates, locale, notice?.title ?? text.unsubscribeTitle, content);
}

function topicRow(
  templates: TemplateSource,
  locale: Locale,
  action: string,
  topic: TopicPreference,
  channel: string,
): string {
  const text = MESSAGES[locale];
  const names = { topic: topicName(topic.topic, locale), channel };
  const stopped = topic.since
    ? renderTemplate(text.stateStoppedSince, { date: formatDate(topic.since, locale) })
    : text.stateStopped;
  return fill(templates, 'preference-topic.page.html', {
    action,
    topic: topic.topic,
    name: names.topic,
    state: topic.receiving ? 'receiving' : 'stopped',
    stateText: topic.receiving ? text.stateReceiving : stopped,
    change: topic.receiving ? 'opt_out' : 'resubscribe',
    label: renderTemplate(topic.receiving ? text.optOutTopic : text.resubscribeTopic, names),
    style: topic.receiving ? 'secondary' : 'renew',
  });
}

/** The 400 page for a change the centre does not offer: nothing changed, and a way back. */
export function notOfferedPage(templates: TemplateSource, input: { locale: Locale; action: string }): string {
  const text = MESSAGES[input.locale];
  const content =
    fill(templates, 'message.page.html', { title: text.notOfferedTitle, body: text.notOfferedBody }) +
    fill(templates, 'preference-back.page.html', { href: input.action, label: text.backToPreferences });
  return page(templates, input.locale, text.notOfferedTitle, content);
}

/** A page in Persian first, then English: for answers given before the reader's language is known. */
function bilingualPage(templates: TemplateSource, key: 'invalid' | 'error'): string {
  const part = (locale: Locale) =>
    fill(templates, 'message.page.html', {
      title: MESSAGES[locale][`${key}Title`],
      body: MESSAGES[locale][`${key}Body`],
    });
  return page(
    templates,
    'fa',
    MESSAGES.fa[`${key}Title`],
    `${part('fa')}<div dir="ltr" lang="en">${part('en')}</div>`,
  );
}

/** The page for a forged, altered or dead link (4xx). */
export function invalidLinkPage(templates: TemplateSource): string {
  return bilingualPage(templates, 'invalid');
}

/** The page for a failure of ours (5xx): never says the link is at fault. */
export function errorPage(templates: TemplateSource): string {
  return bilingualPage(templates, 'error');
}
