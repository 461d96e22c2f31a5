import { describe, expect, it } from 'vitest';
import { RateLimitedSmsProvider } from '../../../shared/adapters/rate-limited-sms-provider';
import type { ConsentEvent } from '../../../shared/domain/consent';
import type { EmailMessage } from '../../../shared/domain/email-message';
import type { SmsMessage, SmsSendOutcome } from '../../../shared/domain/sms';
import type { Channel, Contact } from '../../../shared/domain/types';
import type { DeliverDeps, PartialRateLimiter, RateLease } from '../../../shared/ports';
import { deliverRecipients } from '../../../shared/use-cases/deliver-recipients';
import { EmailChannel } from '../../../shared/use-cases/send-email';
import { SmsChannel } from '../../../shared/use-cases/send-sms';
import { sendingCampaign } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { FakeEmailProvider } from '../../support/fakes/email-provider';
import { MemoryLinkStore } from '../../support/fakes/link-store';
import { FakeSmsLookup, FakeSmsProvider } from '../../support/fakes/sms';

const NOW = new Date('2025-06-01T10:00:00.000Z');

/** Grants one unit per request, as a shared rate that is nearly spent does, and counts the units. */
class OneAtATimeLimiter implements PartialRateLimiter {
  spent = 0;
  async acquire(units: number): Promise<void> {
    this.spent += units;
  }
  async acquireUpTo(): Promise<number> {
    this.spent += 1;
    return 1;
  }
  /** Counts leases released, so a slice whose messages were dropped is seen to release too. */
  released = 0;
  async lease(): Promise<RateLease> {
    this.spent += 1;
    return {
      units: 1,
      notBefore: 0,
      release: async () => {
        this.released += 1;
      },
    };
  }
}

