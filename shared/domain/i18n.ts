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

/** Every user-facing string of the unsubscribe pages and email footer. */
export const MESSAGES = {
  fa: {
    unsubscribeTitle: 'لغو اشتراک',
    unsubscribeIntro: 'با تأیید، دیگر {{topic}} را از طریق {{channel}} دریافت نمی‌کنید.',
    unsubscribeAllHint: 'یا می‌توانید همه‌ی پیام‌های تبلیغاتی {{channel}} را لغو کنید.',
    confirmTopic: 'لغو اشتراک {{topic}}',
    confirmAll: 'لغو همه‌ی پیام‌های {{channel}}',
    doneTitle: 'اشتراک شما لغو شد',
    doneTopic: 'از این پس {{topic}} از طریق {{channel}} برای شما ارسال نمی‌شود.',
    doneAll: 'از این پس هیچ پیام تبلیغاتی از طریق {{channel}} برای شما ارسال نمی‌شود.',
    invalidTitle: 'پیوند نامعتبر است',
    invalidBody:
      'این پیوند لغو اشتراک معتبر نیست یا دست‌کاری شده است. لطفاً از پیوند موجود در آخرین پیام استفاده کنید.',
    footer: 'این پیام را به دلیل عضویت در {{topic}} دریافت کرده‌اید.',
    footerLink: 'لغو اشتراک',
  },
  en: {
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeIntro: 'Once you confirm, you will no longer receive our {{topic}} by {{channel}}.',
    unsubscribeAllHint: 'Or you can stop every marketing message we send by {{channel}}.',
    confirmTopic: 'Unsubscribe from {{topic}}',
    confirmAll: 'Unsubscribe from all {{channel}} marketing',
    doneTitle: 'You are unsubscribed',
    doneTopic: 'We will no longer send you our {{topic}} by {{channel}}.',
    doneAll: 'We will no longer send you any marketing by {{channel}}.',
    invalidTitle: 'This link is not valid',
    invalidBody:
      'This unsubscribe link is not valid or has been altered. Please use the link in our latest message.',
    footer: 'You receive this because you subscribed to our {{topic}}.',
    footerLink: 'Unsubscribe',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof MESSAGES)['fa'];
