import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient } from '../../../shared/domain/delivery';
import type { EmailMessage } from '../../../shared/domain/email-message';
import type { EmailAccountState } from '../../../shared/domain/email-sending';
import { ProviderError } from '../../../shared/domain/errors';
import type { Contact } from '../../../shared/domain/types';
import type { TokenKeyring } from '../../../shared/domain/unsubscribe-token';
import type { EmailAccount, EmailProvider } from '../../../shared/ports';
import {
  cachedReputation,
  EmailChannel,
  type EmailChannelDeps,
  type SendRate,
} from '../../../shared/use-cases/send-email';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';

const KEYRING: TokenKeyring = { current: 'k1', keys: { k1: { secret: 'a-test-secret' } } };
const CAMPAIGN: Campaign = campaignFixture({ channels: ['email'], status: 'sending' });
const TEMPLATES = (name: string) =>
  name === 'footer.email.html'
    ? '<p><a href="{{unsubscribeUrl}}">x</a></p>'
    : '<html><!--content--><!--footer--></html>';
const HEALTHY: EmailAccountState = { maxSendRate: 14, sendingEnabled: true, enforcementStatus: 'HEALTHY' };
const PAUSED: EmailAccountState = { ...HEALTHY, sendingEnabled: false };

function recipient(n: number): Recipient {
  const contact: Contact = {
    id: `c${n}`,
    ref: `ref-${n}-0000`,
    email: `c${n}@example.com`,
    locale: 'en',
    attributes: {},
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  return {
    key: { campaignId: CAMPAIGN.id, contactId: contact.id, channel: 'email' },
    claimId: `claim-${n}`,
    contact,
    address: contact.email ?? '',
    takeover: false,
  };
}
const recipients = (count: number) => Array.from({ length: count }, (_, n) => recipient(n));

/** Everything the channel did, in order: grants, SES calls, GetAccount reads, pauses. */
class Trace {
  readonly events: string[] = [];
  clock = 0;
}

class ScriptedAccount implements EmailAccount {
  constructor(
    private readonly trace: Trace,
    private readonly answers: EmailAccountState[],
  ) {}
  async state(options: { fresh?: boolean } = {}): Promise<EmailAccountState> {
    this.trace.events.push(options.fresh ? 'account:fresh' : 'account');
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    return answer as EmailAccountState;
  }
}

class ScriptedSes implements EmailProvider {
  readonly sent: EmailMessage[] = [];
  /** Errors for the next calls, in order; then every call is accepted. */
  readonly next: ProviderError[] = [];
  constructor(private readonly trace: Trace) {}
  async send(message: EmailMessage): Promise<{ messageId: string }> {
    this.trace.events.push(`send:${message.to}`);
    const error = this.next.shift();
    if (error) throw error;
    this.sent.push(message);
    return { messageId: `ses-${this.sent.length}` };
  }
}

function limiterFor(trace: Trace, most: number, rates: number[]): (perSecond: number) => SendRate {
  return (perSecond) => ({
    lease: async (max, options) => {
      rates.push(perSecond);
      const granted =
        options?.deadline !== undefined && trace.clock > options.deadline ? 0 : Math.min(max, most);
      trace.events.push(`grant:${granted}`);
      return {
        units: granted,
        release: async () => {
          trace.events.push('release');
        },
      };
    },
  });
}

const ses = (code: string, failureClass: 'retryable' | 'campaign' = 'retryable') =>
  new ProviderError('ses', code, failureClass, `SES SendEmail failed: ${code}: no`);

function channel(options: {
  account?: EmailAccountState[];
  grantAtMost?: number;
  overrides?: Partial<EmailChannelDeps>;
  maxWaitMs?: number;
  /** The invocation's deadline, on the trace's clock. */
  deadline?: number;
}) {
  const trace = new Trace();
  const email = new ScriptedSes(trace);
  const rates: number[] = [];
  const paused: string[] = [];
  const sender = new EmailChannel({
    email,
    keyring: async () => KEYRING,
    publicBaseUrl: 'https://api.chapar.test',
    templates: TEMPLATES,
    concurrency: 10,
    pacing: {
      account: new ScriptedAccount(trace, options.account ?? [HEALTHY]),
      limiter: limiterFor(trace, options.grantAtMost ?? 10, rates),
      maxWaitMs: options.maxWaitMs ?? 8_000,
      ...(options.deadline === undefined ? {} : { deadline: () => options.deadline }),
      now: () => trace.clock,
      sleep: async (ms) => {
        trace.clock += ms;
      },
    },
    pauseAll: async (reason) => {
      trace.events.push('pauseAll');
      paused.push(reason);
    },
    ...options.overrides,
  });
  return { trace, email, sender, rates, paused };
}

describe('EmailChannel at SES’s rate', () => {
  it('sends each slice right after its grant and releases it once answered, never more calls than granted, at GetAccount’s rate', async () => {
    // Prepare
    const { trace, sender, rates } = channel({ grantAtMost: 4 });

    // Act
    const results = await sender.send(CAMPAIGN, recipients(10));

    // Assess
    const shape = trace.events.map((event) => (event.startsWith('send:') ? 'send' : event));
    expect(shape).toEqual([
      'account',
      'grant:4',
      ...Array(4).fill('send'),
      'release',
      'grant:4',
      ...Array(4).fill('send'),
      'release',
      'grant:2',
      'send',
      'send',
      'release',
    ]);
    expect(rates).toEqual([14, 14, 14]);
    expect(results.every((result) => result.kind === 'sent')).toBe(true);
  });

  it('leases the whole rest of the message at once, and its concurrency bounds only the SES calls in flight', async () => {
    // Prepare: a limiter that grants up to 20 and records what was asked; SES answers slowly
    const asked: number[] = [];
    const sent: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const sender = new EmailChannel({
      email: {
        send: async (message) => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 1));
          inFlight -= 1;
          sent.push(message.to);
          return { messageId: `ses-${message.to}` };
        },
      },
      keyring: async () => KEYRING,
      publicBaseUrl: 'https://api.chapar.test',
      templates: TEMPLATES,
      concurrency: 3,
      pacing: {
        account: new ScriptedAccount(new Trace(), [HEALTHY]),
        limiter: () => ({
          lease: async (max) => {
            asked.push(max);
            return { units: Math.min(max, 20), release: async () => undefined };
          },
        }),
      },
    });

    // Act
    const results = await sender.send(CAMPAIGN, recipients(25));

    // Assess: two grants (20, then the 5 left), never more than 3 calls at once, each sent once
    expect(asked).toEqual([25, 5]);
    expect(mostInFlight).toBe(3);
    expect(results.every((result) => result.kind === 'sent')).toBe(true);
    expect(sent.sort()).toEqual(
      recipients(25)
        .map((r) => r.address)
        .sort(),
    );
  });

  it('sends throttled recipients again after a fresh GetAccount, at the new rate, each once', async () => {
    // Prepare: the first two calls are throttled; SES now says 5/s
    const { email, sender, rates, trace } = channel({ account: [HEALTHY, { ...HEALTHY, maxSendRate: 5 }] });
    email.next.push(ses('TooManyRequestsException'), ses('TooManyRequestsException'));

    // Act
    const results = await sender.send(CAMPAIGN, recipients(4));

    // Assess
    expect(results.map((result) => result.kind)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(email.sent.map((message) => message.to).sort()).toEqual(
      recipients(4)
        .map((r) => r.address)
        .sort(),
    );
    expect(trace.events).toContain('account:fresh');
    expect(rates).toEqual([14, 5]);
  });

  it('gives throttled recipients back to the queue once the wait is over, unsent, never failed', async () => {
    // Prepare: SES throttles every call
    const { email, sender } = channel({ maxWaitMs: 2_000 });
    for (let i = 0; i < 100; i += 1) email.next.push(ses('TooManyRequestsException'));

    // Act
    const results = await sender.send(CAMPAIGN, recipients(3));

    // Assess
    expect(results).toEqual(
      recipients(3).map(() => ({ kind: 'retry', reason: expect.stringContaining('TooManyRequests') })),
    );
    expect(email.sent).toEqual([]);
  });

  it('answers retry for everything when no budget came in time, before any SES call', async () => {
    // Prepare: the limiter's deadline passes before any room
    const trace = new Trace();
    const { sender, email } = channel({
      overrides: {
        pacing: {
          account: new ScriptedAccount(trace, [HEALTHY]),
          limiter: () => ({ lease: async () => ({ units: 0, release: async () => undefined }) }),
        },
      },
    });

    // Act
    const results = await sender.send(CAMPAIGN, recipients(2));

    // Assess
    const retry = { kind: 'retry', reason: 'ses:rate_limited no send budget in time' };
    expect(results).toEqual([retry, retry]);
    expect(email.sent).toEqual([]);
  });

  it('never waits past the invocation’s deadline, whatever maxWaitMs allows', async () => {
    // Prepare: the invocation must end its sends now; SES throttles the first call
    const { email, sender, trace } = channel({ maxWaitMs: 60_000, deadline: 100 });
    email.next.push(ses('TooManyRequestsException'));

    // Act
    const results = await sender.send(CAMPAIGN, recipients(1));

    // Assess: the backoff would end past the deadline, so the recipient goes back to the queue
    expect(results).toEqual([{ kind: 'retry', reason: 'ses:TooManyRequestsException' }]);
    expect(trace.clock).toBeLessThanOrEqual(100);
  });

  it('stops at SendingPausedException: the rest is not attempted, and every email campaign pauses', async () => {
    // Prepare
    const { email, sender, paused } = channel({ grantAtMost: 2 });
    email.next.push(ses('SendingPausedException', 'campaign'));

    // Act
    const results = await sender.send(CAMPAIGN, recipients(6));

    // Assess
    expect(results[0]).toEqual({ kind: 'stop', reason: expect.stringMatching(/^ses_sending_paused: /) });
    expect(results[1]?.kind).toBe('sent');
    expect(results.slice(2)).toEqual(results.slice(2).map(() => results[0]));
    expect(email.sent).toHaveLength(1);
    expect(paused).toEqual([(results[0] as { reason: string }).reason]);
  });

  it('never acts on a cached stopped account: asks again, and sends when sending is back', async () => {
    // Prepare: the cache says paused, a fresh read says healthy
    const { sender, trace } = channel({ account: [PAUSED, HEALTHY] });

    // Act
    const results = await sender.send(CAMPAIGN, recipients(1));

    // Assess
    expect(trace.events.slice(0, 2)).toEqual(['account', 'account:fresh']);
    expect(results[0]?.kind).toBe('sent');
  });

  it('pauses every email campaign, with no SES call, when GetAccount says sending is disabled', async () => {
    // Prepare
    const { sender, trace, paused } = channel({ account: [PAUSED] });

    // Act
    const results = await sender.send(CAMPAIGN, recipients(2));

    // Assess
    const reason = 'ses_sending_paused: GetAccount SendingEnabled false';
    expect(results).toEqual([
      { kind: 'stop', reason },
      { kind: 'stop', reason },
    ]);
    expect(paused).toEqual([reason]);
    expect(trace.events.some((event) => event.startsWith('send:') || event.startsWith('grant'))).toBe(false);
  });

  it('stops a campaign the reputation breaker tripped, before any grant', async () => {
    // Prepare
    const campaigns = new MemoryCampaignStore();
    await campaigns.create({ ...CAMPAIGN, status: 'sending' });
    for (let i = 0; i < 500; i += 1) campaigns.addCount(CAMPAIGN.id, 'sent');
    for (let i = 0; i < 13; i += 1) campaigns.addCount(CAMPAIGN.id, 'bounced');
    const { sender, trace } = channel({ overrides: { reputation: cachedReputation(campaigns) } });

    // Act
    const results = await sender.send(CAMPAIGN, recipients(2));

    // Assess
    const stop = { kind: 'stop', reason: 'reputation: bounce 2.6 % (13/500)' };
    expect(results).toEqual([stop, stop]);
    expect(trace.events.some((event) => event.startsWith('grant'))).toBe(false);
  });
  it('re-checks consent while an early lease waits for its moment, and calls SES only from notBefore on', async () => {
    // Prepare: each lease is granted 50 ms ahead of its moment; the re-check takes 20 ms
    const trace = new Trace();
    const asked: { early?: boolean; prepareMs?: number }[] = [];
    const sendsAt: number[] = [];
    const moments: number[] = [];
    const { sender } = channel({
      overrides: {
        email: {
          send: async (message) => {
            sendsAt.push(trace.clock);
            return { messageId: `ses-${message.to}` };
          },
        },
        pacing: {
          account: new ScriptedAccount(trace, [HEALTHY]),
          limiter: () => ({
            lease: async (max, options) => {
              asked.push({ early: options?.early, prepareMs: options?.prepareMs });
              const notBefore = trace.clock + 50;
              moments.push(notBefore);
              return { units: max, notBefore, release: async () => undefined };
            },
          }),
          now: () => trace.clock,
          sleep: async (ms) => {
            trace.clock += ms;
          },
        },
      },
    });
    const reachable = async (group: readonly Recipient[]) => {
      trace.events.push(`check@${trace.clock}`);
      trace.clock += 20;
      return new Set(group);
    };

    // Act: two messages, so the second lease asks with what the first re-check took
    const first = await sender.send(CAMPAIGN, recipients(3), reachable);
    const second = await sender.send(CAMPAIGN, recipients(2), reachable);

    // Assess
    expect([...first, ...second].every((result) => result.kind === 'sent')).toBe(true);
    expect(asked).toEqual([
      { early: true, prepareMs: undefined },
      { early: true, prepareMs: 20 },
    ]);
    // The re-check ran before the moment, the calls at it, not before.
    expect(trace.events.filter((event) => event.startsWith('check@'))).toEqual([
      'check@0',
      `check@${(moments[1] as number) - 50}`,
    ]);
    expect(sendsAt).toEqual([50, 50, 50, moments[1], moments[1]]);
  });
});
