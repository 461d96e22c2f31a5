import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jalaliToGregorian, tehranJalali, tehranWallTime } from '../../console/src/calendar';
import { buildConsole } from '../../local/console';
import { launchChromium, screenshot, seriousViolations } from '../support/browser';
import { call, eventually, simMessages } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { userWithRole } from '../support/sign-in';

/**
 * The console as a marketer uses it, in Debian's Chromium: sign-in, an import to done, a segment,
 * a campaign composed, test-sent and sent with its charts, pause and resume, a contact's ledger,
 * erasure refused to a marketer and done by an admin, a viewer who can change nothing; every page
 * through axe-core in fa and en, screenshots in test/artifacts/console/, and 360 px wide.
 */
let platform: TestPlatform;
let browser: Browser;
let consoleUrl: string;
const ADMIN = { email: 'admin@chapar.local', password: 'local-admin-password' };
const MARKETER = { email: 'marketer@brand.example', password: 'Marketer-password-1!' };
const VIEWER = { email: 'viewer@brand.example', password: 'Viewer-password-1!' };

beforeAll(async () => {
  await buildConsole();
  // Two SMS a second: a campaign of 30 is still sending when the marketer pauses it.
  platform = await startTestPlatform({ env: { CHAPAR_SMS_RATE: '2' } });
  consoleUrl = `${platform.apiUrl}/console/`;
  const pool = platform.endpoints.cognito;
  await userWithRole(pool, MARKETER.email, 'marketer', MARKETER.password);
  await userWithRole(pool, VIEWER.email, 'viewer', VIEWER.password);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.end();
});

