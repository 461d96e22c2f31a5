import { describe, expect, it } from 'vitest';
import { templateFile } from '../../../shared/adapters/templates/template-files';
import type { ConsentState } from '../../../shared/domain/consent';
import { ALL_TOPICS } from '../../../shared/domain/types';
import type { TokenClaims } from '../../../shared/domain/unsubscribe-token';
import { preferencesFrom } from '../../../shared/use-cases/unsubscribe';
import {
  errorPage,
  invalidLinkPage,
  notOfferedPage,
  preferenceCentrePage,
} from '../../../shared/use-cases/unsubscribe-pages';

const CLAIMS: TokenClaims = {
  ref: 'ref-0123456789',
  channel: 'email',
  topic: 'newsletter',
  campaignId: 'c1',
};
const ACTION = '/u/k.payload.signature';

function state(topic: string, status: ConsentState['status'], at: string): ConsentState {
  return { channel: 'email', topic, status, source: 'preference-centre', at };
}

/** The forms of a page as `action topic via` triples, in order. */
function formsOf(page: string): string[] {
  return [...page.matchAll(/<form method="post"[\s\S]*?<\/form>/g)].map((match) => {
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(match[0])?.[1];
    return `${field('action')} ${field('topic')} ${field('via')}`;
  });
}

describe('preferenceCentrePage', () => {
  it('shows a Persian, right-to-left centre with Persian digits and a confirm button for the link topic', () => {
    // Prepare
    const preferences = preferencesFrom(CLAIMS, []);

    // Act
    const page = preferenceCentrePage(templateFile, { locale: 'fa', action: ACTION, preferences });

    // Assess
    expect(page).toContain('<html lang="fa" dir="rtl">');
    expect(page).toContain('لغو اشتراک خبرنامه');
    expect(page).toContain('از ۴ موضوع، ۴ موضوع را از طریق ایمیل دریافت می‌کنید.');
    expect(/<main>([\s\S]*)<\/main>/.exec(page)?.[1]).not.toMatch(/>[^<]*[0-9][^<]*</);
    expect(page).toContain(`action="${ACTION}"`);
    expect(formsOf(page)).toEqual([
      'opt_out newsletter link',
      'opt_out newsletter centre',
      'opt_out events centre',
      'opt_out promotions centre',
      'opt_out surveys centre',
      'opt_out * centre',
    ]);
  });

  it('shows an English, left-to-right centre for an en contact', () => {
    // Prepare
    const preferences = preferencesFrom(CLAIMS, []);

    // Act
    const page = preferenceCentrePage(templateFile, { locale: 'en', action: ACTION, preferences });

    // Assess
    expect(page).toContain('<html lang="en" dir="ltr">');
    expect(page).toContain('Unsubscribe from newsletter');
    expect(page).toContain('You receive 4 of 4 topics by email.');
    expect(page).toContain('Unsubscribe from all email marketing');
    expect(page).toContain('Nothing changes until you press a button.');
  });

  it('offers to restart the topics a person left, with the date in the Solar Hijri calendar', () => {
    // Prepare: events stopped on 1 Farvardin 1404, 12:00 Tehran time
    const preferences = preferencesFrom(CLAIMS, [
      state('events', 'opted_out', '2025-03-21T08:30:00.000Z'),
      state('newsletter', 'opted_out', '2025-03-21T08:30:00.000Z'),
    ]);

    // Act
    const page = preferenceCentrePage(templateFile, { locale: 'fa', action: ACTION, preferences });

    // Assess
    expect(page).toContain('دریافت دوباره‌ی رویدادها');
    expect(page).toMatch(/از .*فروردین ۱۴۰۴.* دریافت نمی‌کنید/);
    expect(page).toContain('از ۴ موضوع، ۲ موضوع');
    expect(formsOf(page)).toEqual([
      'resubscribe newsletter centre',
      'resubscribe newsletter centre',
      'resubscribe events centre',
      'opt_out promotions centre',
      'opt_out surveys centre',
      'opt_out * centre',
    ]);
  });

  it('offers to restart everything once the person left the whole channel', () => {
    // Prepare
    const preferences = preferencesFrom({ ...CLAIMS, channel: 'sms' }, [
      { ...state(ALL_TOPICS, 'opted_out', '2025-03-21T08:30:00.000Z'), channel: 'sms' },
    ]);

    // Act
    const page = preferenceCentrePage(templateFile, { locale: 'en', action: '/s/AbCdEfGh12', preferences });

    // Assess
    expect(page).toContain('Every marketing message by SMS is stopped for you.');
    expect(page).toContain('Receive all SMS marketing again');
    expect(page).toContain('You receive 0 of 4 topics by SMS.');
    expect(formsOf(page).at(-1)).toBe('resubscribe * centre');
  });

  it('says what changed, in the reader language, after a POST', () => {
    // Prepare
    const preferences = preferencesFrom(CLAIMS, [state(ALL_TOPICS, 'opted_out', '2025-03-21T08:30:00.000Z')]);
    const changed = { action: 'opt_out', topic: ALL_TOPICS, source: 'preference-centre' } as const;

    // Act
    const fa = preferenceCentrePage(templateFile, { locale: 'fa', action: ACTION, preferences, changed });
    const en = preferenceCentrePage(templateFile, {
      locale: 'en',
      action: ACTION,
      preferences,
      changed: { action: 'resubscribe', topic: 'events', source: 'preference-centre' },
    });

    // Assess
    expect(fa).toContain('role="status"');
    expect(fa).toContain('<title>اشتراک شما لغو شد</title>');
    expect(fa).toContain('از این پس هیچ پیام تبلیغاتی از طریق ایمیل برای شما ارسال نمی‌شود.');
    expect(en).toContain('We will send you our events by email again.');
  });

  it('escapes topic names and the form action', () => {
    // Prepare: a topic someone stored through the API, and a hostile path
    const hostile = '<script>alert("x")</script>';
    const preferences = preferencesFrom(CLAIMS, [state(hostile, 'opted_out', '2025-03-21T08:30:00.000Z')]);

    // Act
    const pages = (['fa', 'en'] as const).map((locale) =>
      preferenceCentrePage(templateFile, {
        locale,
        action: '/u/"><img src=x>',
        preferences,
        changed: { action: 'resubscribe', topic: hostile, source: 'preference-centre' },
      }),
    );

    // Assess
    for (const page of pages) {
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<img');
      expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(page).toContain('action="/u/&quot;&gt;&lt;img src=x&gt;"');
    }
  });
});

describe('answer pages for refusals and failures', () => {
  it('refuses a choice that is not offered in the reader language, with a way back', () => {
    // Prepare, Act
    const page = notOfferedPage(templateFile, { locale: 'fa', action: ACTION });

    // Assess
    expect(page).toContain('dir="rtl"');
    expect(page).toContain('این گزینه در دسترس نیست');
    expect(page).toContain(`<a href="${ACTION}">`);
  });

  it('tells a bad link apart from a failure of ours', () => {
    // Prepare, Act
    const invalid = invalidLinkPage(templateFile);
    const failed = errorPage(templateFile);

    // Assess
    expect(invalid).toContain('پیوند نامعتبر است');
    expect(invalid).toContain('This link is not valid');
    expect(failed).toContain('خطایی پیش آمد');
    expect(failed).toContain('Something went wrong');
    expect(failed).not.toContain('پیوند نامعتبر است');
    expect(failed).not.toContain('not valid');
  });
});
