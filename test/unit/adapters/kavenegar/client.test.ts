import { describe, expect, it } from 'vitest';
import { KavenegarClient } from '../../../../shared/adapters/kavenegar/client';
import { KavenegarError } from '../../../../shared/adapters/kavenegar/errors';

const API_KEY = 'unit-secret-key-3f9a';
const BASE_URL = 'https://kavenegar.test';

interface Captured {
  readonly url: string;
  readonly form: URLSearchParams;
  readonly contentType: string | null;
}

/** A fetch that records requests and answers with `reply`. */
function fakeFetch(reply: () => Response | Promise<Response>): { fetch: typeof fetch; calls: Captured[] } {
  const calls: Captured[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    calls.push({
      url: String(input),
      form: new URLSearchParams(String(init?.body ?? '')),
      contentType: new Headers(init?.headers).get('content-type'),
    });
    return reply();
  };
  return { fetch: fetchImpl, calls };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const sendEntry = (receptor: string, messageid: number) => ({
  messageid,
  message: 'hi',
  status: 1,
  statustext: 'queued',
  sender: '10008663',
  receptor,
  date: 1_700_000_000,
  cost: 1200,
});

async function failure(promise: Promise<unknown>): Promise<KavenegarError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof KavenegarError)) throw new Error(`expected a KavenegarError, got ${String(error)}`);
  return error;
}

