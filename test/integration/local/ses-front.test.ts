import { randomUUID } from 'node:crypto';
import {
  AccountSuspendedException,
  GetAccountCommand,
  LimitExceededException,
  MessageRejected,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import type { Email } from 'aws-ses-v2-local/dist/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, start } from '../../../local/ses';
import { FaultBook } from '../../../local/ses-front/faults';
import { SesEmailProvider } from '../../../shared/adapters/ses/email-provider';
import { ProviderError } from '../../../shared/domain/errors';
import { sesFaults } from '../../support/ses-faults';

// Its own SES, not the shared emulators': faults such as a pause are account-wide.
let ses: SesEmulator;
let client: SESv2Client;
let faults: ReturnType<typeof sesFaults>;
const run = randomUUID().slice(0, 8);
let sequence = 0;

beforeAll(async () => {
  ses = await start({ port: 0 });
  // One attempt: the SDK's own retries would hide the fault the test is about.
  client = new SESv2Client({
    endpoint: ses.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  faults = sesFaults(ses.url);
});

afterEach(() => faults.clear());

afterAll(async () => {
  client?.destroy();
  await ses?.end();
});

function address(): string {
  sequence += 1;
  return `reader-${run}-${sequence}@example.com`;
}

function send(to: string = address()) {
  return client.send(
    new SendEmailCommand({
      FromEmailAddress: 'news@chapar.test',
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: `Subject ${run}` }, Body: { Text: { Data: 'Hello' } } } },
    }),
  );
}

/** What the SDK threw for a send (fails the test if the send went through). */
async function sendError(to?: string): Promise<SESv2ServiceException> {
  const error = await send(to).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof SESv2ServiceException))
    throw new Error(`expected an SES error, got ${String(error)}`);
  return error;
}

async function storedFor(to: string): Promise<Email[]> {
  const response = await fetch(`${ses.url}/store`);
  const { emails } = (await response.json()) as { emails: Email[] };
  return emails.filter((email) => email.destination.to.includes(to));
}

