import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIo, run } from '../../../cli/program';

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

type Route = (seen: Seen) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A fake API answering `routes` (keyed "METHOD /path"), recording every request, and an io around it. */
function harness(
  routes: Record<string, Route | Route[]>,
  env: Record<string, string> = { CHAPAR_API_KEY: 'k1' },
) {
  const requests: Seen[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const seen = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    };
    requests.push(seen);
    const route = routes[`${seen.method} ${seen.url.pathname}`];
    const handler = Array.isArray(route) ? (route.length > 1 ? route.shift() : route[0]) : route;
    return handler ? handler(seen) : json(404, { message: `no route ${seen.method} ${seen.url.pathname}` });
  }) as typeof fetch;
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env,
    fetch: fetchImpl,
    sleep: async () => {},
  };
  return {
    requests,
    io,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    cli: (...argv: string[]) => run(argv, io),
  };
}

const campaign = (status: string, sent: number) => ({
  id: 'cmp1',
  name: 'خبرنامه پاییز',
  topic: 'newsletter',
  channels: ['sms'],
  status,
  sendAt: '2026-12-02T10:00:00Z',
  createdAt: '2026-12-02T10:00:00Z',
  updatedAt: '2026-12-02T10:00:00Z',
  stats: {
    total: 3,
    queued: 3 - sent,
    cancelled: 0,
    sent,
    failed: 0,
    suppressed: 0,
    delivered: 0,
    undelivered: 0,
    bounced: 0,
    complained: 0,
  },
});

describe('exit codes', () => {
  it('is 0 with a table for people when the API answers', async () => {
    const api = harness({ 'GET /v1/campaigns/cmp1': () => json(200, campaign('sending', 1)) });

    const code = await api.cli('campaigns', 'show', 'cmp1');

    expect(code).toBe(0);
    expect(api.stdout()).toMatch(/status\s+sending/);
    expect(api.stdout()).toMatch(/progress\s+1\/3 \(33%\)/);
    expect(api.stderr()).toBe('');
  });

  it("is 1 when the API refuses, with the API's message and issues on stderr", async () => {
    const api = harness({
      'POST /v1/campaigns/cmp1/resume': () =>
        json(409, { message: 'Campaign cmp1 is sent; only a paused campaign can be resumed' }),
      'POST /v1/lists': () =>
        json(400, { message: 'Invalid list', issues: [{ field: 'name', message: 'must not be empty' }] }),
    });

    const refused = await api.cli('campaigns', 'resume', 'cmp1');
    const invalid = await api.cli('lists', 'create', ' ');

    expect(refused).toBe(1);
    expect(invalid).toBe(1);
    expect(api.stderr()).toContain(
      'chapar: Campaign cmp1 is sent; only a paused campaign can be resumed (HTTP 409)',
    );
    expect(api.stderr()).toContain('Invalid list (HTTP 400)\n  name: must not be empty');
    expect(api.stdout()).toBe('');
  });

  it('is 1 when the API cannot be reached', async () => {
    const api = harness({ 'GET /v1/lists': () => Promise.reject(new TypeError('fetch failed')) });

    expect(await api.cli('lists', 'list')).toBe(1);
    expect(api.stderr()).toContain('cannot reach the API: fetch failed');
  });

  it.each([
    [['campaigns', 'nope']],
    [['campaigns', 'show']],
    [['campaigns', 'list', '--limit', '0']],
    [['campaigns', 'list', '--bogus']],
    [['messages', 'send', '--channel', 'fax', '--phone', '09123456789', '--text', 'x']],
    [['messages', 'send', '--channel', 'sms', '--text', 'x']],
    [['messages', 'send', '--channel', 'sms', '--phone', '09123456789', '--email', 'a@b.c', '--text', 'x']],
    [['messages', 'send', '--channel', 'email', '--email', 'a@b.c', '--subject', 's']],
    [['contacts', 'erase', 'c1']],
    [['contacts', 'import', 'customers.txt']],
    [['campaigns', 'create', '/nonexistent/campaign.json']],
  ])('is 2 for bad usage, and asks nothing of the API: %j', async (argv) => {
    const api = harness({});

    const code = await api.cli(...argv);

    expect(code).toBe(2);
    expect(api.stderr()).not.toBe('');
    expect(api.requests).toEqual([]);
  });

  it('is 2 without an API key, and 0 for --help', async () => {
    const api = harness({}, {});

    expect(await api.cli('lists', 'list')).toBe(2);
    expect(api.stderr()).toContain('set CHAPAR_API_KEY or pass --api-key');
    expect(await api.cli('--help')).toBe(0);
    expect(api.stdout()).toContain('campaigns');
  });
});

