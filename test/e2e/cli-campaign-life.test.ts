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

let platform: TestPlatform;
let folder: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  folder = await mkdtemp(join(tmpdir(), 'chapar-cli-life-'));
  await call(platform.apiUrl, 'PUT', '/v1/contacts/life-1', { json: { phone: '09122000001', name: 'سارا' } });
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

/** A campaign scheduled an hour ahead to life-1, created through the CLI; its id. */
async function scheduledCampaign(name: string): Promise<string> {
  const file = await jsonFile(`${name}.json`, {
    name,
    topic: 'newsletter',
    channels: ['sms'],
    audience: { contactIds: ['life-1'] },
    sms: { text: '{{name}} عزیز، حراج زمستان' },
    sendAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const created = await chapar('campaigns', 'create', file, '--json');
  expect(created.code, created.stderr).toBe(0);
  return (JSON.parse(created.stdout) as { id: string }).id;
}

describe('the chapar CLI over the campaign life of issue 11', () => {
  it('lists campaigns by status, pauses one by hand and cancels it', async () => {
    // Prepare
    const id = await scheduledCampaign('حراج زمستان');

    // Act
    const listed = await chapar('campaigns', 'list', '--status', 'scheduled', '--json');
    const table = await chapar('campaigns', 'list');
    const paused = await chapar('campaigns', 'pause', id);
    const shown = await chapar('campaigns', 'show', id);
    const cancelled = await chapar('campaigns', 'cancel', id, '--json');

    // Assess
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { items: { id: string }[] }).items.map((c) => c.id)).toContain(id);
    expect(table.stdout).toContain('\u2068حراج زمستان\u2069');
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toBe(`${id}: paused\n`);
    expect(shown.stdout).toMatch(/status\s+paused \(by_marketer\)/);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id, status: 'cancelled' });
  });

  it('sends a test of a campaign, marked as a test, to one phone', async () => {
    const id = await scheduledCampaign('آزمون');

    const tested = await chapar('campaigns', 'test', id, '--phone', '09122000009');

    expect(tested.code, tested.stderr).toBe(0);
    const sms = await eventually(async () => {
      const all = await simMessages(platform.kavenegarUrl);
      return all.find((message) => message.receptor.endsWith('9122000009'));
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
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    const listed = await chapar('templates', 'list');
    const fa = await chapar('templates', 'render', id, '--contact', 'life-1', '--json');
    const en = await chapar('templates', 'render', id, '--locale', 'en', '--sample', '{"name":"Sara"}');

    expect(created.code, created.stderr).toBe(0);
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
        'life-1',
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