describe('the SES front passes aws-ses-v2-local through', () => {
  it('stores a SendEmail with no fault and keeps /store and the web inbox', async () => {
    // Prepare
    const to = address();

    // Act
    const { MessageId } = await send(to);

    // Assess
    expect(MessageId).toBeTruthy();
    expect((await storedFor(to)).map((email) => email.messageId)).toEqual([MessageId]);
    const inbox = await fetch(`${ses.url}/`);
    expect(inbox.status).toBe(200);
    expect(inbox.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers GetAccount itself in SESv2 shape, counting what was sent', async () => {
    // Prepare
    const before = await client.send(new GetAccountCommand({}));
    await send();

    // Act
    const account = await client.send(new GetAccountCommand({}));

    // Assess
    expect(account.SendingEnabled).toBe(true);
    expect(account.ProductionAccessEnabled).toBe(true);
    expect(account.EnforcementStatus).toBe('HEALTHY');
    expect(account.SendQuota).toEqual({
      MaxSendRate: 14,
      Max24HourSend: 50_000,
      SentLast24Hours: (before.SendQuota?.SentLast24Hours ?? 0) + 1,
    });
  });
});

describe('faults through the real SESv2 client', () => {
  it('throttles past maxSendRate with TooManyRequestsException (429) and shows the rate', async () => {
    // Prepare
    await faults.set({ maxSendRate: 3 });

    // Act
    const results = await Promise.allSettled([send(), send(), send(), send(), send()]);

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(refused).toHaveLength(2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(TooManyRequestsException);
      expect(error.$metadata.httpStatusCode).toBe(429);
      expect(error.message).toBe('Maximum sending rate exceeded.');
    }
    const account = await client.send(new GetAccountCommand({}));
    expect(account.SendQuota?.MaxSendRate).toBe(3);
  });

  it('answers SendingPausedException while sending is paused, and GetAccount says so', async () => {
    // Prepare
    await faults.set({ sendingPaused: true });
    const to = address();

    // Act
    const error = await sendError(to);

    // Assess
    expect(error).toBeInstanceOf(SendingPausedException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await client.send(new GetAccountCommand({}))).SendingEnabled).toBe(false);
    expect(await storedFor(to)).toEqual([]);
  });

  it('answers AccountSuspendedException while the account is suspended, and GetAccount says SHUTDOWN', async () => {
    // Prepare
    await faults.set({ accountSuspended: true });
    const to = address();

    // Act
    const error = await sendError(to);

    // Assess
    expect(error).toBeInstanceOf(AccountSuspendedException);
    const account = await client.send(new GetAccountCommand({}));
    expect(account).toMatchObject({ SendingEnabled: false, EnforcementStatus: 'SHUTDOWN' });
    expect(await storedFor(to)).toEqual([]);
  });

  it('measures accepted mail in sliding seconds at arrival, refusals by name and duplicates', async () => {
    // Prepare
    await faults.clearStats();
    await faults.set({ maxSendRate: 2 });
    const twice = address();

    // Act: two admitted, a third in the same second throttled
    const results = await Promise.allSettled([send(twice), send(twice), send()]);
    const stats = await faults.stats();
    const sent = await faults.sent();

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(stats).toMatchObject({
      acceptedCalls: 2,
      acceptedRecipients: 2,
      throttled: 1,
      refused: { TooManyRequestsException: 1 },
      busiestSlidingSecond: 2,
      answerMs: { median: expect.any(Number), p90: expect.any(Number) },
    });
    expect(Object.values(sent).reduce((sum, count) => sum + count, 0)).toBe(2);
    expect((await faults.clearStats()).acceptedCalls).toBe(0);
  });

  it('answers LimitExceededException with the daily-quota message', async () => {
    // Prepare
    await faults.set({ dailyQuotaExceeded: true });

    // Act
    const error = await sendError();

    // Assess
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.message).toBe('Daily message quota exceeded.');
    const quota = (await client.send(new GetAccountCommand({}))).SendQuota;
    expect(quota?.SentLast24Hours).toBeGreaterThanOrEqual(quota?.Max24HourSend ?? Number.POSITIVE_INFINITY);
  });

  it('rejects only the addresses named, in any case', async () => {
    // Prepare
    const rejected = address();
    await faults.set({ rejectAddresses: [rejected.toUpperCase()] });

    // Act
    const error = await sendError(rejected);
    const other = await send();

    // Assess
    expect(error).toBeInstanceOf(MessageRejected);
    expect(other.MessageId).toBeTruthy();
    expect(await storedFor(rejected)).toEqual([]);
  });

  const named = [
    ['InternalFailure', 500, SESv2ServiceException],
    ['ServiceUnavailable', 503, SESv2ServiceException],
    ['TooManyRequestsException', 429, TooManyRequestsException],
    ['SendingPausedException', 400, SendingPausedException],
    ['MessageRejected', 400, MessageRejected],
    ['AccountSuspendedException', 400, AccountSuspendedException],
    ['LimitExceededException', 400, LimitExceededException],
  ] as const;

  it.each(named)('answers failNext %s (%i) as the SDK class of that name', async (name, status, type) => {
    // Prepare
    await faults.set({ failNext: { error: name, count: 2 } });

    // Act
    const first = await sendError();
    const second = await sendError();
    const third = await send();

    // Assess
    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(type);
      expect(error.name).toBe(name);
      expect(error.$metadata.httpStatusCode).toBe(status);
    }
    expect(third.MessageId).toBeTruthy();
  });

  it('stores the mail and then answers 500 for failAfterAccept', async () => {
    // Prepare
    await faults.set({ failAfterAccept: 1 });
    const lost = address();

    // Act
    const error = await sendError(lost);
    const next = await send();

    // Assess
    expect(error.name).toBe('InternalFailure');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(await storedFor(lost)).toHaveLength(1);
    expect(next.MessageId).toBeTruthy();
  });

  it('gives the email adapter errors it classifies', async () => {
    // Prepare
    const provider = new SesEmailProvider(client, { from: 'news@chapar.test' });
    const message = (to: string) => ({ to, subject: 's', html: '<p>h</p>', text: 'h', headers: {} });
    const classOf = async (fault: Parameters<typeof faults.set>[0]) => {
      await faults.clear();
      await faults.set(fault);
      const error = await provider.send(message(address())).catch((thrown: unknown) => thrown);
      if (!(error instanceof ProviderError))
        throw new Error(`expected a ProviderError, got ${String(error)}`);
      return error.failureClass;
    };

    // Act
    const classes = {
      rate: await classOf({ failNext: { error: 'TooManyRequestsException', count: 1 } }),
      paused: await classOf({ sendingPaused: true }),
      quota: await classOf({ dailyQuotaExceeded: true }),
      suspended: await classOf({ failNext: { error: 'AccountSuspendedException', count: 1 } }),
      unavailable: await classOf({ failNext: { error: 'ServiceUnavailable', count: 1 } }),
      lost: await classOf({ failAfterAccept: 1 }),
    };
    const rejectedTo = address();
    await faults.set({ rejectAddresses: [rejectedTo] });
    const rejected = await provider.send(message(rejectedTo)).catch((thrown: unknown) => thrown);

    // Assess
    expect(classes).toEqual({
      rate: 'retryable',
      paused: 'campaign',
      quota: 'campaign',
      suspended: 'campaign',
      unavailable: 'retryable',
      lost: 'retryable',
    });
    expect(rejected).toBeInstanceOf(ProviderError);
    expect((rejected as ProviderError).failureClass).toBe('recipient');
  });
});

