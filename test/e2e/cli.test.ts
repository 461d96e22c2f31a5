import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChapar } from '../support/cli';
import { call } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let folder: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  folder = await mkdtemp(join(tmpdir(), 'chapar-cli-e2e-'));
});

afterAll(async () => {
  await platform?.end();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const chapar = (...args: string[]) => runChapar(platform.apiUrl, ...args);

describe('the chapar CLI over the local platform', () => {
  it('imports a CSV onto a list with a live progress bar to done, then writes its error report', async () => {
    // Prepare: a list, and 450 rows (more than two chunks of 200) of which one is invalid
    const list = await chapar('lists', 'create', 'مشتریان پاییز', '--json');
    expect(list.code, list.stderr).toBe(0);
    const listId = (JSON.parse(list.stdout) as { id: string }).id;
    const rows = Array.from(
      { length: 449 },
      (_, index) => `cli-${index},0912${String(index).padStart(7, '0')},مشتری ${index}`,
    );
    const csv = join(folder, 'customers.csv');
    await writeFile(
      csv,
      ['id,phone,name', ...rows.slice(0, 200), 'cli-bad,0912,نامعتبر', ...rows.slice(200)].join('\n'),
    );

    // Act
    const imported = await chapar('contacts', 'import', csv, '--list', listId, '--interval', '200');

    // Assess: the bar on stderr reached every row, the counts and the report's command on stdout
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/100% \| 450\/450 rows \| done/);
    expect(imported.stdout).toMatch(/status\s+done/);
    expect(imported.stdout).toMatch(/created\s+449/);
    expect(imported.stdout).toMatch(/invalid\s+1/);
    const importId = /error report: chapar imports errors (\S+) > errors\.csv/.exec(imported.stdout)?.[1];
    expect(importId).toBeDefined();
    const members = await call<{ members: number }>(platform.apiUrl, 'GET', `/v1/lists/${listId}`);
    expect(members.body.members).toBe(449);

    const report = await chapar('imports', 'errors', String(importId));
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout.startsWith('\ufeffline,column,value,reason\r\n')).toBe(true);
    expect(report.stdout).toContain('202,');
  });

  it('creates a campaign from a file and watches it live until it is sent', async () => {
    // Prepare
    for (const [id, phone] of [
      ['w1', '09121000001'],
      ['w2', '09121000002'],
      ['w3', '09121000003'],
    ] as const) {
      await call(platform.apiUrl, 'PUT', `/v1/contacts/${id}`, { json: { phone, name: 'سارا' } });
    }
    const file = join(folder, 'campaign.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'خبرنامه زمستان',
        topic: 'newsletter',
        channels: ['sms'],
        audience: { contactIds: ['w1', 'w2', 'w3'] },
        sms: { text: '{{name}} عزیز، خبرنامه زمستان منتشر شد' },
      }),
    );
    const created = await chapar('campaigns', 'create', file, '--json');
    expect(created.code, created.stderr).toBe(0);
    const campaignId = (JSON.parse(created.stdout) as { id: string }).id;

    // Act
    const watched = await chapar('campaigns', 'watch', campaignId, '--interval', '200');

    // Assess: it ended by itself once sent, the last view holding every recipient
    expect(watched.code, watched.stderr).toBe(0);
    const last = watched.stdout.trimEnd().split('\n\n').at(-1) ?? '';
    expect(last).toMatch(/status\s+sent/);
    expect(last).toMatch(/sent\s+3\n/);
    expect(last).toMatch(/progress\s+3\/3 \(100%\)/);
    expect(last).toContain('\u2068خبرنامه زمستان\u2069');

    const resumed = await chapar('campaigns', 'resume', campaignId);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain('only a paused campaign can be resumed (HTTP 409)');
  });

  it('answers 1 with the API message for an unknown contact and 2 for bad usage', async () => {
    const unknown = await chapar('contacts', 'get', 'nobody-here');
    const usage = await chapar('campaigns', 'watch');

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Contact nobody-here not found (HTTP 404)');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'campaignId'");
  });
});