describe('configuration', () => {
  it('reads CHAPAR_API_URL and CHAPAR_API_KEY, and the flags win over them', async () => {
    const api = harness(
      { 'GET /v1/lists': () => json(200, { items: [] }) },
      { CHAPAR_API_URL: 'http://env.example:1/', CHAPAR_API_KEY: 'env-key' },
    );

    await api.cli('lists', 'list');
    await api.cli('--api-url', 'http://flag.example:2', 'lists', 'list', '--api-key', 'flag-key');

    expect(api.requests.map((seen) => `${seen.url.origin} ${seen.headers.get('authorization')}`)).toEqual([
      'http://env.example:1 Bearer env-key',
      'http://flag.example:2 Bearer flag-key',
    ]);
  });
});

describe('commands', () => {
  it('prints the answer as JSON with --json, anywhere on the line', async () => {
    const list = { id: 'l1', name: 'مشتریان ویژه', members: 2, createdAt: '2026-12-01T00:00:00Z' };
    const api = harness({ 'GET /v1/lists': () => json(200, { items: [list], cursor: 'next1' }) });

    await api.cli('lists', 'list', '--json', '--limit', '5');

    expect(JSON.parse(api.stdout())).toEqual({ items: [list], cursor: 'next1' });
    expect(api.requests[0]?.url.search).toBe('?limit=5');
  });

  it('sends list members as add and remove, and names the unknown contacts', async () => {
    const api = harness({
      'POST /v1/lists/l1/members': (seen) =>
        json(200, { added: 1, removed: 0, members: 5, unknownContacts: JSON.parse(seen.body).add.slice(1) }),
    });

    const code = await api.cli('lists', 'add', 'l1', 'c1', 'ghost');

    expect(code).toBe(0);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ add: ['c1', 'ghost'] });
    expect(api.stdout()).toMatch(/unknownContacts\s+ghost/);
  });

  it('sends a transactional SMS under an Idempotency-Key, the given one or a new one', async () => {
    const api = harness({ 'POST /v1/messages': () => json(202, { id: 'm1', status: 'queued' }) });

    await api.cli(
      'messages',
      'send',
      '--channel',
      'sms',
      '--phone',
      '09123456789',
      '--text',
      'سفارش {{order}} ارسال شد',
      '--data',
      '{"order":"A-42"}',
      '--idempotency-key',
      'order-42-shipped',
    );
    await api.cli('messages', 'send', '--channel', 'email', '--contact', 'c1', '--template', 't1', '--json');

    const [first, second] = api.requests;
    expect(first?.headers.get('idempotency-key')).toBe('order-42-shipped');
    expect(JSON.parse(first?.body ?? '')).toEqual({
      channel: 'sms',
      to: { phone: '09123456789' },
      content: { text: 'سفارش {{order}} ارسال شد' },
      data: { order: 'A-42' },
      category: 'transactional',
    });
    expect(second?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(second?.body ?? '')).toMatchObject({ to: { contactId: 'c1' }, templateId: 't1' });
    expect(api.stdout()).toContain(`"idempotencyKey": "${second?.headers.get('idempotency-key')}"`);
  });

  it('erases a contact only with --yes', async () => {
    const api = harness({ 'DELETE /v1/contacts/c1': () => new Response(null, { status: 204 }) });

    expect(await api.cli('contacts', 'erase', 'c1', '--yes')).toBe(0);
    expect(api.requests.map((seen) => seen.method)).toEqual(['DELETE']);
  });

  it('writes every page of an import error report as one CSV, with one BOM and one header', async () => {
    const page = (rows: string) => new Response(`\ufeffline,column,value,reason\r\n${rows}`);
    const api = harness({
      'GET /v1/imports/i1/errors': [
        () => {
          const first = page('2,phone,123,not a mobile\r\n');
          first.headers.set('x-next-cursor', 'p2');
          return first;
        },
        (seen) =>
          seen.url.searchParams.get('cursor') === 'p2' ? page('9,email,x@,not an email\r\n') : json(400, {}),
      ],
    });

    const code = await api.cli('imports', 'errors', 'i1');

    expect(code).toBe(0);
    expect(api.stdout()).toBe(
      '\ufeffline,column,value,reason\r\n2,phone,123,not a mobile\r\n9,email,x@,not an email\r\n',
    );
  });

  it('watches a campaign until it is sent, printing its figures as they change', async () => {
    const api = harness({
      'GET /v1/campaigns/cmp1': [
        () => json(200, campaign('sending', 0)),
        () => json(200, campaign('sending', 0)),
        () => json(200, campaign('sending', 2)),
        () => json(200, campaign('sent', 3)),
      ],
    });

    const code = await api.cli('campaigns', 'watch', 'cmp1', '--interval', '10');

    expect(code).toBe(0);
    expect(api.requests).toHaveLength(4);
    const views = api.stdout().split('\n\n');
    expect(views).toHaveLength(3);
    expect(views[2]).toMatch(/status\s+sent/);
    expect(views[2]).toMatch(/progress\s+3\/3 \(100%\)/);
  });

  it('imports a file through its presigned URL, follows it to done and says where the invalid rows are', async () => {
    // Prepare
    const view = (status: string, progress: number, invalid = 0) => ({
      id: 'i1',
      format: 'csv',
      status,
      rows: 4,
      created: 3,
      updated: 0,
      unchanged: 0,
      invalid,
      duplicatesInFile: 0,
      progress,
      startedAt: null,
      finishedAt: null,
    });
    const api = harness({
      'POST /v1/imports': () =>
        json(201, {
          id: 'i1',
          uploadUrl: 'http://s3.example/chapar-imports/i1?X-Amz-Signature=s',
          expiresAt: 'x',
        }),
      'PUT /chapar-imports/i1': () => new Response(null, { status: 200 }),
      'GET /v1/imports/i1': [() => json(200, view('processing', 0.5)), () => json(200, view('done', 1, 1))],
    });
    const folder = await mkdtemp(join(tmpdir(), 'chapar-cli-'));
    const csv = join(folder, 'customers.CSV');
    await writeFile(csv, 'id,phone\nc1,09120000001\n');

    try {
      // Act
      const code = await api.cli(
        'contacts',
        'import',
        csv,
        '--list',
        'l1',
        '--consent-reference',
        'shop-2026',
      );

      // Assess
      expect(code, api.stderr()).toBe(0);
      const [create, upload] = api.requests;
      expect(JSON.parse(create?.body ?? '')).toEqual({
        format: 'csv',
        consent: { basis: 'implied', reference: 'shop-2026' },
        listId: 'l1',
        updateExisting: true,
      });
      expect(upload?.method).toBe('PUT');
      expect(upload?.body).toBe('id,phone\nc1,09120000001\n');
      expect(api.stdout()).toMatch(/created\s+3/);
      expect(api.stdout()).toContain('error report: chapar imports errors i1 > errors.csv');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('ends with 1 and the reason when an import fails', async () => {
    const api = harness({
      'POST /v1/imports': () => json(201, { id: 'i2', uploadUrl: 'http://s3.example/b/i2', expiresAt: 'x' }),
      'PUT /b/i2': () => new Response(null, { status: 200 }),
      'GET /v1/imports/i2': () =>
        json(200, {
          id: 'i2',
          status: 'failed',
          rows: 0,
          invalid: 0,
          progress: 0,
          reason: 'the file is not a CSV',
        }),
    });

    const code = await api.cli('contacts', 'import', 'package.json', '--format', 'csv', '--json');

    expect(code).toBe(1);
    expect(JSON.parse(api.stdout())).toMatchObject({ status: 'failed' });
    expect(api.stderr()).toContain('import i2 failed: the file is not a CSV');
  });

  it('follows a message with --wait until it is delivered', async () => {
    const api = harness({
      'POST /v1/messages': () => json(202, { id: 'M1', status: 'queued' }),
      'GET /v1/messages/M1': [
        () => json(200, { id: 'M1', status: 'queued' }),
        () => json(200, { id: 'M1', status: 'delivered', sentAt: '2026-12-02T14:00:00Z' }),
      ],
    });

    const code = await api.cli(
      'messages',
      'send',
      '--channel',
      'sms',
      '--contact',
      'c1',
      '--template',
      'T1',
      '--locale',
      'en',
      '--wait',
      '--json',
    );

    expect(code).toBe(0);
    expect(api.requests.map((seen) => seen.method)).toEqual(['POST', 'GET', 'GET']);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toMatchObject({ locale: 'en', templateId: 'T1' });
    expect(JSON.parse(api.stdout())).toMatchObject({ id: 'M1', status: 'delivered' });
  });

  it('renders a template as a recipient gets it, the Persian text isolated line by line', async () => {
    const api = harness({
      'POST /v1/templates/T1/render': () =>
        json(200, {
          templateId: 'T1',
          version: 2,
          locale: 'fa',
          channel: 'sms',
          warnings: [{ placeholder: 'city', message: 'renders empty: the contact has no city' }],
          sms: {
            text: 'سارا عزیز، خوش آمدید\nhttps://chapar.example/s/abc لغو۱۱',
            encoding: 'UCS-2',
            characters: 50,
            segments: 1,
          },
        }),
    });

    const code = await api.cli('templates', 'render', 'T1', '--sample', '{"name":"سارا"}');

    expect(code).toBe(0);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ sample: { name: 'سارا' } });
    expect(api.stdout()).toMatch(/template\s+T1 v2/);
    expect(api.stdout()).toContain('{{city}} renders empty');
    expect(api.stdout()).toContain(
      '\n\u2068سارا عزیز، خوش آمدید\u2069\n\u2068https://chapar.example/s/abc لغو۱۱\u2069\n',
    );
  });

  it('is 2 for a sample that is not JSON or given with a contact', async () => {
    const api = harness({});

    expect(await api.cli('templates', 'render', 'T1', '--sample', '{name}')).toBe(2);
    expect(await api.cli('templates', 'render', 'T1', '--sample', '{}', '--contact', 'c1')).toBe(2);
    expect(api.requests).toEqual([]);
  });

  it('sends a test of a campaign to repeated targets and shows each result', async () => {
    const api = harness({
      'POST /v1/campaigns/cmp1/test': () =>
        json(202, {
          results: [
            { target: '09121234567', channel: 'sms', to: '+98912***4567', status: 'sent' },
            { target: 'c9', channel: 'sms', status: 'skipped', reason: 'erased' },
          ],
        }),
    });

    const code = await api.cli(
      'campaigns',
      'test',
      'cmp1',
      '--phone',
      '09121234567',
      '--contact',
      'c9',
      '--contact',
      'c8',
    );

    expect(code).toBe(0);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({
      contactIds: ['c9', 'c8'],
      phones: ['09121234567'],
    });
    expect(api.stdout()).toMatch(/c9\s+sms\s+skipped\s+erased/);
  });

  it('lists spoof reports by verdict', async () => {
    const api = harness({
      'GET /v1/reports': () =>
        json(200, {
          items: [
            {
              id: 'r1',
              verdict: 'spoofed',
              sender: '3000123',
              createdAt: 'x',
              reporter: { phone: '+98912***4567' },
            },
          ],
        }),
    });

    const code = await api.cli('reports', 'list', '--verdict', 'spoofed');

    expect(code).toBe(0);
    expect(api.requests[0]?.url.search).toBe('?verdict=spoofed');
    expect(api.stdout()).toMatch(/r1\s+spoofed\s+3000123\s+\+98912\*\*\*4567/);
  });
});
