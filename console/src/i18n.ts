/**
 * The console's two languages. Persian first: fa is the default, right to left, with Persian
 * digits and the Persian (Jalali) calendar; en is left to right with the Gregorian calendar.
 * Times are Tehran's in both. Everything goes through Intl: no date library.
 */

import { en, type MessageKey } from './messages/en';
import { fa } from './messages/fa';

export type Locale = 'fa' | 'en';
export type { MessageKey };

const catalogs: Record<Locale, Record<MessageKey, string>> = { fa, en };

export const TEHRAN = 'Asia/Tehran';

/** A locale's words and formats. */
export interface Words {
  readonly locale: Locale;
  readonly dir: 'rtl' | 'ltr';
  /** The message `key`, `{name}` placeholders filled from `params` (numbers formatted). */
  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(value: number): string;
  /** Date and time in Tehran: Jalali in fa, Gregorian in en. */
  dateTime(iso: string | number | Date): string;
  date(iso: string | number | Date): string;
  time(iso: string | number | Date): string;
}

/** The words of `locale`. */
export function wordsFor(locale: Locale): Words {
  const tag = locale === 'fa' ? 'fa-IR-u-ca-persian-nu-arabext' : 'en-GB-u-ca-gregory';
  const numbers = new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en-US');
  const percents = new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 1,
  });
  const dateTimes = new Intl.DateTimeFormat(tag, {
    timeZone: TEHRAN,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const dates = new Intl.DateTimeFormat(tag, { timeZone: TEHRAN, dateStyle: 'medium' });
  const times = new Intl.DateTimeFormat(tag, { timeZone: TEHRAN, hour: '2-digit', minute: '2-digit' });
  const catalog = catalogs[locale];
  return {
    locale,
    dir: locale === 'fa' ? 'rtl' : 'ltr',
    t(key, params) {
      const text = catalog[key] ?? key;
      if (!params) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        if (value === undefined) return whole;
        return typeof value === 'number' ? numbers.format(value) : value;
      });
    },
    number: (value, options) =>
      options
        ? new Intl.NumberFormat(locale === 'fa' ? 'fa-IR' : 'en-US', options).format(value)
        : numbers.format(value),
    percent: (value) => percents.format(value),
    dateTime: (iso) => dateTimes.format(new Date(iso)),
    date: (iso) => dates.format(new Date(iso)),
    time: (iso) => times.format(new Date(iso)),
  };
}

/** Persian and Arabic-Indic digits read as Latin (for inputs typed on a Persian keyboard). */
export function latinDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}