describe('KavenegarClient', () => {
  it('posts sms/send as a form and maps receptors back to E.164', async () => {
    // Prepare
    const fake = fakeFetch(() =>
      json({
        return: { status: 200, message: 'ok' },
        entries: [sendEntry('09121234567', 11), sendEntry('09351234567', 12)],
      }),
    );
    const client = new KavenegarClient({
      baseUrl: `${BASE_URL}/`,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const entries = await client.send({
      receptors: ['+989121234567', '+989351234567'],
      message: 'hi',
      sender: '10008663',
      localIds: ['c1-a', 'c1-b'],
      date: new Date(1_800_000_000_500),
    });

    // Assess
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.url).toBe(`${BASE_URL}/v1/${API_KEY}/sms/send.json`);
    expect(fake.calls[0]?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(fake.calls[0]?.form ?? [])).toEqual({
      receptor: '09121234567,09351234567',
      message: 'hi',
      sender: '10008663',
      localid: 'c1-a,c1-b',
      date: '1800000000',
    });
    expect(entries.map((entry) => [entry.receptor, entry.messageId, entry.cost])).toEqual([
      ['+989121234567', '11', 1200],
      ['+989351234567', '12', 1200],
    ]);
  });

  it('posts sms/sendarray with JSON arrays and comma-separated localmessageids', async () => {
    // Prepare
    const fake = fakeFetch(() =>
      json({
        return: { status: 200, message: 'ok' },
        entries: [sendEntry('09121234567', 1), sendEntry('09351234567', 2)],
      }),
    );
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    await client.sendArray({
      receptors: ['+989121234567', '+989351234567'],
      senders: ['10008663', '10008663'],
      messages: ['سلام علی', 'سلام مریم'],
      localIds: ['x', 'y'],
    });

    // Assess
    const form = fake.calls[0]?.form;
    expect(fake.calls[0]?.url).toBe(`${BASE_URL}/v1/${API_KEY}/sms/sendarray.json`);
    expect(JSON.parse(form?.get('receptor') ?? 'null')).toEqual(['09121234567', '09351234567']);
    expect(JSON.parse(form?.get('message') ?? 'null')).toEqual(['سلام علی', 'سلام مریم']);
    expect(form?.get('localmessageids')).toBe('x,y');
  });

  it('turns an error envelope into a classified KavenegarError with a known outcome', async () => {
    // Prepare
    const fake = fakeFetch(() => json({ return: { status: 418, message: 'credit' }, entries: null }, 418));
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const error = await failure(client.send({ receptors: ['+989121234567'], message: 'hi', sender: '1000' }));

    // Assess
    expect([error.provider, error.code, error.failureClass, error.outcomeUnknown]).toEqual([
      'kavenegar',
      '418',
      'campaign',
      false,
    ]);
    expect(error.context).toMatchObject({
      operation: 'sms/send',
      httpStatus: 418,
      providerMessage: 'credit',
    });
  });

  it('treats a malformed 200 reply as bad_response, outcome unknown only for sends', async () => {
    // Prepare
    const fake = fakeFetch(() => new Response('<html>maintenance</html>', { status: 200 }));
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const sendError = await failure(
      client.send({ receptors: ['+989121234567'], message: 'hi', sender: '1000' }),
    );
    const statusError = await failure(client.status(['1']));

    // Assess
    expect([sendError.code, sendError.failureClass, sendError.outcomeUnknown]).toEqual([
      'bad_response',
      'retryable',
      true,
    ]);
    expect([statusError.code, statusError.outcomeUnknown]).toEqual(['bad_response', false]);
  });

  it('treats entries of the wrong shape as bad_response', async () => {
    // Prepare
    const fake = fakeFetch(() =>
      json({ return: { status: 200, message: 'ok' }, entries: [{ messageid: 1 }] }),
    );
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const error = await failure(client.send({ receptors: ['+989121234567'], message: 'hi', sender: '1000' }));

    // Assess
    expect([error.code, error.outcomeUnknown]).toEqual(['bad_response', true]);
  });

  it('treats a gateway 502 without envelope as retryable with an unknown send outcome', async () => {
    // Prepare
    const fake = fakeFetch(() => new Response('Bad Gateway', { status: 502 }));
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const error = await failure(client.send({ receptors: ['+989121234567'], message: 'hi', sender: '1000' }));

    // Assess
    expect([error.code, error.failureClass, error.outcomeUnknown]).toEqual(['http_502', 'retryable', true]);
  });

  it.each([
    [404, 'campaign'],
    [403, 'campaign'],
    [429, 'retryable'],
  ])('treats HTTP %i without envelope (a proxy, a wrong base URL) as %s', async (status, failureClass) => {
    // Prepare
    const fake = fakeFetch(() => new Response('<html>nope</html>', { status }));
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const error = await failure(client.accountInfo());

    // Assess
    expect([error.code, error.failureClass]).toEqual([`http_${status}`, failureClass]);
  });

  it('knows a refused connection sent nothing, but a reset one may have', async () => {
    // Prepare
    const failWith = (code: string) => () =>
      Promise.reject(new TypeError('fetch failed', { cause: { code } }));
    const refused = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fakeFetch(failWith('ECONNREFUSED')).fetch,
    });
    const reset = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fakeFetch(failWith('ECONNRESET')).fetch,
    });
    const input = { receptors: ['+989121234567'], message: 'hi', sender: '1000' };

    // Act
    const refusedError = await failure(refused.send(input));
    const resetError = await failure(reset.send(input));

    // Assess
    expect([refusedError.code, refusedError.failureClass, refusedError.outcomeUnknown]).toEqual([
      'network',
      'retryable',
      false,
    ]);
    expect([resetError.code, resetError.outcomeUnknown]).toEqual(['network', true]);
  });

  it('keeps the key out of the error even when the fetch error quotes the URL', async () => {
    // Prepare
    const fake = fakeFetch(() =>
      Promise.reject(new TypeError(`Failed to parse URL from ${BASE_URL}/v1/${API_KEY}/sms/send.json`)),
    );
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const error = await failure(client.send({ receptors: ['+989121234567'], message: 'hi', sender: '1000' }));

    // Assess
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    expect(cause).toContain('***');
    expect(`${error.message} ${JSON.stringify(error.context)} ${cause} ${error.stack}`).not.toContain(
      API_KEY,
    );
  });

  it.each([
    ['more than 200 receptors', '414', { receptors: Array.from({ length: 201 }, () => '+989121234567') }],
    ['a receptor that is no Iranian mobile', '411', { receptors: ['+989121234567', '+44201234567'] }],
    ['localIds not matching receptors', '400', { receptors: ['+989121234567'], localIds: ['a', 'b'] }],
    ['a localId with a comma', '400', { receptors: ['+989121234567'], localIds: ['a,b'] }],
  ])('refuses %s before any request', async (_case, code, overrides) => {
    // Prepare
    const fake = fakeFetch(() => json({}));
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const error = await failure(client.send({ message: 'hi', sender: '1000', ...overrides }));

    // Assess
    expect(error.code).toBe(code);
    expect(error.context.local).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses sendArray arrays of unequal length (419) and status past 500 ids (414) before any request', async () => {
    // Prepare
    const fake = fakeFetch(() => json({}));
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const unequal = await failure(
      client.sendArray({ receptors: ['+989121234567'], senders: ['1000', '1000'], messages: ['a'] }),
    );
    const tooMany = await failure(client.status(Array.from({ length: 501 }, (_, i) => String(i))));

    // Assess
    expect([unequal.code, tooMany.code]).toEqual(['419', '414']);
    expect(fake.calls).toHaveLength(0);
  });

  it('reads account/info as an object', async () => {
    // Prepare
    const fake = fakeFetch(() =>
      json({
        return: { status: 200, message: 'ok' },
        entries: { remaincredit: 5000, expiredate: 1_900_000_000, type: 'Master' },
      }),
    );
    const client = new KavenegarClient({
      baseUrl: BASE_URL,
      apiKey: API_KEY,
      timeoutMs: 1000,
      fetch: fake.fetch,
    });

    // Act
    const info = await client.accountInfo();

    // Assess
    expect(info).toEqual({ remainCredit: 5000, expireDate: 1_900_000_000, type: 'Master' });
  });
});
