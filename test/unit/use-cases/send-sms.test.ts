import { describe, expect, it, vi } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient } from '../../../shared/domain/delivery';
import { ProviderError } from '../../../shared/domain/errors';
import { deliveryLocalId } from '../../../shared/domain/ids';
import type { SmsLayout } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import { SmsChannel } from '../../../shared/use-cases/send-sms';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryLinkStore } from '../../support/fakes/link-store';
import { FakeSmsLookup, FakeSmsProvider } from '../../support/fakes/sms';

const LAYOUT: SmsLayout = { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' };
const CAMPAIGN: Campaign = campaignFixture({
  channels: ['sms'],
  topic: 'newsletter',
  sms: { text: '{{name}} عزیز، تخفیف پاییزه  ' },
});

function recipient(
  id: string,
  fields: { takeover?: boolean; name?: string; attemptedAt?: string } = {},
): Recipient {
  const contact: Contact = {
    id,
    ref: `ref-${id}`,
    phone: `+98912000000${id.slice(-1)}`,
    locale: 'fa',
    name: fields.name ?? `name-${id}`,
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
    ...(fields.attemptedAt === undefined ? {} : { attemptedAt: fields.attemptedAt }),
  };
}

const NOW = new Date('2025-06-01T10:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

function channel() {
  const sms = new FakeSmsProvider();
  const lookup = new FakeSmsLookup(sms.accepted);
  const links = new MemoryLinkStore();
  const sender = new SmsChannel({ sms, lookup, links, layout: LAYOUT, now: () => NOW });
  return { sms, lookup, links, channel: sender };
}

const localId = (id: string) => deliveryLocalId(CAMPAIGN.id, id, 'sms');

describe('SmsChannel', () => {
  it('sends each recipient its own text ending with its short link and the opt-out suffix', async () => {
    // Prepare
    const { sms, links, channel: sender } = channel();

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1'), recipient('c2')]);

    // Assess
    const link = await links.linkFor({
      ref: 'ref-c1',
      channel: 'sms',
      topic: 'newsletter',
    });
    const text = `name-c1 عزیز، تخفیف پاییزه\nhttps://go.chapar.test/s/${link.code} لغو۱۱`;
    expect(sms.calls).toHaveLength(1);
    expect(sms.calls[0]?.[0]).toEqual({ receptor: '+989120000001', text, localId: localId('c1') });
    expect(sms.calls[0]?.[1]?.localId).toBe(localId('c2'));
    expect(results[0]).toEqual({
      kind: 'sent',
      content: text,
      providerMessageId: sms.accepted.get(localId('c1'))?.messageId,
      providerStatus: 1,
    });
    expect(results[1]).toMatchObject({ kind: 'sent', content: expect.stringContaining('name-c2 عزیز') });
  });

  it('uses the same short link again when a recipient is sent to again', async () => {
    // Prepare
    const { sms, channel: sender } = channel();
    await sender.send(CAMPAIGN, [recipient('c1')]);

    // Act
    await sender.send(CAMPAIGN, [recipient('c1')]);

    // Assess
    expect(sms.calls[1]?.[0]?.text).toBe(sms.calls[0]?.[0]?.text);
  });

  it('fails a recipient whose text grew past 900 characters, and sends the others', async () => {
    // Prepare
    const { sms, channel: sender } = channel();

    // Act
    const results = await sender.send(CAMPAIGN, [
      recipient('c1', { name: 'ن'.repeat(900) }),
      recipient('c2'),
    ]);

    // Assess
    expect(results[0]).toEqual({ kind: 'failed', reason: 'sms_too_long' });
    expect(results[1]).toMatchObject({ kind: 'sent' });
    expect(sms.sent.map((message) => message.localId)).toEqual([localId('c2')]);
  });

  it('retries a recipient whose short link could not be made, without sending it', async () => {
    // Prepare
    const { sms, links, channel: sender } = channel();
    const real = links.linkFor.bind(links);
    vi.spyOn(links, 'linkFor').mockImplementation(async (claims) => {
      if (claims.ref === 'ref-c1') throw new Error('throttled');
      return real(claims);
    });

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1'), recipient('c2')]);

    // Assess
    expect(results[0]).toEqual({ kind: 'retry', reason: 'short link: throttled' });
    expect(results[1]).toMatchObject({ kind: 'sent' });
    expect(sms.sent.map((message) => message.localId)).toEqual([localId('c2')]);
  });

  it('records a taken-over recipient the provider already accepted as sent, without sending again', async () => {
    // Prepare: an earlier attempt reached Kavenegar and died before ending the delivery
    const { sms, lookup, channel: sender } = channel();
    await sender.send(CAMPAIGN, [recipient('c1')]);
    const earlier = sms.accepted.get(localId('c1'));

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1', { takeover: true })]);

    // Assess
    expect(lookup.calls).toEqual([[localId('c1')]]);
    expect(sms.calls).toHaveLength(1);
    expect(results).toEqual([
      {
        kind: 'sent',
        content: expect.stringContaining('name-c1'),
        providerMessageId: earlier?.messageId,
        providerStatus: earlier?.status,
      },
    ]);
  });

  it('sends to a taken-over recipient the provider does not know, and looks up only the taken-over', async () => {
    // Prepare
    const { sms, lookup, channel: sender } = channel();

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1', { takeover: true }), recipient('c2')]);

    // Assess
    expect(lookup.calls).toEqual([[localId('c1')]]);
    expect(sms.sent.map((message) => message.localId)).toEqual([localId('c1'), localId('c2')]);
    expect(results.map((result) => result.kind)).toEqual(['sent', 'sent']);
  });

  it.each([
    [
      'a retryable failure',
      new ProviderError('kavenegar', '502', 'retryable', 'Bad gateway'),
      { kind: 'unknown', reason: 'lookup kavenegar:502' },
    ],
    [
      'a timeout',
      new ProviderError('kavenegar', 'timeout', 'retryable', 'Timed out'),
      { kind: 'unknown', reason: 'lookup kavenegar:timeout' },
    ],
    [
      'an unknown outcome',
      Object.assign(new ProviderError('kavenegar', 'timeout', 'retryable', 'Timed out'), {
        outcomeUnknown: true,
      }),
      { kind: 'unknown', reason: 'lookup kavenegar:timeout' },
    ],
    [
      "the message's fault",
      new ProviderError('kavenegar', '400', 'message', 'Parameters incomplete'),
      { kind: 'unknown', reason: 'lookup kavenegar:400' },
    ],
    [
      'a failure that will not heal',
      new ProviderError('kavenegar', '403', 'campaign', 'Bad key'),
      { kind: 'stop', reason: 'kavenegar:403 Bad key', outcomeUnknown: true },
    ],
  ])(
    'keeps taken-over recipients unresolved when the lookup meets %s, and sends the others',
    async (_what, error, expected) => {
      // Prepare
      const { sms, lookup, channel: sender } = channel();
      lookup.failure = error;

      // Act
      const results = await sender.send(CAMPAIGN, [
        recipient('c1', { takeover: true, attemptedAt: hoursAgo(1) }),
        recipient('c2'),
      ]);

      // Assess
      expect(results[0]).toEqual(expected);
      expect(results[1]?.kind).toBe('sent');
      expect(sms.sent.map((message) => message.localId)).toEqual([localId('c2')]);
    },
  );

  it('sends to a taken-over recipient the provider does not know while the lookup window lasts', async () => {
    // Prepare
    const { sms, channel: sender } = channel();

    // Act
    const results = await sender.send(CAMPAIGN, [
      recipient('c1', { takeover: true, attemptedAt: hoursAgo(11.9) }),
    ]);

    // Assess
    expect(results.map((result) => result.kind)).toEqual(['sent']);
    expect(sms.sent.map((message) => message.localId)).toEqual([localId('c1')]);
  });

  it('fails a taken-over recipient as outcome_unknown past the 12 h lookup window, never sending again', async () => {
    // Prepare: c1 is unknown to the lookup, c2's lookup fails, both first attempted 12 h ago
    const { sms, lookup, channel: sender } = channel();
    const unknownToLookup = await sender.send(CAMPAIGN, [
      recipient('c1', { takeover: true, attemptedAt: hoursAgo(12) }),
    ]);
    lookup.failure = new ProviderError('kavenegar', 'timeout', 'retryable', 'Timed out');

    // Act
    const lookupFailed = await sender.send(CAMPAIGN, [
      recipient('c2', { takeover: true, attemptedAt: hoursAgo(30) }),
    ]);

    // Assess
    expect(unknownToLookup).toEqual([{ kind: 'failed', reason: 'outcome_unknown' }]);
    expect(lookupFailed).toEqual([{ kind: 'failed', reason: 'outcome_unknown' }]);
    expect(sms.calls).toEqual([]);
  });

  it('records as sent a taken-over recipient the lookup still finds past the window', async () => {
    // Prepare
    const { sms, channel: sender } = channel();
    await sender.send(CAMPAIGN, [recipient('c1')]);

    // Act
    const results = await sender.send(CAMPAIGN, [
      recipient('c1', { takeover: true, attemptedAt: hoursAgo(13) }),
    ]);

    // Assess
    expect(results.map((result) => result.kind)).toEqual(['sent']);
    expect(sms.calls).toHaveLength(1);
  });

  it('keeps a taken-over recipient unresolved when its short link cannot be read, without a lookup', async () => {
    // Prepare
    const { sms, lookup, links, channel: sender } = channel();
    vi.spyOn(links, 'linkFor').mockRejectedValue(new Error('links table unreachable'));

    // Act
    const results = await sender.send(CAMPAIGN, [
      recipient('c1', { takeover: true, attemptedAt: hoursAgo(1) }),
      recipient('c2'),
    ]);

    // Assess
    expect(results).toEqual([
      { kind: 'unknown', reason: 'short link: links table unreachable' },
      { kind: 'retry', reason: 'short link: links table unreachable' },
    ]);
    expect(lookup.calls).toEqual([]);
    expect(sms.calls).toEqual([]);
  });

  it('reports each message its own provider failure', async () => {
    // Prepare
    const { sms, channel: sender } = channel();
    sms.failures.set(localId('c1'), new ProviderError('kavenegar', '411', 'recipient', 'Invalid receptor'));
    sms.failures.set(localId('c2'), new ProviderError('kavenegar', '502', 'retryable', 'Bad gateway'));
    sms.failures.set(localId('c3'), new ProviderError('kavenegar', '418', 'campaign', 'No credit'));

    // Act
    const results = await sender.send(CAMPAIGN, [
      recipient('c1'),
      recipient('c2'),
      recipient('c3'),
      recipient('c4'),
    ]);

    // Assess
    expect(results).toEqual([
      { kind: 'failed', reason: 'kavenegar:411' },
      { kind: 'retry', reason: 'kavenegar:502' },
      { kind: 'stop', reason: 'kavenegar:418 No credit' },
      expect.objectContaining({ kind: 'sent' }),
    ]);
  });

  it('keeps a message the provider gave no answer for unknown, since the call may have sent it', async () => {
    // Prepare
    const { sms, channel: sender } = channel();
    vi.spyOn(sms, 'sendDetailed').mockResolvedValue({ receipts: [], failures: [] });

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1')]);

    // Assess
    expect(results).toEqual([{ kind: 'unknown', reason: 'no answer for this message' }]);
  });
});
