import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { ConsentEvent } from '../../../shared/domain/consent';
import type { DeliveryKey, Recipient, SendResult } from '../../../shared/domain/delivery';
import { ProviderError } from '../../../shared/domain/errors';
import type { Contact } from '../../../shared/domain/types';
import type { ChannelSender, DeliverDeps } from '../../../shared/ports';
import {
  deliverRecipients,
  RetryLaterError,
  resultForError,
} from '../../../shared/use-cases/deliver-recipients';
import { campaignFixture, sendingCampaign } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const LEASE_MS = 60_000;

function contact(id: string, fields: Partial<Contact> = {}): Contact {
  return {
    id,
    ref: `ref-${id}`,
    phone: `+98912000000${id.slice(-1)}`,
    email: `${id}@example.com`,
    locale: 'fa',
    name: id,
    attributes: {},
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...fields,
  };
}

/** A channel that answers from a script and notes what it was asked, and what the ledger said then. */
class ScriptedChannel implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly calls: Recipient[][] = [];
  readonly markedAtSend: boolean[] = [];

  constructor(
    private readonly deliveries: MemoryDeliveryStore,
    private readonly answer: (recipient: Recipient) => SendResult = (recipient) => ({
      kind: 'sent',
      content: `text for ${recipient.contact.id}`,
      providerMessageId: `m-${recipient.contact.id}`,
      providerStatus: 1,
    }),
  ) {}

  async send(_campaign: Campaign, recipients: readonly Recipient[]): Promise<SendResult[]> {
    this.calls.push([...recipients]);
    for (const recipient of recipients) {
      this.markedAtSend.push(this.deliveries.item(recipient.key)?.phase === 'provider');
    }
    return recipients.map(this.answer);
  }
}

async function world(
  contacts: Contact[],
  options: { total?: number; answer?: (r: Recipient) => SendResult } = {},
) {
  const campaigns = new MemoryCampaignStore();
  const deliveries = new MemoryDeliveryStore(campaigns);
  const consent = new MemoryConsentStore();
  const alarms = new RecordingAlarms();
  const campaign = await sendingCampaign(campaigns, options.total ?? contacts.length, { channels: ['sms'] });
  const deps: DeliverDeps = {
    campaigns,
    contacts: new MemoryContactStore(contacts),
    consent,
    deliveries,
    alarms,
    now: () => NOW,
    leaseMs: LEASE_MS,
  };
  const channel = new ScriptedChannel(deliveries, options.answer);
  const key = (contactId: string): DeliveryKey => ({ campaignId: campaign.id, contactId, channel: 'sms' });
  const message = (...contactIds: string[]) => ({
    v: 1 as const,
    campaignId: campaign.id,
    channel: 'sms' as const,
    contactIds,
  });
  const stats = async () => (await campaigns.getWithStats(campaign.id))?.stats;
  const status = async () => (await campaigns.get(campaign.id))?.status;
  return { deps, campaign, campaigns, deliveries, consent, alarms, channel, key, message, stats, status };
}

function optOut(contactId: string, topic: string): ConsentEvent {
  return {
    id: `e-${contactId}-${topic}`,
    contactId,
    action: 'opt_out',
    channel: 'sms',
    topic,
    source: 'api',
    at: '2025-05-01T00:00:00.000Z',
    evidence: {},
  };
}