function contact(id: string): Contact {
  return {
    id,
    ref: `ref-${id}-0000`,
    phone: `+98912000000${id.slice(-1)}`,
    email: `${id}@example.com`,
    locale: 'fa',
    name: id,
    attributes: {},
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

function optOut(contactId: string, channel: Channel, at: string): ConsentEvent {
  return {
    id: `e-${contactId}`,
    contactId,
    action: 'opt_out',
    channel,
    topic: '*',
    source: 'one-click',
    at,
    evidence: {},
  };
}

async function world(channel: Channel) {
  const campaigns = new MemoryCampaignStore();
  const deliveries = new MemoryDeliveryStore(campaigns);
  const consent = new MemoryConsentStore();
  const contacts = ['c1', 'c2', 'c3'].map(contact);
  const campaign = await sendingCampaign(campaigns, contacts.length, {
    channels: [channel],
    topic: 'newsletter',
    sms: { text: 'سلام {{name}}' },
    email: { subject: 'News', html: '<p>Hello</p>' },
  });
  const deps: DeliverDeps = {
    campaigns,
    contacts: new MemoryContactStore(contacts),
    consent,
    deliveries,
    alarms: new RecordingAlarms(),
    now: () => NOW,
    leaseMs: 60_000,
  };
  const message = { v: 1 as const, campaignId: campaign.id, channel, contactIds: ['c1', 'c2', 'c3'] };
  const outcome = (contactId: string) =>
    deliveries.item({ campaignId: campaign.id, contactId, channel })?.status;
  const stats = async () => (await campaigns.getWithStats(campaign.id))?.stats;
  return { deps, consent, message, outcome, stats, campaigns, campaign };
}

describe('consent checked again right before each provider call', () => {
  it('never sends an SMS to a recipient who opted out after the claims, while earlier slices went out', async () => {
    // Prepare: the first slice's call records c2's opt-out, as a click during a long batch would.
    const { deps, consent, message, outcome, stats } = await world('sms');
    const provider = new FakeSmsProvider();
    const afterFirstCall = {
      async sendDetailed(messages: readonly SmsMessage[]): Promise<SmsSendOutcome> {
        const answer = await provider.sendDetailed(messages);
        if (provider.calls.length === 1) await consent.record(optOut('c2', 'sms', NOW.toISOString()));
        return answer;
      },
    };
    const limiter = new OneAtATimeLimiter();
    const sender = new SmsChannel({
      sms: new RateLimitedSmsProvider(afterFirstCall, limiter),
      lookup: new FakeSmsLookup(provider.accepted),
      links: new MemoryLinkStore(),
      layout: { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' },
    });

    // Act
    await deliverRecipients(deps, sender, message);

    // Assess
    expect(provider.sent.map((sms) => sms.receptor)).toEqual(['+989120000001', '+989120000003']);
    expect([outcome('c1'), outcome('c2'), outcome('c3')]).toEqual(['sent', 'suppressed', 'sent']);
    expect(await stats()).toMatchObject({ sent: 2, suppressed: 1, queued: 0 });
    // The unit granted for c2's slice stays spent.
    expect(limiter.spent).toBe(3);
    expect(limiter.released).toBe(3);
  });

  it('never sends an email to a recipient who opted out while earlier emails of the batch went out', async () => {
    // Prepare
    const { deps, consent, message, outcome, stats } = await world('email');
    const email = new FakeEmailProvider();
    const clicking = {
      async send(mail: EmailMessage) {
        const answer = await email.send(mail);
        if (mail.to === 'c1@example.com') await consent.record(optOut('c2', 'email', NOW.toISOString()));
        return answer;
      },
    };
    const sender = new EmailChannel({
      email: clicking,
      keyring: async () => ({ current: 'k1', keys: { k1: { secret: 'a-test-secret' } } }),
      publicBaseUrl: 'https://api.chapar.test',
      templates: () => '<html><body><!--content--><!--footer--></body></html>',
      concurrency: 1,
    });

    // Act
    await deliverRecipients(deps, sender, message);

    // Assess
    expect(email.sent.map((mail) => mail.to)).toEqual(['c1@example.com', 'c3@example.com']);
    expect([outcome('c1'), outcome('c2'), outcome('c3')]).toEqual(['sent', 'suppressed', 'sent']);
    expect(await stats()).toMatchObject({ sent: 2, suppressed: 1, queued: 0 });
  });
});

describe('RateLimitedSmsProvider beforeCall', () => {
  const sms = (id: string): SmsMessage => ({ receptor: `+98912000000${id}`, text: 'hi', localId: id });

  it('drops what the hook takes out, makes no call for an empty slice and keeps its units spent', async () => {
    // Prepare
    const provider = new FakeSmsProvider();
    const limiter = new OneAtATimeLimiter();
    const rateLimited = new RateLimitedSmsProvider(provider, limiter);

    // Act
    const outcome = await rateLimited.sendDetailed([sms('1'), sms('2'), sms('3')], {
      beforeCall: async (slice) => slice.filter((message) => message.localId !== '2'),
    });

    // Assess
    expect(provider.calls.map((call) => call.map((message) => message.localId))).toEqual([['1'], ['3']]);
    expect(outcome.dropped).toEqual(['2']);
    expect(outcome.failures).toEqual([]);
    expect(limiter.spent).toBe(3);
    expect(limiter.released).toBe(3);
  });

  it('keeps the receipts already had and fails the rest as retryable when the hook fails', async () => {
    // Prepare
    const provider = new FakeSmsProvider();
    const rateLimited = new RateLimitedSmsProvider(provider, new OneAtATimeLimiter());
    let calls = 0;

    // Act
    const outcome = await rateLimited.sendDetailed([sms('1'), sms('2'), sms('3')], {
      beforeCall: async (slice) => {
        calls += 1;
        if (calls === 2) throw new Error('DynamoDB unavailable');
        return slice;
      },
    });

    // Assess
    expect(outcome.receipts.map((receipt) => receipt.localId)).toEqual(['1']);
    expect(outcome.failures.map((failure) => [failure.localId, failure.error.failureClass])).toEqual([
      ['2', 'retryable'],
      ['3', 'retryable'],
    ]);
    expect(outcome.failures[0]?.error.outcomeUnknown).toBe(false);
  });
});

describe('a pause checked again right before each provider call', () => {
  it('sends nothing more of a message once its campaign is paused, and the rest goes once after resume', async () => {
    // Prepare: the marketer pauses the campaign while the first slice's call is out
    const { deps, message, outcome, stats, campaigns, campaign } = await world('sms');
    const provider = new FakeSmsProvider();
    const pausing = {
      async sendDetailed(messages: readonly SmsMessage[]): Promise<SmsSendOutcome> {
        const answer = await provider.sendDetailed(messages);
        if (provider.calls.length === 1) {
          await campaigns.transition(campaign.id, 'paused', ['sending'], NOW, {
            pausedReason: 'by_marketer',
          });
        }
        return answer;
      },
    };
    const sender = new SmsChannel({
      sms: new RateLimitedSmsProvider(pausing, new OneAtATimeLimiter()),
      lookup: new FakeSmsLookup(provider.accepted),
      links: new MemoryLinkStore(),
      layout: { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' },
    });

    // Act
    await deliverRecipients(deps, sender, message);
    const whilePaused = provider.sent.map((sms) => sms.receptor);
    await campaigns.transition(campaign.id, 'sending', ['paused'], NOW, { newRound: true });
    await deliverRecipients(deps, sender, message);

    // Assess
    expect(whilePaused).toEqual(['+989120000001']);
    expect(provider.sent.map((sms) => sms.receptor)).toEqual([
      '+989120000001',
      '+989120000002',
      '+989120000003',
    ]);
    expect([outcome('c1'), outcome('c2'), outcome('c3')]).toEqual(['sent', 'sent', 'sent']);
    expect(await stats()).toMatchObject({ sent: 3, queued: 0 });
    expect((await campaigns.get(campaign.id))?.pausedReason).toBeUndefined();
  });

  it('reads the status and the consent at once before each call, so the wait for them is one read', async () => {
    // Prepare: both reads noted as they start and end; the status read takes a few turns
    const { deps, message, campaigns, consent, outcome } = await world('sms');
    const reads: string[] = [];
    const turns = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    const watched: DeliverDeps = {
      ...deps,
      campaigns: Object.assign(Object.create(campaigns) as typeof campaigns, {
        get: async (id: string) => {
          reads.push('status');
          await turns();
          const campaign = await campaigns.get(id);
          reads.push('status read');
          return campaign;
        },
      }),
      consent: Object.assign(Object.create(consent) as typeof consent, {
        statesForMany: async (...args: Parameters<typeof consent.statesForMany>) => {
          reads.push('consent');
          return consent.statesForMany(...args);
        },
      }),
    };
    const provider = new FakeSmsProvider();
    const sender = new SmsChannel({
      sms: new RateLimitedSmsProvider(provider, new OneAtATimeLimiter()),
      lookup: new FakeSmsLookup(provider.accepted),
      links: new MemoryLinkStore(),
      layout: { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' },
    });

    // Act
    await deliverRecipients(watched, sender, message);

    // Assess: the first read of the status, the claims' consent, then per call both at once
    expect(reads).toEqual([
      'status',
      'status read',
      'consent',
      ...Array.from({ length: 3 }, () => ['status', 'consent', 'status read']).flat(),
    ]);
    expect([outcome('c1'), outcome('c2'), outcome('c3')]).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends no email of a message once its campaign is paused', async () => {
    // Prepare
    const { deps, message, outcome, campaigns, campaign } = await world('email');
    const email = new FakeEmailProvider();
    const pausing = {
      async send(mail: EmailMessage) {
        const answer = await email.send(mail);
        await campaigns.transition(campaign.id, 'paused', ['sending'], NOW, { pausedReason: 'by_marketer' });
        return answer;
      },
    };
    const sender = new EmailChannel({
      email: pausing,
      keyring: async () => ({ current: 'k1', keys: { k1: { secret: 'a-test-secret' } } }),
      publicBaseUrl: 'https://api.chapar.test',
      templates: () => '<html><body><!--content--><!--footer--></body></html>',
      concurrency: 1,
    });

    // Act
    await deliverRecipients(deps, sender, message);

    // Assess
    expect(email.sent.map((mail) => mail.to)).toEqual(['c1@example.com']);
    expect([outcome('c2'), outcome('c3')]).not.toContain('sent');
    expect((await campaigns.get(campaign.id))?.pausedReason).toBe('by_marketer');
  });
});
