/**
 * `npm run bench:console`: what the console costs a marketer's browser on its first visit, in
 * Debian's headless Chromium against the local platform (assets gzipped as CloudFront sends them):
 * the JavaScript of the first page (budget 200 KB gzip), the whole first load with fonts (budget
 * 600 KB), and the time from opening the console signed in to the dashboard being usable (its
 * figures drawn). The same assets fetched raw by Node in the same run give the ratio.
 */
import { buildConsole } from '../local/console';
import { startPlatform } from '../local/platform';
import { launchChromium } from '../test/support/browser';

const RUNS = 5;
const JS_BUDGET = 200 * 1024;
const TOTAL_BUDGET = 600 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

await buildConsole();
const platform = await startPlatform({
  apiPort: 0,
  sesPort: 0,
  kavenegarPort: 0,
  dynamodbPort: 0,
  sqsPort: 0,
  secretsPort: 0,
  cognitoPort: 0,
  quiet: true,
});
const browser = await launchChromium();
try {
  const consoleUrl = `${platform.apiUrl}/console/`;
  // First visit: an empty cache, the sign-in page, then the dashboard after signing in.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const loaded: { url: string; type: string; bytes: number }[] = [];
  page.on('requestfinished', (request) => {
    void request.sizes().then((sizes) => {
      loaded.push({
        url: request.url(),
        type: request.resourceType(),
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
      });
    });
  });
  await page.goto(consoleUrl);
  await page.locator('input[name=email]').fill('admin@chapar.local');
  await page.locator('input[name=password]').fill('local-admin-password');
  await page.locator('button[type=submit]').click();
  await page.locator('[data-figure="today-sms"]').waitFor();
  await page.waitForLoadState('networkidle');
  const own = loaded.filter((entry) => entry.url.startsWith(consoleUrl));
  const js = own.filter((entry) => entry.type === 'script').reduce((sum, entry) => sum + entry.bytes, 0);
  const total = own.reduce((sum, entry) => sum + entry.bytes, 0);
  const api = loaded
    .filter((entry) => !entry.url.startsWith(consoleUrl))
    .reduce((sum, entry) => sum + entry.bytes, 0);

  // Time to a usable dashboard, signed in, cache cold each time (a new context keeps the session by copying it).
  const session = await page.evaluate("sessionStorage.getItem('chapar.session')");
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await fresh.addInitScript((value) => sessionStorage.setItem('chapar.session', String(value)), session);
    const tab = await fresh.newPage();
    const started = performance.now();
    await tab.goto(consoleUrl);
    await tab.locator('[data-figure="today-sms"]').waitFor();
    times.push(performance.now() - started);
    await fresh.close();
  }
  // The same files fetched raw (no browser, no rendering), in the same run.
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await Promise.all(
      own.map((entry) =>
        fetch(entry.url, { headers: { 'accept-encoding': 'gzip' } }).then((answer) => answer.arrayBuffer()),
      ),
    );
    raw.push(performance.now() - started);
  }
  const usable = median(times);
  console.log('Console first load (headless Chromium, gzip as CloudFront sends it)');
  console.log(
    `  JavaScript:        ${kb(js)} (budget ${kb(JS_BUDGET)}: ${js <= JS_BUDGET ? 'within' : 'OVER'})`,
  );
  console.log(
    `  whole first load:  ${kb(total)} with fonts (budget ${kb(TOTAL_BUDGET)}: ${total <= TOTAL_BUDGET ? 'within' : 'OVER'})`,
  );
  console.log(`  API answers:       ${kb(api)} (sign-in and the dashboard's reads)`);
  for (const entry of own)
    console.log(
      `    ${entry.type.padEnd(10)} ${kb(entry.bytes).padStart(9)}  ${entry.url.slice(consoleUrl.length)}`,
    );
  console.log(
    `  dashboard usable:  median ${usable.toFixed(0)} ms over ${RUNS} cold loads (${times.map((t) => t.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  raw fetch of the same files: median ${median(raw).toFixed(0)} ms; ratio ${(usable / Math.max(1, median(raw))).toFixed(1)}×`,
  );
  await context.close();
} finally {
  await browser.close();
  await platform.end();
}