describe('deliverRecipients', () => {
  it('sends to each recipient once, ends each delivery as sent with what was sent, and completes the campaign', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')]);

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));

    // Assess
    expect(w.channel.calls).toHaveLength(1);
    expect(w.channel.calls[0]?.map((r) => [r.contact.id, r.address, r.takeover])).toEqual([
      ['c1', '+989120000001', false],
      ['c2', '+989120000002', false],
    ]);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({
      status: 'sent',
      recipient: '+989120000001',
      content: 'text for c1',
      providerMessageId: 'm-c1',
      providerStatus: 1,
      sentAt: NOW.toISOString(),
    });
    expect(w.deliveries.item(w.key('c1'))?.claimId).toBeUndefined();
    expect(await w.stats()).toMatchObject({ total: 2, sent: 2, queued: 0 });
    expect(await w.status()).toBe('sent');
  });

  it('marks every recipient as handed to the provider before the channel sends', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')]);

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));

    // Assess
    expect(w.channel.markedAtSend).toEqual([true, true]);
  });

  it('skips deliveries that ended before or that another sender holds, counts nothing twice, and comes back for the held ones', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2'), contact('c3')], { total: 3 });
    w.deliveries.put(w.key('c1'), { status: 'sent', attempts: 1 });
    w.deliveries.put(w.key('c2'), {
      status: 'sending',
      claimId: 'other',
      leaseUntil: NOW.getTime() + 1,
      attempts: 1,
    });

    // Act
    const outcome = deliverRecipients(w.deps, w.channel, w.message('c1', 'c2', 'c3'));

    // Assess: the message returns after the lease, so a holder that died cannot lose c2.
    await expect(outcome).rejects.toMatchObject({ name: 'RetryLaterError', unknown: true });
    expect(w.channel.calls.flat().map((r) => r.contact.id)).toEqual(['c3']);
    expect(w.deliveries.item(w.key('c2'))).toMatchObject({ status: 'sending', claimId: 'other' });
    expect(await w.stats()).toMatchObject({ sent: 1, queued: 2 });
    expect(await w.status()).toBe('sending');
  });

  it('lets a message with held recipients go on its last receive: their holders carry them', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')], { total: 2 });
    w.deliveries.put(w.key('c1'), {
      status: 'sending',
      claimId: 'other',
      leaseUntil: NOW.getTime() + 1,
      attempts: 1,
    });

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { lastReceive: true });

    // Assess
    expect(w.channel.calls.flat().map((r) => r.contact.id)).toEqual(['c2']);
    expect(await w.stats()).toMatchObject({ sent: 1, queued: 1 });
  });

  it.each([
    ['the topic', 'newsletter'],
    ['every topic', '*'],
  ])('suppresses a contact who opted out of %s, without sending', async (_what, topic) => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')]);
    await w.consent.record(optOut('c1', topic));

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));

    // Assess
    expect(w.channel.calls.flat().map((r) => r.contact.id)).toEqual(['c2']);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'suppressed', reason: 'opted_out' });
    expect(await w.stats()).toMatchObject({ sent: 1, suppressed: 1, queued: 0 });
  });

  it('still sends to a contact who opted out of another topic only', async () => {
    // Prepare
    const w = await world([contact('c1')]);
    await w.consent.record(optOut('c1', 'promotions'));

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1'));

    // Assess
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'sent' });
  });

  it('suppresses an erased contact and fails one without an address on the channel', async () => {
    // Prepare: c1 is gone, c2 has no phone
    const w = await world([contact('c2', { phone: undefined })], { total: 2 });

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));

    // Assess
    expect(w.channel.calls).toEqual([]);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'suppressed', reason: 'contact_erased' });
    expect(w.deliveries.item(w.key('c2'))).toMatchObject({ status: 'failed', reason: 'no_address' });
    expect(await w.stats()).toMatchObject({ suppressed: 1, failed: 1, queued: 0 });
    expect(await w.status()).toBe('sent');
  });

  it('ends a recipient the channel failed, with the reason and no recipient kept', async () => {
    // Prepare
    const w = await world([contact('c1')], { answer: () => ({ kind: 'failed', reason: 'kavenegar:411' }) });

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1'));

    // Assess
    const item = w.deliveries.item(w.key('c1'));
    expect(item).toMatchObject({ status: 'failed', reason: 'kavenegar:411' });
    expect(item?.recipient).toBeUndefined();
    expect(await w.stats()).toMatchObject({ failed: 1, sent: 0 });
  });

  it('releases recipients of a passing failure and throws RetryLaterError so the message comes back', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')], {
      answer: (r) =>
        r.contact.id === 'c1'
          ? { kind: 'retry', reason: 'kavenegar:502' }
          : { kind: 'sent', content: 'x', providerMessageId: 'm-2' },
    });

    // Act
    const delivering = deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));

    // Assess
    await expect(delivering).rejects.toBeInstanceOf(RetryLaterError);
    await expect(delivering).rejects.toThrow('kavenegar:502');
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'retry', reason: 'kavenegar:502' });
    expect(w.deliveries.item(w.key('c1'))?.claimId).toBeUndefined();
    expect(w.deliveries.item(w.key('c2'))).toMatchObject({ status: 'sent' });
    expect(await w.status()).toBe('sending');
  });

  it('keeps the claim of an unknown outcome, so the next attempt after the lease reconciles first', async () => {
    // Prepare
    const w = await world([contact('c1')], {
      answer: () => ({ kind: 'unknown', reason: 'kavenegar:timeout' }),
    });

    // Act
    const delivering = deliverRecipients(w.deps, w.channel, w.message('c1'));

    // Assess
    await expect(delivering).rejects.toBeInstanceOf(RetryLaterError);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'sending', phase: 'provider' });
    const later: DeliverDeps = { ...w.deps, now: () => new Date(NOW.getTime() + LEASE_MS + 1) };
    const again = new ScriptedChannel(w.deliveries);
    await deliverRecipients(later, again, w.message('c1'));
    expect(again.calls[0]?.map((r) => r.takeover)).toEqual([true]);
  });

  it('records when the provider was first attempted and hands that time to every takeover', async () => {
    // Prepare: the first attempt ends unknown at NOW, the takeover's too
    const w = await world([contact('c1')], {
      answer: () => ({ kind: 'unknown', reason: 'kavenegar:timeout' }),
    });
    await expect(deliverRecipients(w.deps, w.channel, w.message('c1'))).rejects.toBeInstanceOf(
      RetryLaterError,
    );
    const later = (leases: number): DeliverDeps => ({
      ...w.deps,
      now: () => new Date(NOW.getTime() + leases * (LEASE_MS + 1)),
    });
    await expect(deliverRecipients(later(1), w.channel, w.message('c1'))).rejects.toBeInstanceOf(
      RetryLaterError,
    );

    // Act
    const third = new ScriptedChannel(w.deliveries);
    await deliverRecipients(later(2), third, w.message('c1'));

    // Assess
    // Every attempt carries the time of its mark; a takeover, the first unresolved attempt's.
    expect(w.channel.calls.flat().map((r) => [r.takeover, r.attemptedAt])).toEqual([
      [false, NOW.toISOString()],
      [true, NOW.toISOString()],
    ]);
    expect(third.calls[0]?.map((r) => [r.takeover, r.attemptedAt])).toEqual([[true, NOW.toISOString()]]);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'sent' });
    expect(w.deliveries.item(w.key('c1'))?.attemptedAt).toBeUndefined();
  });

  it('keeps the provider mark of a taken-over delivery when the run dies before marking again', async () => {
    // Prepare: an unresolved attempt, then a takeover that dies between its claim and its mark
    const w = await world([contact('c1')]);
    w.deliveries.put(w.key('c1'), {
      status: 'sending',
      claimId: 'dead',
      leaseUntil: NOW.getTime() - 1,
      phase: 'provider',
      attemptedAt: '2025-06-01T09:00:00.000Z',
      attempts: 1,
    });
    const dying: DeliverDeps = {
      ...w.deps,
      deliveries: Object.assign(Object.create(w.deliveries), {
        markAttempts: async () => {
          throw new Error('function crashed');
        },
      }),
    };
    await expect(deliverRecipients(dying, w.channel, w.message('c1'))).rejects.toThrow('function crashed');

    // Act
    const later: DeliverDeps = { ...w.deps, now: () => new Date(NOW.getTime() + LEASE_MS + 1) };
    await deliverRecipients(later, w.channel, w.message('c1'));

    // Assess: the second run is a takeover too, with the first attempt's time
    expect(w.channel.calls.map((call) => call.map((r) => [r.takeover, r.attemptedAt]))).toEqual([
      [[true, '2025-06-01T09:00:00.000Z']],
    ]);
  });

  it('keeps a recipient the channel gave no result for unresolved, as an unknown outcome', async () => {
    // Prepare
    const w = await world([contact('c1')]);
    const silent: ChannelSender = { channel: 'sms', send: async () => [] };

    // Act
    const delivering = deliverRecipients(w.deps, silent, w.message('c1'));

    // Assess
    await expect(delivering).rejects.toBeInstanceOf(RetryLaterError);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'sending', phase: 'provider' });
  });

  it('clears the provider mark when a passing failure says the message did not go out', async () => {
    // Prepare: an unresolved attempt whose lookup said "not sent", then the send was throttled
    const w = await world([contact('c1')], { answer: () => ({ kind: 'retry', reason: 'kavenegar:451' }) });
    w.deliveries.put(w.key('c1'), {
      status: 'sending',
      claimId: 'dead',
      leaseUntil: NOW.getTime() - 1,
      phase: 'provider',
      attemptedAt: '2025-06-01T09:00:00.000Z',
      attempts: 1,
    });
    await expect(deliverRecipients(w.deps, w.channel, w.message('c1'))).rejects.toBeInstanceOf(
      RetryLaterError,
    );

    // Act
    const again = new ScriptedChannel(w.deliveries);
    await deliverRecipients(w.deps, again, w.message('c1'));

    // Assess
    expect(again.calls[0]?.map((r) => [r.takeover, r.attemptedAt])).toEqual([[false, NOW.toISOString()]]);
  });

  it('keeps the provider mark through a pause and the resume when the outcome was left unknown', async () => {
    // Prepare: the takeover's lookup is refused for a reason that pauses the campaign
    const w = await world([contact('c1'), contact('c2')], {
      answer: (r) =>
        r.contact.id === 'c1'
          ? { kind: 'stop', reason: 'kavenegar:403 Bad key', outcomeUnknown: true }
          : { kind: 'stop', reason: 'kavenegar:403 Bad key' },
    });
    w.deliveries.put(w.key('c1'), {
      status: 'sending',
      claimId: 'dead',
      leaseUntil: NOW.getTime() - 1,
      phase: 'provider',
      attemptedAt: '2025-06-01T09:00:00.000Z',
      attempts: 1,
    });
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));
    expect(await w.status()).toBe('paused');
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'retry', phase: 'provider' });
    expect(w.deliveries.item(w.key('c2'))?.phase).toBeUndefined();

    // Act: resumed at once, before any lease would have run out
    await w.campaigns.transition(w.campaign.id, 'sending', ['paused'], NOW);
    const resumed = new ScriptedChannel(w.deliveries);
    await deliverRecipients(w.deps, resumed, w.message('c1', 'c2'));

    // Assess: c1 is asked about again with its first attempt's time; c2 simply sends
    expect(resumed.calls[0]?.map((r) => [r.contact.id, r.takeover, r.attemptedAt])).toEqual([
      ['c1', true, '2025-06-01T09:00:00.000Z'],
      ['c2', false, NOW.toISOString()],
    ]);
  });

  it('hands over an expired claim whose sender died before the provider call as no takeover', async () => {
    // Prepare
    const w = await world([contact('c1')]);
    w.deliveries.put(w.key('c1'), {
      status: 'sending',
      claimId: 'dead',
      leaseUntil: NOW.getTime() - 1,
      attempts: 1,
    });

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1'));

    // Assess
    expect(w.channel.calls[0]?.map((r) => r.takeover)).toEqual([false]);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('pauses the campaign with the reason and raises the alarm once on a failure that will not heal', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')], {
      answer: () => ({ kind: 'stop', reason: 'kavenegar:418 credit' }),
    });

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'));

    // Assess
    expect(await w.campaigns.get(w.campaign.id)).toMatchObject({
      status: 'paused',
      pausedReason: 'kavenegar:418 credit',
    });
    expect(w.alarms.paused).toEqual([{ campaignId: w.campaign.id, reason: 'kavenegar:418 credit' }]);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({ status: 'retry' });
    expect(w.deliveries.item(w.key('c2'))).toMatchObject({ status: 'retry' });
    expect(await w.stats()).toMatchObject({ sent: 0, queued: 2 });
  });

  it.each(['paused', 'cancelled', 'sent'] as const)('sends nothing for a %s campaign', async (status) => {
    // Prepare
    const w = await world([contact('c1')]);
    await w.campaigns.transition(w.campaign.id, status, ['sending'], NOW);

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1'));

    // Assess
    expect(w.channel.calls).toEqual([]);
    expect(w.deliveries.item(w.key('c1'))).toBeUndefined();
  });

  it('sends nothing for a campaign that does not exist', async () => {
    // Prepare
    const w = await world([contact('c1')]);

    // Act
    await deliverRecipients(w.deps, w.channel, { ...w.message('c1'), campaignId: campaignFixture().id });

    // Assess
    expect(w.channel.calls).toEqual([]);
  });

  it('leaves the campaign sending while its audience is still being dispatched', async () => {
    // Prepare: dispatch has saved a first page but not the last
    const campaigns = new MemoryCampaignStore();
    const campaign = campaignFixture({ channels: ['sms'] });
    await campaigns.create(campaign);
    await campaigns.transition(campaign.id, 'sending', ['scheduled'], NOW, { leaseUntil: NOW });
    await campaigns.saveDispatchPage(
      campaign.id,
      { expected: null, next: 'p2', added: 1, leaseUntil: NOW },
      NOW,
    );
    const deliveries = new MemoryDeliveryStore(campaigns);
    const deps: DeliverDeps = {
      campaigns,
      contacts: new MemoryContactStore([contact('c1')]),
      consent: new MemoryConsentStore(),
      deliveries,
      alarms: new RecordingAlarms(),
      now: () => NOW,
      leaseMs: LEASE_MS,
    };

    // Act
    await deliverRecipients(deps, new ScriptedChannel(deliveries), {
      v: 1,
      campaignId: campaign.id,
      channel: 'sms',
      contactIds: ['c1'],
    });

    // Assess
    expect(await campaigns.getWithStats(campaign.id)).toMatchObject({
      campaign: { status: 'sending' },
      stats: { sent: 1, queued: 0 },
    });
  });
});

