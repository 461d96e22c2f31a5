import { describe, expect, it } from 'vitest';
import {
  channelName,
  directionOf,
  formatDate,
  formatNumber,
  MESSAGES,
  topicName,
} from '../../../shared/domain/i18n';
import { placeholdersIn, templateProblem } from '../../../shared/domain/placeholders';
import { CHANNELS, DEFAULT_TOPICS, LOCALES } from '../../../shared/domain/types';

describe('directionOf', () => {
  it('reads Persian right to left and English left to right', () => {
    // Prepare, Act
    const directions = LOCALES.map(directionOf);

    // Assess
    expect(directions).toEqual(['rtl', 'ltr']);
  });
});

describe('formatNumber', () => {
  it('writes Persian digits and separators in fa, Latin ones in en', () => {
    // Prepare
    const value = 12345;

    // Act
    const fa = formatNumber(value, 'fa');
    const en = formatNumber(value, 'en');

    // Assess
    expect(fa).toBe('۱۲٬۳۴۵');
    expect(en).toBe('12,345');
  });
});

describe('formatDate', () => {
  it('gives Nowruz 1404 in the Solar Hijri calendar, Tehran time, in fa', () => {
    // Prepare: 08:30 UTC is 12:00 in Tehran (UTC+03:30)
    const iso = '2025-03-21T08:30:00Z';

    // Act
    const formatted = formatDate(iso, 'fa');

    // Assess
    expect(formatted).toContain('فروردین');
    expect(formatted).toContain('۱۴۰۴');
    expect(formatted).toContain('۱۲:۰۰');
  });

  it('gives the Gregorian date in Tehran time in en', () => {
    // Prepare: 21:00 UTC is already the next day in Tehran
    const iso = '2025-03-20T21:00:00Z';

    // Act
    const formatted = formatDate(iso, 'en');

    // Assess
    expect(formatted).toContain('21 March 2025');
    expect(formatted).toContain('00:30');
  });
});

describe('topicName and channelName', () => {
  it('names every default topic and channel in both locales', () => {
    // Prepare, Act
    const names = LOCALES.flatMap((locale) => [
      ...DEFAULT_TOPICS.map((topic) => topicName(topic, locale)),
      ...CHANNELS.map((channel) => channelName(channel, locale)),
    ]);

    // Assess
    expect(topicName('newsletter', 'fa')).toBe('خبرنامه');
    expect(channelName('sms', 'fa')).toBe('پیامک');
    for (const name of names) expect(name).not.toBe('');
  });

  it('falls back to the slug for a topic it does not know', () => {
    // Prepare
    const topic = 'yalda-night';

    // Act
    const names = LOCALES.map((locale) => topicName(topic, locale));

    // Assess
    expect(names).toEqual(['yalda-night', 'yalda-night']);
  });

  it('does not name a topic after a member of Object.prototype', () => {
    // Prepare
    const topic = 'constructor';

    // Act
    const names = LOCALES.map((locale) => topicName(topic, locale));

    // Assess
    expect(names).toEqual(['constructor', 'constructor']);
  });
});

describe('MESSAGES', () => {
  it('has the same keys in every locale', () => {
    // Prepare, Act
    const keys = LOCALES.map((locale) => Object.keys(MESSAGES[locale]).sort());

    // Assess
    expect(keys[1]).toEqual(keys[0]);
  });

  it('uses well-formed placeholders, the same ones in every locale', () => {
    // Prepare
    const keys = Object.keys(MESSAGES.fa) as (keyof typeof MESSAGES.fa)[];

    // Act
    const problems = LOCALES.flatMap((locale) =>
      keys.flatMap((key) => {
        const problem = templateProblem(MESSAGES[locale][key]);
        return problem ? [`${locale}.${key} ${problem}`] : [];
      }),
    );
    const mismatched = keys.filter(
      (key) =>
        JSON.stringify(placeholdersIn(MESSAGES.fa[key]).sort()) !==
        JSON.stringify(placeholdersIn(MESSAGES.en[key]).sort()),
    );

    // Assess
    expect(problems).toEqual([]);
    expect(mismatched).toEqual([]);
  });

  it('writes no Latin digits in Persian text: numbers come in through formatNumber', () => {
    // Prepare, Act
    const withLatinDigits = Object.entries(MESSAGES.fa).filter(([, text]) => /[0-9]/.test(text));

    // Assess
    expect(withLatinDigits).toEqual([]);
  });
});
