import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../infra/chapar-stacks';

/** Where every page's screenshot goes (kept out of git). */
export const ARTIFACTS = join(PROJECT_ROOT, 'test', 'artifacts', 'console');

/** Debian's Chromium, headless: never a downloaded browser build. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser context (its own storage) of a given width; 360 px is the narrowest supported. */
export function newContext(browser: Browser, width = 1280): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: 900 }, locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
}

/** Signs in through the console's own form. */
export async function signIn(page: Page, consoleUrl: string, email: string, password: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.locator('header.top').waitFor();
}

/** axe-core's serious and critical violations on the page as it is now (run through the devtools protocol, which no CSP blocks). */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const page = globalThis as unknown as { axe: typeof axe; document: Parameters<typeof axe.run>[0] };
    return page.axe.run(page.document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? '',
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/** Saves a full-page screenshot as test/artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