describe('the /_ses/faults control route', () => {
  const post = (body: string) =>
    fetch(`${ses.url}/_ses/faults`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });

  it('shows the faults set and lifts them all on DELETE', async () => {
    // Prepare
    await faults.set({ maxSendRate: 5, rejectAddresses: ['a@example.com'] });
    const shown = await faults.set({ sendingPaused: true, failNext: { error: 'InternalFailure', count: 3 } });

    // Act
    const cleared = await faults.clear();

    // Assess
    expect(shown).toEqual({
      maxSendRate: 5,
      sendingPaused: true,
      accountSuspended: false,
      dailyQuotaExceeded: false,
      rejectAddresses: ['a@example.com'],
      failNext: { error: 'InternalFailure', count: 3 },
      failAfterAccept: 0,
    });
    expect(await faults.get()).toEqual(cleared);
    expect(cleared).toEqual({
      sendingPaused: false,
      accountSuspended: false,
      dailyQuotaExceeded: false,
      rejectAddresses: [],
      failAfterAccept: 0,
    });
    expect((await send()).MessageId).toBeTruthy();
  });

  it.each([
    ['not JSON', '{', /body must be JSON/],
    ['an unknown field', '{"latencyMs": 5}', /latencyMs/],
    ['an unknown error name', '{"failNext": {"error": "Teapot", "count": 1}}', /failNext\.error/],
    ['a count of zero', '{"failNext": {"error": "InternalFailure", "count": 0}}', /failNext\.count/],
    ['a negative rate', '{"maxSendRate": -1}', /maxSendRate/],
    ['an address that is not one', '{"rejectAddresses": ["nobody"]}', /rejectAddresses\.0/],
  ])('refuses %s with 400 and a message', async (_, body, message) => {
    // Act
    const response = await post(body);

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(message);
    expect((await faults.get()).maxSendRate).toBeUndefined();
  });

  it('answers 404 to an unknown control route', async () => {
    // Act
    const response = await fetch(`${ses.url}/_ses/nothing`);

    // Assess
    expect(response.status).toBe(404);
  });
});

describe('the rate counts in any sliding second (FaultBook, no network)', () => {
  it('refuses a call less than a second after the rate was spent, across a clock second', () => {
    // Prepare
    const book = new FaultBook();
    book.merge({ maxSendRate: 2 });
    const at = (ms: number) => book.judge(['a@example.com'], ms).kind;

    // Act
    const verdicts = [at(10_900), at(10_950), at(11_100), at(11_899), at(11_900), at(11_950), at(11_960)];

    // Assess: 11_100 and 11_899 are in a new clock second, yet within a second of the first two.
    expect(verdicts).toEqual(['pass', 'pass', 'error', 'error', 'pass', 'pass', 'error']);
  });

  it('spends one call to several recipients whole while any of the rate is left', () => {
    // Prepare
    const book = new FaultBook();
    book.merge({ maxSendRate: 3 });

    // Act
    const many = book.judge(['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com'], 0).kind;
    const next = book.judge(['e@x.com'], 999).kind;
    const later = book.judge(['e@x.com'], 1_000).kind;

    // Assess
    expect([many, next, later]).toEqual(['pass', 'error', 'pass']);
  });
});
