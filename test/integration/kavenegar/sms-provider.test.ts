import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { KavenegarClient } from '../../../shared/adapters/kavenegar/client';
import { KavenegarSmsProvider } from '../../../shared/adapters/kavenegar/sms-provider';
import type { SmsMessage } from '../../../shared/domain/sms';
import { mobile, resetSim, setFaults, simMessages, simRequests } from './sim-control';

const API_KEY = 'provider-test-key-c4e19a';
/** The adapter's line is deliberately not the account's first (default) line. */
const DEFAULT_LINE = '10008663';
const CHAPAR_LINE = '30004505';
const COST_PER_PART = 1_000;
/** In the Iranian numbering plan's shape, but in no operator's range: Kavenegar answers 411. */
const UNKNOWN_RANGE = '+989501234567';

let simulator: KavenegarSimulator;
let provider: KavenegarSmsProvider;

function messages(count: number, text: (i: number) => string = () => 'Spring sale: 20% off'): SmsMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    receptor: mobile(i),
    text: text(i),
    localId: `camp-1#c-${i}`,
  }));
}

beforeAll(async () => {
  simulator = await startKavenegarSimulator({
    port: 0,
    apiKey: API_KEY,
    lines: [DEFAULT_LINE, CHAPAR_LINE],
    costPerPart: COST_PER_PART,
  });
  const client = new KavenegarClient({ baseUrl: simulator.url, apiKey: API_KEY, timeoutMs: 5_000 });
  provider = new KavenegarSmsProvider({ client, sender: CHAPAR_LINE });
});

afterEach(async () => {
  await resetSim(simulator.url);
});

afterAll(async () => {
  await simulator.end();
});

describe('KavenegarSmsProvider', () => {
  it('sends one text to 450 recipients in 3 sms/send calls and returns receipts in input order', async () => {
    // Prepare
    const batch = messages(450);

    // Act
    const { receipts } = await provider.sendDetailed(batch);

    // Assess
    const calls = await simRequests(simulator.url);
    expect(calls.map((call) => [call.path, call.params.receptor?.split(',').length])).toEqual([
      ['/v1/***/sms/send.json', 200],
      ['/v1/***/sms/send.json', 200],
      ['/v1/***/sms/send.json', 50],
    ]);
    expect(receipts.map((receipt) => [receipt.receptor, receipt.localId])).toEqual(
      batch.map((message) => [message.receptor, message.localId]),
    );
    expect(receipts.every((receipt) => receipt.status === 1 && receipt.cost === COST_PER_PART)).toBe(true);
    expect(new Set(receipts.map((receipt) => receipt.messageId)).size).toBe(450);
  });

  it('sends personalised texts through sms/sendarray', async () => {
    // Prepare
    const batch = messages(3, (i) => `سلام ${['علی', 'مریم', 'سارا'][i]}، تخفیف ویژه شما`);

    // Act
    const { receipts } = await provider.sendDetailed(batch);

    // Assess
    expect((await simRequests(simulator.url)).map((call) => call.path)).toEqual([
      '/v1/***/sms/sendarray.json',
    ]);
    const stored = await simMessages(simulator.url);
    expect(stored.map((message) => [message.receptor, message.message, message.localid])).toEqual([
      ['09120000000', 'سلام علی، تخفیف ویژه شما', 'camp-1#c-0'],
      ['09120000001', 'سلام مریم، تخفیف ویژه شما', 'camp-1#c-1'],
      ['09120000002', 'سلام سارا، تخفیف ویژه شما', 'camp-1#c-2'],
    ]);
    expect(receipts.map((receipt) => receipt.messageId)).toEqual(
      stored.map((message) => String(message.messageid)),
    );
  });

  it('sends every SMS from the configured line', async () => {
    // Prepare
    const batch = [
      ...messages(3),
      ...messages(2, (i) => `Hi ${i}`).map((m, i) => ({ ...m, localId: `p-${i}` })),
    ];

    // Act
    await provider.sendDetailed(batch);

    // Assess
    const senders = new Set((await simMessages(simulator.url)).map((message) => message.sender));
    expect([...senders]).toEqual([CHAPAR_LINE]);
  });

  it('isolates a receptor Kavenegar refuses (411) so only it fails', async () => {
    // Prepare
    const batch = messages(4);
    batch[2] = { ...batch[2], receptor: UNKNOWN_RANGE, text: 'Spring sale: 20% off', localId: 'camp-1#bad' };

    // Act
    const outcome = await provider.sendDetailed(batch);

    // Assess
    expect(outcome.receipts.map((receipt) => receipt.localId)).toEqual([
      'camp-1#c-0',
      'camp-1#c-1',
      'camp-1#c-3',
    ]);
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]?.localId).toBe('camp-1#bad');
    expect(outcome.failures[0]?.error).toMatchObject({ code: '411', failureClass: 'recipient' });
    expect((await simRequests(simulator.url)).map((call) => call.code)).toEqual([411, 200, 200, 411, 200]);
    expect(await simMessages(simulator.url)).toHaveLength(3);
  });

  it('fails locally a receptor that is no Iranian mobile, without a call for it', async () => {
    // Prepare
    const batch = [
      ...messages(2),
      { receptor: '+442071234567', text: 'Spring sale: 20% off', localId: 'uk' },
    ];

    // Act
    const outcome = await provider.sendDetailed(batch);

    // Assess
    expect(outcome.receipts).toHaveLength(2);
    expect(outcome.failures.map((failure) => [failure.localId, failure.error.code])).toEqual([['uk', '411']]);
    expect(await simRequests(simulator.url)).toHaveLength(1);
  });

  it('stops after a campaign failure: later calls are not attempted', async () => {
    // Prepare
    await setFaults(simulator.url, { credit: 250 * COST_PER_PART });
    const batch = messages(450);

    // Act
    const outcome = await provider.sendDetailed(batch);

    // Assess
    expect(outcome.receipts).toHaveLength(200);
    expect(outcome.failures).toHaveLength(250);
    expect(outcome.failures.every((failure) => failure.error.code === '418')).toBe(true);
    expect(outcome.failures.every((failure) => failure.error.failureClass === 'campaign')).toBe(true);
    expect((await simRequests(simulator.url)).map((call) => call.code)).toEqual([200, 418]);
  });

  it('answers nothing and calls nothing for no message', async () => {
    // Act
    const outcome = await provider.sendDetailed([]);

    // Assess
    expect(outcome).toEqual({ receipts: [], failures: [] });
    expect(await simRequests(simulator.url)).toEqual([]);
  });
});