describe('counting a queue message once', () => {
  it('adds the outcomes of a message in one counting write after its ends', async () => {
    // Prepare: one erased contact, one without a phone, two sent
    const w = await world([contact('c1'), contact('c2'), contact('c3', { phone: undefined })], { total: 4 });

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2', 'c3', 'gone'), { messageId: 'm-1' });

    // Assess
    expect(w.deliveries.countCalls).toBe(1);
    expect(await w.stats()).toMatchObject({ sent: 2, failed: 1, suppressed: 1, queued: 0 });
    expect(w.deliveries.item(w.key('c1'))?.endedBy).toMatch(/^m-1 /);
  });

  it('counts, on redelivery, the ends of a run that died before its counting write, exactly once', async () => {
    // Prepare: the run ends both deliveries, then dies before counting them
    const w = await world([contact('c1'), contact('c2')]);
    const dying = {
      ...w.deps,
      deliveries: Object.assign(Object.create(w.deliveries), {
        countEnds: async () => {
          throw new Error('function crashed');
        },
      }),
    };
    await expect(
      deliverRecipients(dying, w.channel, w.message('c1', 'c2'), { messageId: 'm-1' }),
    ).rejects.toThrow('function crashed');
    expect(await w.stats()).toMatchObject({ sent: 0, queued: 2 });

    // Act: SQS hands the same message out again, twice
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-1', receiveCount: 2 });
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-1', receiveCount: 3 });

    // Assess: sent once each, counted once each, and the campaign completes
    expect(w.channel.calls.flat().map((r) => r.contact.id)).toEqual(['c1', 'c2']);
    expect(await w.stats()).toMatchObject({ sent: 2, queued: 0 });
    expect(await w.status()).toBe('sent');
  });

  it('counts nothing twice when a message comes again after its count landed', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')], { total: 3 });
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-1' });

    // Act: the same message again, and a resume round's message holding the same contacts
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-1', receiveCount: 2 });
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-2' });

    // Assess
    expect(await w.stats()).toMatchObject({ sent: 2, queued: 1 });
  });

  it('reads, on redelivery, which deliveries ended instead of claiming each of them again', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')], { total: 3 });
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-1' });
    const claims: string[] = [];
    const claim = w.deliveries.claim.bind(w.deliveries);
    w.deliveries.claim = async (key, ...rest) => {
      claims.push(key.contactId);
      return claim(key, ...rest);
    };

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2', 'c3'), {
      messageId: 'm-1',
      receiveCount: 2,
    });

    // Assess: only the delivery that had not ended was claimed; nothing was counted twice
    expect(claims).toEqual(['c3']);
    expect(await w.stats()).toMatchObject({ sent: 2, suppressed: 1, queued: 0 });
  });

  it('counts the ends of a run that died before counting when the campaign was cancelled meanwhile', async () => {
    // Prepare
    const w = await world([contact('c1'), contact('c2')]);
    const dying = {
      ...w.deps,
      deliveries: Object.assign(Object.create(w.deliveries), {
        countEnds: async () => {
          throw new Error('function crashed');
        },
      }),
    };
    await expect(
      deliverRecipients(dying, w.channel, w.message('c1', 'c2'), { messageId: 'm-1' }),
    ).rejects.toThrow();
    await w.campaigns.transition(w.campaign.id, 'cancelled', ['sending'], NOW);

    // Act
    await deliverRecipients(w.deps, w.channel, w.message('c1', 'c2'), { messageId: 'm-1', receiveCount: 2 });

    // Assess: nothing more was sent, and what was sent is counted
    expect(w.channel.calls).toHaveLength(1);
    expect(await w.stats()).toMatchObject({ sent: 2 });
  });
});

