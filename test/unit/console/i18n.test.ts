import { describe, expect, it } from 'vitest';
import { latinDigits, wordsFor } from '../../../console/src/i18n';
import { en } from '../../../console/src/messages/en';
import { fa } from '../../../console/src/messages/fa';

describe('the console words', () => {
  it('writes Persian digits and the Jalali date in Tehran time in fa', () => {
    const words = wordsFor('fa');
    expect(words.dir).toBe('rtl');
    expect(words.number(1234)).toBe('۱٬۲۳۴');
    // 2026-12-02 20:45 UTC is 00:15 on 12 Azar 1405 in Tehran
    const date = words.date('2026-12-02T20:45:00Z');
    expect(date).toContain('۱۴۰۵');
    expect(date).toContain('۱۲');
    expect(date).toContain('آذر');
  });

  it('writes the Gregorian date and Latin digits in en, in Tehran time', () => {
    const words = wordsFor('en');
    expect(words.dir).toBe('ltr');
    expect(words.number(1234)).toBe('1,234');
    expect(words.date('2026-12-02T20:45:00Z')).toBe('3 Dec 2026');
  });

  it("fills placeholders with numbers in the reader's digits", () => {
    expect(wordsFor('fa').t('segments.count', { count: 25 })).toBe('۲۵ مخاطب می‌خوانند');
    expect(wordsFor('en').t('segments.count', { count: 25 })).toBe('25 contacts match');
  });

  it('has every English key in Persian, none left empty or in English', () => {
    const keys = Object.keys(en) as (keyof typeof en)[];
    for (const key of keys) {
      expect(fa[key], key).toBeTruthy();
    }
    const untranslated = keys.filter(
      (key) => fa[key] === en[key] && /[a-z]{3}/i.test(en[key]) && key !== 'composer.html',
    );
    expect(untranslated).toEqual([]);
  });

  it('reads digits typed on a Persian or Arabic keyboard as Latin', () => {
    expect(latinDigits('۰۹۱۲ ٣٤٥ 6789')).toBe('0912 345 6789');
  });
});
