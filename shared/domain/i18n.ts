import type { Channel, Locale } from './types';

/** Text direction of a locale: Persian reads right to left. */
export function directionOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'fa' ? 'rtl' : 'ltr';
}

/** Numbers as a reader of the locale writes them: ۱۲٬۳۴۵ in fa, 12,345 in en. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en-US').format(value);
}

/** A date in Tehran time: the Solar Hijri calendar in fa, the Gregorian one in en. */
export function formatDate(iso: string, locale: Locale): string {
  const tag = locale === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB';
  return new Intl.DateTimeFormat(tag, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Tehran',
  }).format(new Date(iso));
}

const TOPIC_NAMES: Record<Locale, Record<string, string>> = {
  fa: { newsletter: 'خبرنامه', events: 'رویدادها', promotions: 'پیشنهادهای ویژه', surveys: 'نظرسنجی‌ها' },
  en: { newsletter: 'newsletter', events: 'events', promotions: 'promotions', surveys: 'surveys' },
};

const CHANNEL_NAMES: Record<Locale, Record<Channel, string>> = {
  fa: { sms: 'پیامک', email: 'ایمیل' },
  en: { sms: 'SMS', email: 'email' },
};

export function topicName(topic: string, locale: Locale): string {
  // Own keys only: the slug `constructor` is a valid topic and must not name Object.prototype's member.
  return Object.hasOwn(TOPIC_NAMES[locale], topic) ? (TOPIC_NAMES[locale][topic] ?? topic) : topic;
}

export function channelName(channel: Channel, locale: Locale): string {
  return CHANNEL_NAMES[locale][channel];
}

/** Every user-facing string of the preference centre, its answer pages and the email footer. */
export const MESSAGES = {
  fa: {
    unsubscribeTitle: 'لغو اشتراک',
    unsubscribeIntro: 'با تأیید، دیگر {{topic}} را از طریق {{channel}} دریافت نمی‌کنید.',
    confirmTopic: 'لغو اشتراک {{topic}}',
    linkTopicStopped: 'شما هم‌اکنون {{topic}} را از طریق {{channel}} دریافت نمی‌کنید.',
    nothingChangesYet: 'تا دکمه‌ای را نزنید، چیزی تغییر نمی‌کند.',
    topicsHeading: 'موضوع‌های {{channel}}',
    topicsSummary: 'از {{total}} موضوع، {{count}} موضوع را از طریق {{channel}} دریافت می‌کنید.',
    topicsHint: 'دکمه‌ی هر موضوع فقط همان موضوع را متوقف یا دوباره فعال می‌کند.',
    stateReceiving: 'دریافت می‌کنید',
    stateStopped: 'دریافت نمی‌کنید',
    stateStoppedSince: 'از {{date}} دریافت نمی‌کنید',
    optOutTopic: 'توقف {{topic}}',
    resubscribeTopic: 'دریافت دوباره‌ی {{topic}}',
    everythingHeading: 'همه‌ی پیام‌های {{channel}}',
    allHint: 'با این دکمه هیچ پیام تبلیغاتی، در هیچ موضوعی، از طریق {{channel}} برایتان فرستاده نمی‌شود.',
    confirmAll: 'لغو همه‌ی پیام‌های {{channel}}',
    allStopped: 'همه‌ی پیام‌های تبلیغاتی {{channel}} برای شما متوقف است.',
    resubscribeAllHint:
      'با این دکمه همه‌ی موضوع‌ها، حتی آن‌هایی که یکی‌یکی متوقف کرده‌اید، دوباره از طریق {{channel}} فرستاده می‌شوند.',
    resubscribeAll: 'دریافت دوباره‌ی همه‌ی پیام‌های {{channel}}',
    doneTitle: 'اشتراک شما لغو شد',
    doneTopic: 'از این پس {{topic}} از طریق {{channel}} برای شما ارسال نمی‌شود.',
    doneAll: 'از این پس هیچ پیام تبلیغاتی از طریق {{channel}} برای شما ارسال نمی‌شود.',
    resubscribedTitle: 'اشتراک شما دوباره فعال شد',
    resubscribedTopic: 'از این پس دوباره {{topic}} را از طریق {{channel}} دریافت می‌کنید.',
    resubscribedAll: 'از این پس دوباره پیام‌های تبلیغاتی همه‌ی موضوع‌ها را از طریق {{channel}} دریافت می‌کنید.',
    notOfferedTitle: 'این گزینه در دسترس نیست',
    notOfferedBody: 'چیزی تغییر نکرد. لطفاً یکی از دکمه‌های صفحه‌ی تنظیمات را بزنید.',
    backToPreferences: 'بازگشت به تنظیمات اشتراک',
    invalidTitle: 'پیوند نامعتبر است',
    invalidBody:
      'این پیوند لغو اشتراک معتبر نیست یا دست‌کاری شده است. لطفاً از پیوند موجود در آخرین پیام استفاده کنید.',
    errorTitle: 'خطایی پیش آمد',
    errorBody: 'درخواست شما الان انجام نشد. لطفاً چند دقیقه‌ی دیگر دوباره تلاش کنید.',
    footer: 'این پیام را به دلیل عضویت در {{topic}} دریافت کرده‌اید.',
    footerLink: 'لغو اشتراک',
  },
  en: {
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeIntro: 'Once you confirm, you will no longer receive our {{topic}} by {{channel}}.',
    confirmTopic: 'Unsubscribe from {{topic}}',
    linkTopicStopped: 'You no longer receive our {{topic}} by {{channel}}.',
    nothingChangesYet: 'Nothing changes until you press a button.',
    topicsHeading: 'Topics by {{channel}}',
    topicsSummary: 'You receive {{count}} of {{total}} topics by {{channel}}.',
    topicsHint: "Each topic's button stops or restarts that topic only.",
    stateReceiving: 'You receive this',
    stateStopped: 'Stopped',
    stateStoppedSince: 'Stopped on {{date}}',
    optOutTopic: 'Stop {{topic}}',
    resubscribeTopic: 'Receive {{topic}} again',
    everythingHeading: 'Everything by {{channel}}',
    allHint: 'This stops every marketing message we send you by {{channel}}, whatever its topic.',
    confirmAll: 'Unsubscribe from all {{channel}} marketing',
    allStopped: 'Every marketing message by {{channel}} is stopped for you.',
    resubscribeAllHint:
      'This starts every topic by {{channel}} again, including the ones you stopped one by one.',
    resubscribeAll: 'Receive all {{channel}} marketing again',
    doneTitle: 'You are unsubscribed',
    doneTopic: 'We will no longer send you our {{topic}} by {{channel}}.',
    doneAll: 'We will no longer send you any marketing by {{channel}}.',
    resubscribedTitle: 'You are subscribed again',
    resubscribedTopic: 'We will send you our {{topic}} by {{channel}} again.',
    resubscribedAll: 'We will send you our marketing by {{channel}} again, on every topic.',
    notOfferedTitle: 'This choice is not available',
    notOfferedBody: 'Nothing was changed. Please use one of the buttons on your preferences page.',
    backToPreferences: 'Back to your preferences',
    invalidTitle: 'This link is not valid',
    invalidBody:
      'This unsubscribe link is not valid or has been altered. Please use the link in our latest message.',
    errorTitle: 'Something went wrong',
    errorBody: 'We could not complete your request just now. Please try again in a few minutes.',
    footer: 'You receive this because you subscribed to our {{topic}}.',
    footerLink: 'Unsubscribe',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof MESSAGES)['fa'];