describe('attempt records on email', () => {
  it('records each SES call right before it, so a crash mid-run leaves only what was attempted unknown', async () => {
    // Prepare: a sender that sends the first email and dies before the second
    const campaigns = new MemoryCampaignStore();
    const deliveries = new MemoryDeliveryStore(campaigns);
    const campaign = await sendingCampaign(campaigns, 3, { channels: ['email'] });
    const deps: DeliverDeps = {
      campaigns,
      contacts: new MemoryContactStore([contact('c1'), contact('c2'), contact('c3')]),
      consent: new MemoryConsentStore(),
      deliveries,
      alarms: new RecordingAlarms(),
      now: () => NOW,
      leaseMs: LEASE_MS,
    };
    const dying: ChannelSender = {
      channel: 'email',
      async send(_campaign, recipients, reachable) {
        const [first] = recipients;
        if (first && reachable) await reachable([first]);
        throw new Error('function crashed');
      },
    };
    const taken: [string, boolean][] = [];
    const after: ChannelSender = {
      channel: 'email',
      async send(_campaign, recipients) {
        for (const r of recipients) taken.push([r.contact.id, r.takeover]);
        return recipients.map((r) =>
          r.takeover
            ? { kind: 'failed' as const, reason: 'outcome_unknown' }
            : { kind: 'sent' as const, content: 's', providerMessageId: `m-${r.contact.id}` },
        );
      },
    };
    const message = {
      v: 1 as const,
      campaignId: campaign.id,
      channel: 'email' as const,
      contactIds: ['c1', 'c2', 'c3'],
    };
    await expect(deliverRecipients(deps, dying, message)).rejects.toThrow('function crashed');

    // Act: the message comes back after the lease
    const later = { ...deps, now: () => new Date(NOW.getTime() + LEASE_MS + 1_000) };
    await deliverRecipients(later, after, message, { receiveCount: 2 });

    // Assess: only the attempted one is an unknown outcome; the others are simply sent
    expect(taken).toEqual([
      ['c1', true],
      ['c2', false],
      ['c3', false],
    ]);
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({
      sent: 2,
      failed: 1,
      queued: 0,
    });
  });
});

