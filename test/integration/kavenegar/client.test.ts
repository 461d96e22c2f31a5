import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { KavenegarClient } from '../../../shared/adapters/kavenegar/client';
import { KavenegarError } from '../../../shared/adapters/kavenegar/errors';
import { mobile, resetSim, setFaults, simMessages, simRequests, simRequestsText } from './sim-control';

const API_KEY = 'client-test-key-8d41c07e';
const LINE = '10008663';
const COST_PER_PART = 1_000;

let simulator: KavenegarSimulator;
let client: KavenegarClient;
let reportServer: Server;
const reports: Record<string, string>[] = [];
/** Every KavenegarError these tests saw, to check none carries the key. */
const seenErrors: KavenegarError[] = [];

async function failure(promise: Promise<unknown>): Promise<KavenegarError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof KavenegarError)) throw new Error(`expected a KavenegarError, got ${String(error)}`);
  seenErrors.push(error);
  return error;
}

function clientWith(overrides: { apiKey?: string; timeoutMs?: number } = {}): KavenegarClient {
  return new KavenegarClient({ baseUrl: simulator.url, apiKey: API_KEY, timeoutMs: 5_000, ...overrides });
}

beforeAll(async () => {
  reportServer = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      reports.push(Object.fromEntries(new URLSearchParams(body)));
      response.end();
    });
  });
  await new Promise<void>((resolve) => reportServer.listen(0, '127.0.0.1', resolve));
  const { port } = reportServer.address() as AddressInfo;
  simulator = await startKavenegarSimulator({
    port: 0,
    apiKey: API_KEY,
    lines: [LINE],
    costPerPart: COST_PER_PART,
    callbackUrl: `http://127.0.0.1:${port}/delivery`,
    statusDelaysMs: { operator: 20, final: 80 },
  });
  client = clientWith();
});

afterEach(async () => {
  await resetSim(simulator.url);
});

afterAll(async () => {
  await simulator.end();
  await new Promise<void>((resolve) => reportServer.close(() => resolve()));
});