/** A page signed in as `who`, with every console error collected. */
async function signedIn(
  who: { email: string; password: string },
  width = 1280,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(consoleUrl);
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('button[type=submit]').click();
  await page.locator('header.top').waitFor();
  return { page, errors };
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${consoleUrl}${path}`);
  await page.locator('main h1').first().waitFor();
}

const api = (method: string, path: string, json?: unknown) =>
  call<Record<string, unknown>>(platform.apiUrl, method, path, json === undefined ? {} : { json });

describe('the console', () => {
  it("signs an admin in, in Persian and right to left, with the dashboard's figures", async () => {
    const { page, errors } = await signedIn(ADMIN);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('fa');
    await page.locator('[data-figure="today-sms"]').waitFor();
    expect(await page.locator('main h1').innerText()).toBe('پیشخوان');
    expect(errors).toEqual([]);
  });

  it('imports a CSV and follows it to done, then builds a segment with a live count', async () => {
    const { page } = await signedIn(MARKETER);
    await open(page, 'imports');
    const csv = [
      'نام,شماره موبایل,ایمیل,شهر',
      'سارا,۰۹۱۲ ۱۰۰ ۰۰۰۱,sara@example.com,کرج',
      'علی,09121000002,ali@example.com,کرج',
      'مریم,+989121000003,maryam@example.com,شیراز',
    ].join('\n');
    await page
      .locator('input[name=file]')
      .setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('form button[type=submit]').click();
    await page.locator('[data-import="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-count="created"]').innerText()).toBe('۳');
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await screenshot(page, 'imports-done-fa');

    await open(page, 'audiences');
    await page.locator('input[name=segmentName]').fill('کرجی‌ها');
    await page.locator('input[name=field-0]').fill('شهر');
    await page.locator('input[name=value-0]').fill('کرج');
    await page.locator('[data-segment-count="2"]').waitFor();
    await page.getByRole('button', { name: 'ذخیرهٔ بخش' }).click();
    await page.getByText('کرجی‌ها', { exact: true }).waitFor();
  });

  it('composes an SMS and email campaign, test-sends it, sends it, and draws both charts as it finishes', async () => {
    const { page } = await signedIn(MARKETER);
    await open(page, 'campaigns/new');
    await page.locator('input[name=name]').fill('حراج کرج');
    await page.locator('input[name=channel-email]').check();
    await page.getByLabel('یک بخش').check();
    await page.locator('select[name=segmentId]').selectOption({ label: 'کرجی‌ها' });
    await page.locator('textarea[name=smsText]').fill('{{name}} عزیز، حراج آغاز شد');
    await page.locator('input[name=subject]').fill('حراج زمستانه');
    await page.locator('textarea[name=html]').fill('<p>سلام {{name}}</p>');
    // Live figures from the preview: reach, segments and encoding
    await page.locator('[data-sms-figures]').waitFor();
    expect(await page.locator('[data-reach]').innerText()).toContain('۲');
    await page.locator('input[name=sendNow]').check();
    await screenshot(page, 'composer-fa');
    await page.getByRole('button', { name: 'ذخیره به‌صورت پیش‌نویس' }).click();
    await page.locator('[data-created]').waitFor();
    await page.locator('input[name=testTargets]').fill('۰۹۱۲۹۹۹۰۰۰۹');
    await page.getByRole('button', { name: 'ارسال آزمایشی' }).click();
    await page.locator('[data-test-sent]').waitFor();
    const test = await eventually(
      async () => (await simMessages(platform.kavenegarUrl)).find((sms) => sms.receptor === '09129990009'),
      'the test SMS',
    );
    expect(test.message).toContain('[آزمایشی]');
    await page.getByRole('button', { name: 'همین حالا بفرست' }).click();
    await page.locator('[data-status="sent"]').waitFor({ timeout: 90_000 });
    // Two contacts, each by SMS and by email
    expect(await page.locator('[data-stat="total"]').innerText()).toBe('۴');
    await page.locator('figure[data-chart="funnel"] rect').first().waitFor();
    await page.locator('figure[data-chart="timeline"] canvas').waitFor({ timeout: 20_000 });
    await screenshot(page, 'campaign-sent-fa');
  });

  it('pauses a sending campaign and resumes it to sent', async () => {
    const list = await api('POST', '/v1/lists', { name: 'کند' });
    const ids = Array.from({ length: 30 }, (_, i) => `slow-${i}`);
    for (const [i, id] of ids.entries()) {
      await api('PUT', `/v1/contacts/${id}`, {
        phone: `0912200${String(i).padStart(4, '0')}`,
        name: `مشتری ${i}`,
      });
    }
    await api('POST', `/v1/lists/${list.body.id}/members`, { add: ids });
    const created = await api('POST', '/v1/campaigns', {
      name: 'کند',
      topic: 'promotions',
      channels: ['sms'],
      audience: { listIds: [list.body.id] },
      sms: { text: '{{name}} عزیز، پیشنهاد ویژه' },
    });
    const { page } = await signedIn(MARKETER);
    await open(page, `campaigns/${created.body.id}`);
    await page.locator('[data-status="sending"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'توقف' }).click();
    await page.locator('[data-status="paused"]').waitFor();
    await screenshot(page, 'campaign-paused-fa');
    await page.getByRole('button', { name: 'ادامه' }).click();
    await page.locator('[data-status="sent"]').waitFor({ timeout: 90_000 });
    const sent = (await simMessages(platform.kavenegarUrl)).filter((sms) =>
      sms.receptor.startsWith('0912200'),
    );
    expect(new Set(sent.map((sms) => sms.receptor)).size).toBe(30);
    expect(sent).toHaveLength(30);
  });

  it('pages through scheduled campaigns twenty at a time, forward and back', async () => {
    const list = await api('POST', '/v1/lists', { name: 'زمان‌بندی' });
    const names = Array.from({ length: 21 }, (_, i) => `زمان‌بندی ${i}`);
    for (const name of names) {
      const created = await api('POST', '/v1/campaigns', {
        name,
        topic: 'newsletters',
        channels: ['sms'],
        audience: { listIds: [list.body.id] },
        sms: { text: 'خبرنامه' },
        sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(created.status).toBe(201);
    }
    const { page, errors } = await signedIn(MARKETER);
    await open(page, 'campaigns');
    const items = page.locator('ul.list li.item a');
    const filter = page.locator('label.inline select');
    const previous = page.getByRole('button', { name: 'قبلی' });
    const next = page.getByRole('button', { name: 'بعدی' });
    /** Does `act` and waits for the listing it loads: scheduled campaigns, after a cursor or not. */
    const listed = async (act: () => Promise<unknown>, paged: boolean): Promise<string[]> => {
      const response = page.waitForResponse((answer) => {
        const url = new URL(answer.url());
        return (
          url.pathname.endsWith('/v1/campaigns') &&
          url.searchParams.get('status') === 'scheduled' &&
          url.searchParams.has('cursor') === paged
        );
      });
      await act();
      const body = (await (await response).json()) as { items: { name: string }[] };
      const expected = body.items.map((item) => item.name);
      // Rendered as answered (a page load on a busy machine can take longer than a second).
      await expect.poll(() => items.allTextContents(), { timeout: 15_000 }).toEqual(expected);
      return expected;
    };
    const first = await listed(() => filter.selectOption('scheduled'), false);
    expect(first).toHaveLength(20);
    expect(await previous.isDisabled()).toBe(true);
    const second = await listed(() => next.click(), true);
    // Every page a distinct part of the listing, ours all in it.
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((name) => first.includes(name))).toEqual([]);
    expect(names.filter((name) => !first.includes(name) && !second.includes(name))).toEqual([]);
    expect(await listed(() => previous.click(), false)).toEqual(first);
    expect(await previous.isDisabled()).toBe(true);
    // A filter change starts again from the first page.
    await listed(() => next.click(), true);
    await filter.selectOption('');
    expect(await listed(() => filter.selectOption('scheduled'), false)).toEqual(first);
    expect(await previous.isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('schedules a campaign with the Jalali picker, a day past the month clamped to its end', async () => {
    const { page, errors } = await signedIn(MARKETER);
    await open(page, 'campaigns/new');
    await page.locator('input[name=name]').fill('نوروزی');
    await page.locator('textarea[name=smsText]').fill('نوروز پیروز');
    await page.getByRole('button', { name: 'ذخیره به‌صورت پیش‌نویس' }).click();
    await page.locator('[data-created]').waitFor();
    const nextYear = tehranJalali(new Date()).jy + 1;
    await page.locator('select[name=sendYear]').selectOption(String(nextYear));
    await page.locator('select[name=sendMonth]').selectOption('1');
    await page.locator('select[name=sendDay]').selectOption('31');
    // Mehr has 30 days: the 31st of Farvardin becomes the 30th of Mehr.
    await page.locator('select[name=sendMonth]').selectOption('7');
    expect(await page.locator('select[name=sendDay]').inputValue()).toBe('30');
    expect(await page.locator('select[name=sendDay] option').count()).toBe(30);
    // Days and years in Persian digits.
    expect(await page.locator('select[name=sendDay] option').last().innerText()).toBe('۳۰');
    await page.locator('input[name=sendTime]').fill('10:30');
    await page.getByRole('button', { name: 'زمان‌بندی' }).click();
    await page.waitForURL(/campaigns\/[0-9A-Z]{26}$/);
    const id = page.url().split('/').at(-1) as string;
    const campaign = await api('GET', `/v1/campaigns/${id}`);
    const day = jalaliToGregorian(nextYear, 7, 30);
    expect(campaign.body.status).toBe('scheduled');
    expect(campaign.body.sendAt).toBe(tehranWallTime(day.gy, day.gm, day.gd, 10, 30).toISOString());
    // Tehran keeps UTC+03:30 all year: 10:30 there is 07:00 UTC.
    expect(String(campaign.body.sendAt)).toMatch(/T07:00:00\.000Z$/);
    await api('POST', `/v1/campaigns/${id}/cancel`);
    expect(errors).toEqual([]);
  });

  it('opens a contact with its ledger; a marketer cannot erase it, an admin can', async () => {
    const found = await call<{ items: { id: string }[] }>(
      platform.apiUrl,
      'GET',
      '/v1/contacts?q=09121000002',
    );
    const id = found.body.items[0]?.id ?? '';
    await api('POST', `/v1/contacts/${id}/consent`, {
      action: 'opt_out',
      channel: 'sms',
      topic: 'promotions',
      evidence: { method: 'support_call', reference: 'ticket-7' },
    });
    const marketer = await signedIn(MARKETER);
    await open(marketer.page, 'contacts');
    await marketer.page.locator('input[name=q]').fill('۰۹۱۲ ۱۰۰ ۰۰۰۲');
    await marketer.page.getByRole('button', { name: 'جستجو' }).click();
    await marketer.page.getByRole('link', { name: 'علی' }).click();
    await marketer.page.locator('table[data-table="ledger"] tbody tr').first().waitFor();
    expect(await marketer.page.locator('table[data-table="ledger"]').innerText()).toContain('promotions');
    expect(await marketer.page.locator('table[data-table="consent"]').innerText()).toContain('opted_out');
    // علی got the campaign composed above, by SMS and by email
    expect(await marketer.page.locator('[data-list="messages"] li').count()).toBe(2);
    await screenshot(marketer.page, 'contact-fa');
    await marketer.page.locator('input[name=confirm]').fill(id);
    await marketer.page.getByRole('button', { name: 'پاک کن' }).click();
    expect(await marketer.page.getByRole('alert').innerText()).toContain('admin');

    const admin = await signedIn(ADMIN);
    await open(admin.page, `contacts/${encodeURIComponent(id)}`);
    await admin.page.locator('input[name=confirm]').fill(id);
    await admin.page.getByRole('button', { name: 'پاک کن' }).click();
    await admin.page.getByText('مخاطب پاک شد.').waitFor();
    expect((await api('GET', `/v1/contacts/${id}`)).status).toBe(404);
  });

  it('offers a viewer nothing that changes anything, and the API refuses the viewer', async () => {
    const { page } = await signedIn(VIEWER);
    const allowed = new Set(['English', 'خروج', 'بعدی', 'قبلی', 'جستجو']);
    for (const path of [
      '',
      'campaigns',
      'contacts',
      'imports',
      'audiences',
      'templates',
      'reports',
      'settings',
      'campaigns/new',
    ]) {
      await page.goto(`${consoleUrl}${path}`);
      await page.locator('main').first().waitFor();
      await page.waitForLoadState('networkidle');
      // Names that open a list or a template are links drawn as buttons: they change nothing.
      const labels = await page
        .locator('button:visible:not(.link), input[type=submit]:visible')
        .allInnerTexts();
      expect(
        labels.filter((label) => !allowed.has(label.trim())),
        path,
      ).toEqual([]);
    }
    const token = (await page.evaluate(
      "JSON.parse(sessionStorage.getItem('chapar.session') ?? '{}').accessToken",
    )) as string;
    const refused = await fetch(`${platform.apiUrl}/v1/lists`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { requiredRole?: string }).requiredRole).toBe('marketer');
  });

  it('passes axe-core on every page in fa and en, with a screenshot of each, and fits 360 px', async () => {
    const pages = [
      '',
      'campaigns',
      'campaigns/new',
      'contacts',
      'imports',
      'audiences',
      'templates',
      'reports',
      'settings',
    ];
    for (const locale of ['fa', 'en'] as const) {
      const { page } = await signedIn(ADMIN);
      if (locale === 'en') await page.getByRole('button', { name: 'English' }).click();
      await page.locator(`html[lang="${locale}"]`).waitFor();
      for (const path of pages) {
        await open(page, path);
        await page.waitForLoadState('networkidle');
        expect(await seriousViolations(page), `${path || 'dashboard'} (${locale})`).toEqual([]);
        await screenshot(page, `${(path || 'dashboard').replace('/', '-')}-${locale}`);
      }
      await page.setViewportSize({ width: 360, height: 800 });
      for (const path of pages) {
        await open(page, path);
        // Measured with its data in: a table's rows are what grow wide.
        await page.waitForLoadState('networkidle');
        const width = await page.evaluate('document.documentElement.scrollWidth');
        expect(width, `${path || 'dashboard'} at 360 px (${locale})`).toBeLessThanOrEqual(360);
      }
    }
  });
});