describe('resultForError', () => {
  it.each([
    ['retryable', { kind: 'retry', reason: 'kavenegar:502' }],
    ['recipient', { kind: 'failed', reason: 'kavenegar:502' }],
    ['message', { kind: 'failed', reason: 'kavenegar:502' }],
    ['campaign', { kind: 'stop', reason: 'kavenegar:502 Bad gateway' }],
  ] as const)('maps a %s provider failure', (failureClass, expected) => {
    // Prepare
    const error = new ProviderError('kavenegar', '502', failureClass, 'Bad gateway');

    // Act
    const result = resultForError(error);

    // Assess
    expect(result).toEqual(expected);
  });

  it('maps a failure whose outcome is unknown, whatever its class', () => {
    // Prepare
    const error = Object.assign(new ProviderError('kavenegar', 'timeout', 'retryable', 'Timed out'), {
      outcomeUnknown: true,
    });

    // Act
    const result = resultForError(error);

    // Assess
    expect(result).toEqual({ kind: 'unknown', reason: 'kavenegar:timeout' });
  });

  it('rethrows anything that is not a provider failure', () => {
    // Prepare
    const bug = new TypeError('undefined is not a function');

    // Act
    const act = () => resultForError(bug);

    // Assess
    expect(act).toThrow(bug);
  });
});