describe('KavenegarClient against the simulator', () => {
  it('sends one text to several receptors and returns one entry each', async () => {
    // Prepare
    const receptors = [mobile(1), mobile(2), mobile(3)];

    // Act
    const entries = await client.send({
      receptors,
      message: 'Hello',
      sender: LINE,
      localIds: ['l1', 'l2', 'l3'],
    });

    // Assess
    expect(entries.map((entry) => entry.receptor)).toEqual(receptors);
    expect(
      entries.every((entry) => entry.status === 1 && entry.sender === LINE && entry.cost === COST_PER_PART),
    ).toBe(true);
    expect(new Set(entries.map((entry) => entry.messageId)).size).toBe(3);
    const stored = await simMessages(simulator.url);
    expect(stored.map((message) => [message.receptor, message.localid])).toEqual([
      ['09120000001', 'l1'],
      ['09120000002', 'l2'],
      ['09120000003', 'l3'],
    ]);
  });

  it('sends personalised texts through sendarray', async () => {
    // Prepare
    const receptors = [mobile(1), mobile(2)];

    // Act
    const entries = await client.sendArray({
      receptors,
      senders: [LINE, LINE],
      messages: ['سلام علی', 'سلام مریم'],
      localIds: ['p1', 'p2'],
    });

    // Assess
    expect(entries.map((entry) => [entry.receptor, entry.message])).toEqual([
      [mobile(1), 'سلام علی'],
      [mobile(2), 'سلام مریم'],
    ]);
    const stored = await simMessages(simulator.url);
    expect(stored.map((message) => message.localid)).toEqual(['p1', 'p2']);
  });

  it('reports statuses by message id and by local id, 100 for an unknown id', async () => {
    // Prepare
    const [sent] = await client.send({
      receptors: [mobile(7)],
      message: 'Hi',
      sender: LINE,
      localIds: ['local-7'],
    });

    // Act
    const byId = await client.status([sent?.messageId ?? '', '999']);
    const byLocalId = await client.statusByLocalId(['local-7']);

    // Assess
    expect(byId[0]?.messageId).toBe(sent?.messageId);
    expect([1, 4, 10]).toContain(byId[0]?.status);
    expect(byId[1]?.status).toBe(100);
    expect(byLocalId[0]).toMatchObject({ messageId: sent?.messageId, localId: 'local-7' });
  });

  it('charges UCS-2 parts against the credit that accountInfo reports', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 50_000 });

    // Act
    const [entry] = await client.send({ receptors: [mobile(1)], message: 'س'.repeat(71), sender: LINE });
    const info = await client.accountInfo();

    // Assess
    expect(entry?.cost).toBe(2 * COST_PER_PART);
    expect(info.remainCredit).toBe(50_000 - 2 * COST_PER_PART);
    expect(info.expireDate).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers 403 to a wrong key, a campaign failure', async () => {
    // Act
    const error = await failure(clientWith({ apiKey: 'not-the-key' }).accountInfo());

    // Assess
    expect([error.code, error.failureClass]).toEqual(['403', 'campaign']);
  });

  it('answers 412 to a sender that is not a line of the account', async () => {
    // Act
    const error = await failure(client.send({ receptors: [mobile(1)], message: 'Hi', sender: '30001111' }));

    // Assess
    expect([error.code, error.failureClass, error.outcomeUnknown]).toEqual(['412', 'campaign', false]);
    expect(await simMessages(simulator.url)).toEqual([]);
  });

  it('refuses more than 200 receptors with 414 without calling Kavenegar', async () => {
    // Prepare
    const receptors = Array.from({ length: 201 }, (_, i) => mobile(i));

    // Act
    const error = await failure(client.send({ receptors, message: 'Hi', sender: LINE }));

    // Assess
    expect([error.code, error.failureClass]).toEqual(['414', 'message']);
    expect(await simRequests(simulator.url)).toEqual([]);
  });

  it('answers 413 to a text over 900 characters', async () => {
    // Act
    const error = await failure(
      client.send({ receptors: [mobile(1)], message: 'a'.repeat(901), sender: LINE }),
    );

    // Assess
    expect([error.code, error.failureClass]).toEqual(['413', 'message']);
  });

  it('answers 418 once the credit runs out, and sends nothing of that call', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 2_500 });
    await client.send({ receptors: [mobile(1)], message: 'Hi', sender: LINE });

    // Act
    const error = await failure(
      client.send({ receptors: [mobile(2), mobile(3)], message: 'Hi', sender: LINE }),
    );

    // Assess
    expect([error.code, error.failureClass]).toEqual(['418', 'campaign']);
    expect((await simMessages(simulator.url)).map((message) => message.receptor)).toEqual(['09120000001']);
  });

  it('answers 451 past rateLimitPerSecond, a retryable failure', async () => {
    // Prepare
    await setFaults(simulator.url, { rateLimitPerSecond: 2 });

    // Act
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.accountInfo()));

    // Assess
    const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(rejected).toHaveLength(3);
    for (const reason of rejected) {
      expect(reason).toBeInstanceOf(KavenegarError);
      expect(reason).toMatchObject({ code: '451', failureClass: 'retryable' });
    }
  });

  it('answers the failNext code to the next calls only', async () => {
    // Prepare
    await setFaults(simulator.url, { failNext: { code: 409, count: 2 } });

    // Act
    const first = await failure(client.accountInfo());
    const second = await failure(client.status(['1']));
    const third = await client.accountInfo();

    // Assess
    expect([first.code, first.failureClass, second.code]).toEqual(['409', 'retryable', '409']);
    expect(third.type).toBe('Master');
  });

  it('gives a retryable timeout with an unknown outcome when the answer comes too late', async () => {
    // Prepare
    await setFaults(simulator.url, { latencyMs: 1_000 });
    const impatient = clientWith({ timeoutMs: 100 });

    // Act
    const sendError = await failure(impatient.send({ receptors: [mobile(1)], message: 'Hi', sender: LINE }));
    const statusError = await failure(impatient.status(['1']));

    // Assess
    expect([sendError.code, sendError.failureClass, sendError.outcomeUnknown]).toEqual([
      'timeout',
      'retryable',
      true,
    ]);
    expect([statusError.code, statusError.outcomeUnknown]).toEqual(['timeout', false]);
    // The outcome really was unknown: Kavenegar accepted the SMS it never confirmed.
    expect(await simMessages(simulator.url)).toHaveLength(1);
  });

  it('moves a message to its steered final status and posts a delivery report', async () => {
    // Prepare
    await setFaults(simulator.url, { statusFor: { '09121110000': 14 } });
    const [sent] = await client.send({ receptors: ['+989121110000'], message: 'Offer', sender: LINE });
    const messageId = sent?.messageId ?? '';

    // Act
    await vi.waitFor(
      async () => {
        const [entry] = await client.status([messageId]);
        expect(entry?.status).toBe(14);
      },
      { timeout: 10_000, interval: 50 },
    );

    // Assess
    await vi.waitFor(() => expect(reports).toContainEqual({ messageid: messageId, status: '14' }), {
      timeout: 10_000,
      interval: 50,
    });
  });

  it('never lets the API key into an error or /_sim/requests', async () => {
    // Prepare
    await failure(client.send({ receptors: [mobile(1)], message: 'Hi', sender: '999' }));
    await failure(clientWith({ apiKey: `${API_KEY}-wrong` }).accountInfo());
    await client.accountInfo();

    // Act
    const requests = await simRequestsText(simulator.url);
    const errors = seenErrors.map(
      (error) => `${error.message} ${JSON.stringify(error.context)} ${error.stack}`,
    );

    // Assess
    expect(seenErrors.length).toBeGreaterThan(5);
    expect(requests).toContain('/v1/***/sms/send.json');
    expect(requests).not.toContain(API_KEY);
    for (const text of errors) expect(text).not.toContain(API_KEY);
  });
});
