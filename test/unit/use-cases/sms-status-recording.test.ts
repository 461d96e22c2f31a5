import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient } from '../../../shared/domain/delivery';
import { ProviderError } from '../../../shared/domain/errors';
import type { SmsStatusReport } from '../../../shared/domain/sms';
import type { Contact } from '../../../shared/domain/types';
import { pollSmsStatuses } from '../../../shared/use-cases/delivery-status';
import { SmsChannel } from '../../../shared/use-cases/send-sms';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryLinkStore } from '../../support/fakes/link-store';
import { FakeSmsLookup, FakeSmsProvider } from '../../support/fakes/sms';
import { MemorySmsPolls } from '../../support/fakes/sms-polls';

const CAMPAIGN: Campaign = campaignFixture({ channels: ['sms'], topic: 'newsletter', sms: { text: 'hi' } });
const NOW = new Date('2025-06-01T10:00:00.000Z');
const MARKED = '2025-06-01T09:59:59.000Z';
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function recipient(id: string, fields: { takeover?: boolean; attemptedAt?: string } = {}): Recipient {
  const contact: Contact = {
    id,
    ref: `ref-${id}`,
    phone: `+98912000000${id.slice(-1)}`,
    locale: 'fa',
    attributes: {},
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  return {
    key: { campaignId: CAMPAIGN.id, contactId: id, channel: 'sms' },
    claimId: `claim-${id}`,
    contact,
    address: contact.phone ?? '',
    takeover: fields.takeover ?? false,
    attemptedAt: fields.attemptedAt ?? MARKED,
  };
}

function world() {
  const sms = new FakeSmsProvider();
  const polls = new MemorySmsPolls();
  const channel = new SmsChannel({
    sms,
    lookup: new FakeSmsLookup(sms.accepted),
    links: new MemoryLinkStore(),
    layout: { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' },
    now: () => NOW,
    statuses: polls,
  });
  return { sms, polls, channel };
}

/** A provider answering every id with `status` (Kavenegar's delivered by default). */
function answering(status: SmsStatusReport['status'] = 'delivered', providerStatus = 10) {
  const calls: string[][] = [];
  return {
    calls,
    status: async (ids: readonly string[]) => {
      calls.push([...ids]);
      return ids.map((messageId) => ({ messageId, status, optOut: false, providerStatus }));
    },
  };
}

const at = (ms: number) => () => new Date(Date.parse(MARKED) + ms);

describe('SMS status recording and polling', () => {
  it('records what the provider accepted as one batch of the attempt, due a minute after it', async () => {
    // Prepare
    const { polls, channel } = world();

    // Act
    await channel.send(CAMPAIGN, [recipient('c1'), recipient('c2')]);

    // Assess
    const [batch] = await polls.due(new Date(Date.parse(MARKED) + MINUTE_MS), 10);
    expect(batch?.pending.map((sms) => sms.contactId).sort()).toEqual(['c1', 'c2']);
    expect(await polls.due(new Date(Date.parse(MARKED) + MINUTE_MS - 1), 10)).toEqual([]);
  });

  it('records a takeover that found its SMS by local id into the first attempt’s batch: counted once', async () => {
    // Prepare: the first attempt was recorded, then the sender died before ending the deliveries
    const { polls, channel } = world();
    await channel.send(CAMPAIGN, [recipient('c1')]);
    const consent = new MemoryConsentStore();
    const provider = answering();
    await pollSmsStatuses({ polls, consent, provider, now: at(2 * MINUTE_MS) });

    // Act
    await channel.send(CAMPAIGN, [recipient('c1', { takeover: true })]);
    const again = await pollSmsStatuses({ polls, consent, provider, now: at(20 * MINUTE_MS) });

    // Assess
    expect(polls.batches.size).toBe(1);
    expect(again.polled).toBe(0);
    expect(polls.counts.get(CAMPAIGN.id)).toEqual({ delivered: 1, undelivered: 0 });
  });

  it('follows the age of the batch while the operator holds the SMS, then gives it up at the window', async () => {
    // Prepare
    const { polls, channel } = world();
    await channel.send(CAMPAIGN, [recipient('c1')]);
    const consent = new MemoryConsentStore();
    const provider = answering('pending', 4);
    const dueTimes: (string | undefined)[] = [];

    // Act
    for (const age of [
      MINUTE_MS,
      5 * MINUTE_MS,
      15 * MINUTE_MS,
      HOUR_MS,
      4 * HOUR_MS,
      12 * HOUR_MS,
      24 * HOUR_MS,
      47 * HOUR_MS,
    ]) {
      await pollSmsStatuses({ polls, consent, provider, now: at(age) });
      dueTimes.push([...polls.batches.values()][0]?.dueAt);
    }

    // Assess
    expect(provider.calls).toHaveLength(8);
    expect(dueTimes.slice(0, 7)).toEqual(
      [5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 4 * HOUR_MS, 12 * HOUR_MS, 24 * HOUR_MS, 47 * HOUR_MS].map(
        (ms) => at(ms)().toISOString(),
      ),
    );
    expect(dueTimes[7]).toBeUndefined();
    expect([...polls.batches.values()][0]?.unknown.size).toBe(1);
    expect(polls.counts.get(CAMPAIGN.id)).toEqual({ delivered: 0, undelivered: 0 });
  });

  it('changes nothing when the provider fails, and says so', async () => {
    // Prepare
    const { polls, channel } = world();
    await channel.send(CAMPAIGN, [recipient('c1')]);
    const failing = {
      status: async (): Promise<SmsStatusReport[]> => {
        throw new ProviderError('kavenegar', '451', 'retryable', 'Kavenegar sms/status failed with 451');
      },
    };

    // Act
    const summary = await pollSmsStatuses({
      polls,
      consent: new MemoryConsentStore(),
      provider: failing,
      now: at(2 * MINUTE_MS),
    });

    // Assess
    expect(summary).toMatchObject({ complete: false, batches: 0 });
    expect(summary.error?.message).toContain('451');
    expect((await polls.due(at(2 * MINUTE_MS)(), 10)).map((batch) => batch.pending.length)).toEqual([1]);
  });
});