describe("an email run's sent deliveries", () => {
  async function emailWorld(ids: string[]) {
    const campaigns = new MemoryCampaignStore();
    const deliveries = new MemoryDeliveryStore(campaigns);
    const campaign = await sendingCampaign(campaigns, ids.length, { channels: ['email'] });
    const deps: DeliverDeps = {
      campaigns,
      contacts: new MemoryContactStore(ids.map((id) => contact(id))),
      consent: new MemoryConsentStore(),
      deliveries,
      alarms: new RecordingAlarms(),
      now: () => NOW,
      leaseMs: LEASE_MS,
    };
    const calls: [string, boolean][] = [];
    const ses: ChannelSender = {
      channel: 'email',
      async send(_campaign, recipients, reachable) {
        if (reachable) await reachable(recipients);
        for (const r of recipients) calls.push([r.contact.id, r.takeover]);
        return recipients.map((r) =>
          r.takeover
            ? { kind: 'failed' as const, reason: 'outcome_unknown' }
            : r.contact.id === 'bad'
              ? { kind: 'failed' as const, reason: 'ses:MessageRejected' }
              : { kind: 'sent' as const, content: 'subject', providerMessageId: `ses-${r.contact.id}` },
        );
      },
    };
    const message = { v: 1 as const, campaignId: campaign.id, channel: 'email' as const, contactIds: ids };
    const key = (contactId: string): DeliveryKey => ({
      campaignId: campaign.id,
      contactId,
      channel: 'email',
    });
    const stats = async () => (await campaigns.getWithStats(campaign.id))?.stats;
    return { deps, deliveries, ses, calls, message, key, stats };
  }

  it('end in one record of the run; only a failure is ended on its own item', async () => {
    // Prepare
    const w = await emailWorld(['c1', 'c2', 'bad']);
    const itemEnds: string[] = [];
    const end = w.deliveries.end.bind(w.deliveries);
    w.deliveries.end = (key, claimId, outcome, now) => {
      itemEnds.push(`${key.contactId} ${outcome.outcome}`);
      return end(key, claimId, outcome, now);
    };

    // Act
    await deliverRecipients(w.deps, w.ses, w.message, { messageId: 'm-1' });

    // Assess
    expect(w.deliveries.endSentCalls).toBe(1);
    expect(itemEnds).toEqual(['bad failed']);
    expect(w.deliveries.item(w.key('c1'))).toMatchObject({
      status: 'sent',
      recipient: 'c1@example.com',
      providerMessageId: 'ses-c1',
      sentAt: NOW.toISOString(),
      endedBy: `m-1 ${w.deliveries.item(w.key('c2'))?.endedBy?.split(' ')[1]}`,
    });
    expect(await w.stats()).toMatchObject({ sent: 2, failed: 1, queued: 0 });
  });

  it('are outcome-unknown when the run died after its SES calls and before its end record: failed on takeover, never sent again', async () => {
    // Prepare
    const w = await emailWorld(['c1', 'c2']);
    const endSent = w.deliveries.endSent.bind(w.deliveries);
    w.deliveries.endSent = async () => {
      throw new Error('function crashed');
    };
    await expect(deliverRecipients(w.deps, w.ses, w.message, { messageId: 'm-1' })).rejects.toThrow(
      'function crashed',
    );
    w.deliveries.endSent = endSent;

    // Act: the message comes back after the lease
    const later = { ...w.deps, now: () => new Date(NOW.getTime() + LEASE_MS + 1_000) };
    await deliverRecipients(later, w.ses, w.message, { messageId: 'm-1', receiveCount: 2 });

    // Assess: each was handed to SES once; the takeover fails them as outcome_unknown
    expect(w.calls).toEqual([
      ['c1', false],
      ['c2', false],
      ['c1', true],
      ['c2', true],
    ]);
    expect(await w.stats()).toMatchObject({ sent: 0, failed: 2, queued: 0 });
  });

  it('are found ended by a redelivery after the end record, without waiting for the lease, and counted once', async () => {
    // Prepare: the run writes its end record, then dies before counting
    const w = await emailWorld(['c1', 'c2']);
    const countEnds = w.deliveries.countEnds.bind(w.deliveries);
    w.deliveries.countEnds = async () => {
      throw new Error('function crashed');
    };
    await expect(deliverRecipients(w.deps, w.ses, w.message, { messageId: 'm-1' })).rejects.toThrow(
      'function crashed',
    );
    w.deliveries.countEnds = countEnds;

    // Act: redelivered at once, the leases still running
    await deliverRecipients(w.deps, w.ses, w.message, { messageId: 'm-1', receiveCount: 2 });

    // Assess: nothing held, nothing sent again, counted once
    expect(w.calls).toEqual([
      ['c1', false],
      ['c2', false],
    ]);
    expect(await w.stats()).toMatchObject({ sent: 2, queued: 0 });
    expect(w.deliveries.endSentCalls).toBe(1);
  });
});
