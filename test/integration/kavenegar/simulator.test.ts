import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { clearFaults, mobile, resetSim, setFaults, simMessages, simRequests } from './sim-control';

const API_KEY = 'simulator-test-key-27be90';
const LINES = ['10008663', '30004505'];
const COST_PER_PART = 1_000;

let simulator: KavenegarSimulator;

interface Answer {
  readonly http: number;
  readonly status: number;
  readonly entries: unknown;
}

/** Calls the simulated API directly: POST with a form, or GET with a query string. */
async function call(
  method: string,
  params: Record<string, string> = {},
  verb = 'POST',
  key = API_KEY,
): Promise<Answer> {
  const form = new URLSearchParams(params).toString();
  const base = `${simulator.url}/v1/${key}/${method}.json`;
  const response =
    verb === 'GET'
      ? await fetch(`${base}?${form}`)
      : await fetch(base, {
          method: verb,
          body: form,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
  const body = (await response.json()) as { return: { status: number; message: string }; entries: unknown };
  return { http: response.status, status: body.return.status, entries: body.entries };
}

function sendEntries(
  answer: Answer,
): { messageid: number; status: number; cost: number; receptor: string }[] {
  return answer.entries as { messageid: number; status: number; cost: number; receptor: string }[];
}

beforeAll(async () => {
  simulator = await startKavenegarSimulator({
    port: 0,
    apiKey: API_KEY,
    lines: LINES,
    costPerPart: COST_PER_PART,
    statusDelaysMs: { operator: 10, final: 30 },
  });
});

afterEach(async () => {
  await resetSim(simulator.url);
});

afterAll(async () => {
  await simulator.end();
});

describe('Kavenegar simulator', () => {
  it('accepts GET with a query string and answers the envelope with HTTP status = return.status', async () => {
    // Act
    const answer = await call(
      'sms/send',
      { receptor: '09121234567', message: 'Hi', sender: LINES[0] ?? '' },
      'GET',
    );

    // Assess
    expect([answer.http, answer.status]).toEqual([200, 200]);
    expect(sendEntries(answer)[0]).toMatchObject({ receptor: '09121234567', status: 1, cost: COST_PER_PART });
  });

  it('uses the default line when sender is absent', async () => {
    // Act
    await call('sms/send', { receptor: '09121234567', message: 'Hi' });

    // Assess
    expect((await simMessages(simulator.url))[0]?.sender).toBe(LINES[0]);
  });

  it.each([
    ['a wrong key', 'account/info', {}, 'POST', 'wrong', 403],
    ['an unknown method', 'sms/fly', {}, 'POST', API_KEY, 404],
    ['sendarray over GET', 'sms/sendarray', {}, 'GET', API_KEY, 405],
    ['a PUT', 'account/info', {}, 'PUT', API_KEY, 405],
    ['missing parameters', 'sms/send', { message: 'Hi' }, 'POST', API_KEY, 400],
    ['an empty receptor', 'sms/send', { receptor: '', message: 'Hi' }, 'POST', API_KEY, 406],
    ['an empty message', 'sms/send', { receptor: '09121234567', message: '' }, 'POST', API_KEY, 413],
    [
      'a message over 900',
      'sms/send',
      { receptor: '09121234567', message: 'a'.repeat(901) },
      'POST',
      API_KEY,
      413,
    ],
    [
      'a foreign sender',
      'sms/send',
      { receptor: '09121234567', message: 'Hi', sender: '2000' },
      'POST',
      API_KEY,
      412,
    ],
    ['a landline receptor', 'sms/send', { receptor: '02112345678', message: 'Hi' }, 'POST', API_KEY, 411],
    [
      'an unknown operator range',
      'sms/send',
      { receptor: '09501234567', message: 'Hi' },
      'POST',
      API_KEY,
      411,
    ],
    [
      'a past date',
      'sms/send',
      { receptor: '09121234567', message: 'Hi', date: '1000000000' },
      'POST',
      API_KEY,
      417,
    ],
    ['no message id', 'sms/status', {}, 'POST', API_KEY, 400],
  ])('answers %s with its code and null entries', async (_case, method, params, verb, key, code) => {
    // Act
    const answer = await call(method, params, verb, key);

    // Assess
    expect([answer.http, answer.status, answer.entries]).toEqual([code, code, null]);
  });

  it('answers 414 past 200 receptors and past 500 status ids', async () => {
    // Prepare
    const receptors = Array.from({ length: 201 }, (_, i) => `0912${String(i).padStart(7, '0')}`).join(',');
    const ids = Array.from({ length: 501 }, (_, i) => String(i + 1)).join(',');

    // Act
    const send = await call('sms/send', { receptor: receptors, message: 'Hi' });
    const status = await call('sms/status', { messageid: ids });

    // Assess
    expect([send.status, status.status]).toEqual([414, 414]);
    expect(await simMessages(simulator.url)).toEqual([]);
  });

  it('answers 419 to sendarray arrays of unequal length', async () => {
    // Act
    const answer = await call('sms/sendarray', {
      receptor: JSON.stringify(['09121234567', '09351234567']),
      sender: JSON.stringify([LINES[0]]),
      message: JSON.stringify(['a', 'b']),
    });

    // Assess
    expect(answer.status).toBe(419);
  });

  it.each([
    ['70 Persian characters', 'س'.repeat(70), 1],
    ['71 Persian characters', 'س'.repeat(71), 2],
    ['134 Persian characters', 'س'.repeat(134), 2],
    ['135 Persian characters', 'س'.repeat(135), 3],
    ['160 Latin characters', 'a'.repeat(160), 1],
    ['161 Latin characters', 'a'.repeat(161), 2],
    ['Latin text with one Persian letter', `${'a'.repeat(70)}س`, 2],
    ['80 GSM extension characters', '€'.repeat(80), 1],
  ])('bills %s as %i part(s)', async (_case, message, parts) => {
    // Act
    const answer = await call('sms/send', { receptor: '09121234567', message });

    // Assess
    expect(sendEntries(answer)[0]?.cost).toBe(parts * COST_PER_PART);
  });

  it('schedules a future date as status 2 and cancels it with a refund', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 10_000 });
    const date = String(Math.floor(Date.now() / 1000) + 3600);
    const sent = await call('sms/send', { receptor: '09121234567', message: 'Later', date });
    const messageid = String(sendEntries(sent)[0]?.messageid);

    // Act
    const cancelled = await call('sms/cancel', { messageid });
    const info = await call('account/info');

    // Assess
    expect(sendEntries(sent)[0]?.status).toBe(2);
    expect(cancelled.entries).toEqual([
      { messageid: Number(messageid), status: 13, statustext: expect.any(String) },
    ]);
    expect(info.entries).toMatchObject({ remaincredit: 10_000, type: 'Master' });
  });

  it('moves statuses 1 -> 4 -> 10 by default and refunds a blocked (14) message', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 10_000, statusFor: { '+989351234567': 14 } });

    // Act
    await call('sms/send', { receptor: '09121234567,09351234567', message: 'Hi' });

    // Assess
    await vi.waitFor(
      async () => {
        const statuses = (await simMessages(simulator.url)).map((message) => message.status);
        expect(statuses).toEqual([10, 14]);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect((await call('account/info')).entries).toMatchObject({ remaincredit: 10_000 - COST_PER_PART });
  });

  it('records every API call with the key masked, the answer code and its arrival time', async () => {
    // Prepare
    const before = Date.now();

    // Act
    await call('sms/send', { receptor: '09121234567', message: 'Hi' });
    await call('account/info', {}, 'GET', 'some-other-key');

    // Assess
    const requests = await simRequests(simulator.url);
    expect(requests).toEqual([
      {
        method: 'POST',
        path: '/v1/***/sms/send.json',
        params: { receptor: '09121234567', message: 'Hi' },
        code: 200,
        at: expect.any(Number),
      },
      { method: 'GET', path: '/v1/***/account/info.json', params: {}, code: 403, at: expect.any(Number) },
    ]);
    const [first, second] = requests.map((request) => request.at);
    expect(first).toBeGreaterThanOrEqual(before);
    expect(second).toBeGreaterThanOrEqual(first ?? Number.POSITIVE_INFINITY);
    expect(second).toBeLessThanOrEqual(Date.now());
  });

  it('spends the credit per part at a price set through the control API, and restores both on DELETE', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 10_000, costPerPart: 2_500 });

    // Act
    const sent = await call('sms/send', { receptor: '09121234567', message: 'x'.repeat(161) });
    const spent = await call('account/info');
    await clearFaults(simulator.url);
    const restored = await fetch(`${simulator.url}/_sim/faults`).then((response) => response.json());

    // Assess: two GSM-7 parts
    expect(sendEntries(sent)[0]?.cost).toBe(5_000);
    expect(spent.entries).toMatchObject({ remaincredit: 5_000 });
    expect(restored).toMatchObject({ credit: 1e12, costPerPart: COST_PER_PART });
  });

  it('restores the starting credit and lifts faults on DELETE /_sim/faults', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 0, failNext: { code: 402, count: 5 } });

    // Act
    await clearFaults(simulator.url);
    const info = await call('account/info');

    // Assess
    expect([info.status, (info.entries as { remaincredit: number }).remaincredit]).toEqual([200, 1e12]);
  });

  it('refuses malformed faults', async () => {
    // Act
    const response = await fetch(`${simulator.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ statusFor: { 'not-a-number': 14 } }),
    });

    // Assess
    expect(response.status).toBe(400);
  });

  it('forgets messages and requests on POST /_sim/reset', async () => {
    // Prepare
    await call('sms/send', { receptor: mobile(1), message: 'Hi' });

    // Act
    await resetSim(simulator.url);

    // Assess
    expect([await simMessages(simulator.url), await simRequests(simulator.url)]).toEqual([[], []]);
  });
});
