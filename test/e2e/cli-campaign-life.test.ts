/**
 * The CLI commands over routes of issue 11 that other branches build (campaign list, pause and
 * test send, templates, transactional messages). Written against the contract; they pass
 * once those routes are merged.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChapar } from '../support/cli';
import { call, eventually, simMessages } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const AUDIENCE = Array.from({ length: 20 }, (_, index) => `life-${index}`);

let platform: TestPlatform;
let folder: string;

beforeAll(async () => {
  // A slow SMS rate keeps a campaign of 20 sending for seconds, long enough to pause it by hand.
  platform = await startTestPlatform({ env: { CHAPAR_SMS_RATE: '2' } });
  folder = await mkdtemp(join(tmpdir(), 'chapar-cli-life-'));
  for (let index = 0; index < AUDIENCE.length; index += 1) {
    const phone = `0912200${String(index).padStart(4, '0')}`;
    await call(platform.apiUrl, 'PUT', `/v1/contacts/${AUDIENCE[index]}`, { json: { phone, name: 'سارا' } });
  }
});

afterAll(async () => {
  await platform?.end();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const chapar = (...args: string[]) => runChapar(platform.apiUrl, ...args);

async function jsonFile(name: string, value: unknown): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

/** A campaign to the audience created through the CLI (now, or an hour ahead); its id. */
async function campaignFor(name: string, when: 'now' | 'later'): Promise<string> {
  const file = await jsonFile(`${name}.json`, {
    name,
    topic: 'newsletter',
    channels: ['sms'],
    audience: { contactIds: AUDIENCE },
    sms: { text: `{{name}} عزیز، ${name}` },
    ...(when === 'later' ? { sendAt: new Date(Date.now() + 3_600_000).toISOString() } : {}),
  });
  const created = await chapar('campaigns', 'create', file, '--json');
  expect(created.code, created.stderr).toBe(0);
  return (JSON.parse(created.stdout) as { id: string }).id;
}

describe('the chapar CLI over the campaign life of issue 11', () => {
  it('lists campaigns by status, pauses a sending one by hand, resumes it and watches it to sent', async () => {
    // Prepare
    const later = await campaignFor('حراج بهار', 'later');
    const id = await campaignFor('حراج زمستان', 'now');
    await eventually(async () => {
      const shown = await chapar('campaigns', 'show', id, '--json');
      return (JSON.parse(shown.stdout) as { status: string }).status === 'sending' ? true : undefined;
    }, 'the campaign to be sending');

    // Act
    const paused = await chapar('campaigns', 'pause', id);
    const shown = await chapar('campaigns', 'show', id);
    const listed = await chapar('campaigns', 'list', '--status', 'scheduled', '--json');
    const table = await chapar('campaigns', 'list');
    const resumed = await chapar('campaigns', 'resume', id);
    const watched = await chapar('campaigns', 'watch', id, '--interval', '500');
    const cancelled = await chapar('campaigns', 'cancel', later, '--json');

    // Assess
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toBe(`${id}: paused\n`);
    expect(shown.stdout).toMatch(/status\s+paused \(by_marketer\)/);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([
      later,
    ]);
    expect(table.stdout).toContain('\u2068حراج زمستان\u2069');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout.trimEnd().split('\n\n').at(-1)).toMatch(/sent\s+20\n/);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id: later, status: 'cancelled' });
    const sms = await simMessages(platform.kavenegarUrl);
    expect(sms.filter((message) => message.message.includes('حراج زمستان'))).toHaveLength(20);
  });

  it('sends a test of a campaign, marked as a test, to one phone', async () => {
    const id = await campaignFor('آزمون', 'later');

    const tested = await chapar('campaigns', 'test', id, '--phone', '09129990009');

    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/\+98912\*\*\*09\s+sms.*sent/);
    const sms = await eventually(async () => {
      const all = await simMessages(platform.kavenegarUrl);
      return all.find((message) => message.receptor.endsWith('9129990009'));
    }, 'the test SMS');
    expect(sms.message).toContain('[آزمایشی]');
  });

  it('creates a template in both locales, lists it and renders each locale', async () => {
    const file = await jsonFile('template.json', {
      name: 'خوش‌آمد',
      channel: 'sms',
      variants: { fa: { text: '{{name}} عزیز، خوش آمدید' }, en: { text: 'Welcome, {{name}}' } },
    });

    const created = await chapar('templates', 'create', file, '--json');
    expect(created.code, created.stderr).toBe(0);
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    const listed = await chapar('templates', 'list');
    const fa = await chapar('templates', 'render', id, '--contact', 'life-0', '--json');
    const en = await chapar('templates', 'render', id, '--locale', 'en', '--sample', '{"name":"Sara"}');

    expect(listed.stdout).toContain(id);
    expect(fa.code, fa.stderr).toBe(0);
    expect(fa.stdout).toContain('سارا عزیز، خوش آمدید');
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toContain('Welcome, Sara');
  });

  it('sends a transactional SMS once under one Idempotency-Key', async () => {
    const send = () =>
      chapar(
        'messages',
        'send',
        '--channel',
        'sms',
        '--contact',
        'life-0',
        '--text',
        'سفارش شما ارسال شد',
        '--idempotency-key',
        'order-7-shipped',
        '--json',
      );

    const first = await send();
    const second = await send();

    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).id).toBe(JSON.parse(first.stdout).id);
    const sent = await eventually(async () => {
      const all = await simMessages(platform.kavenegarUrl);
      const found = all.filter((message) => message.message.includes('سفارش شما ارسال شد'));
      return found.length ? found : undefined;
    }, 'the transactional SMS');
    expect(sent).toHaveLength(1);
  });
});
