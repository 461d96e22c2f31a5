import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryKey, EndedDelivery } from '../../../shared/domain/delivery';
import type { CampaignStore, DeliveryStore } from '../../../shared/ports';
import { sendingCampaign } from '../../fixtures/campaigns';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let deliveries: DeliveryStore;
let campaigns: CampaignStore;

const LEASE_MS = 60_000;
const RETENTION_DAYS = 30;

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  deliveries = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns, RETENTION_DAYS);
  campaigns = factory.campaignStore(names.tables.campaigns);
});

async function itemOf(key: DeliveryKey): Promise<Record<string, unknown> | undefined> {
  const { deliveryItemKey } = await import('../../../shared/adapters/dynamodb/delivery-keys');
  const { Item } = await client.send(
    new GetCommand({
      TableName: emulators.names.tables.deliveries,
      Key: deliveryItemKey(key),
      ConsistentRead: true,
    }),
  );
  return Item;
}

function keys(count: number, channel: 'sms' | 'email' = 'sms'): DeliveryKey[] {
  const campaignId = `ledger-${randomUUID()}`;
  return Array.from({ length: count }, (_, i) => ({
    campaignId,
    contactId: `c${i}-${randomUUID()}`,
    channel,
  }));
}

const later = (now: Date, leases = 1) => new Date(now.getTime() + leases * (LEASE_MS + 1_000));

describe('the delivery ledger keys', () => {
  it("keeps a contact's deliveries in the contact's partition, never in one that grows with a campaign", async () => {
    // Prepare
    const [key] = keys(1) as [DeliveryKey];

    // Act
    await deliveries.claim(key, new Date(), LEASE_MS);

    // Assess
    const { Items } = await client.send(
      new QueryCommand({
        TableName: emulators.names.tables.deliveries,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key.contactId },
        ConsistentRead: true,
      }),
    );
    expect(Items?.map((item) => item.sk)).toEqual([`${key.campaignId}#sms`]);
  });
});

describe('DeliveryStore claims and attempt records', () => {
  it('claims a whole run under one claim id and records its provider call in one item', async () => {
    // Prepare
    const run = randomUUID();
    const ledger = keys(130);
    const now = new Date();
    const claims = await Promise.all(ledger.map((key) => deliveries.claim(key, now, LEASE_MS, run)));

    // Act
    await deliveries.markAttempts(
      ledger.map((key) => ({ key, claimId: run })),
      now,
    );

    // Assess: every claim is the run's; the call is one record in the run's partition
    expect(claims.every((claim) => claim.kind === 'claimed' && claim.claimId === run)).toBe(true);
    const { Items } = await client.send(
      new QueryCommand({
        TableName: emulators.names.tables.deliveries,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `attempt#${run}` },
        ConsistentRead: true,
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items?.[0]?.contactIds).toHaveLength(130);
  });

  it('takes over, after the lease, only the deliveries a dead run recorded as handed to the provider', async () => {
    // Prepare: a run claims three, records a call for the first, and dies
    const run = randomUUID();
    const [attempted, untouched, third] = keys(3) as [DeliveryKey, DeliveryKey, DeliveryKey];
    const now = new Date();
    for (const key of [attempted, untouched, third]) await deliveries.claim(key, now, LEASE_MS, run);
    await deliveries.markAttempts([{ key: attempted, claimId: run }], now);

    // Act
    const takeover = await deliveries.claim(attempted, later(now), LEASE_MS);
    const plain = await deliveries.claim(untouched, later(now), LEASE_MS);
    const early = await deliveries.claim(third, new Date(now.getTime() + 1_000), LEASE_MS);

    // Assess
    expect(takeover).toMatchObject({ kind: 'claimed', takeover: true, attemptedAt: now.toISOString() });
    expect(plain).toMatchObject({ kind: 'claimed', takeover: false });
    expect(early).toEqual({ kind: 'held' });
  });

  it('keeps an unresolved attempt through later takeovers and a release that keeps the outcome unknown', async () => {
    // Prepare: run A records the call and dies; run B takes over and dies too
    const [key] = keys(1) as [DeliveryKey];
    const now = new Date();
    await deliveries.claim(key, now, LEASE_MS, 'run-a');
    await deliveries.markAttempts([{ key, claimId: 'run-a' }], now);
    await deliveries.claim(key, later(now), LEASE_MS, 'run-b');

    // Act: run C takes over from B, then gives it back with the outcome still unknown
    const third = await deliveries.claim(key, later(now, 2), LEASE_MS, 'run-c');
    await deliveries.release(key, 'run-c', 'lookup failed', { outcomeUnknown: true });
    const fourth = await deliveries.claim(key, later(now, 3), LEASE_MS, 'run-d');
    await deliveries.release(key, 'run-d', 'provider said not sent; throttled');
    const fifth = await deliveries.claim(key, later(now, 4), LEASE_MS, 'run-e');

    // Assess: the first attempt's time stays until a release that knows the message did not go out
    expect(third).toMatchObject({ takeover: true, attemptedAt: now.toISOString() });
    expect(fourth).toMatchObject({ takeover: true, attemptedAt: now.toISOString() });
    expect(fifth).toMatchObject({ kind: 'claimed', takeover: false });
  });

  it('answers, for an ended delivery, its outcome and the queue message and run that ended it', async () => {
    // Prepare
    const [key] = keys(1) as [DeliveryKey];
    const now = new Date();
    await deliveries.claim(key, now, LEASE_MS, 'run-1');

    // Act
    const ended = await deliveries.end(
      key,
      'run-1',
      { outcome: 'failed', reason: 'x', messageId: 'm-1' },
      now,
    );
    const lost = await deliveries.end(key, 'run-2', { outcome: 'sent', messageId: 'm-2' }, now);
    const again = await deliveries.claim(key, later(now), LEASE_MS);

    // Assess
    expect([ended, lost]).toEqual([true, false]);
    expect(again).toEqual({
      kind: 'ended',
      outcome: 'failed',
      endedBy: { messageId: 'm-1', runId: 'run-1' },
    });
  });
});

describe('DeliveryStore.countEnds', () => {
  async function endAll(ledger: readonly DeliveryKey[], messageId: string, runId: string) {
    const now = new Date();
    const ends: EndedDelivery[] = [];
    for (const [i, key] of ledger.entries()) {
      await deliveries.claim(key, now, LEASE_MS, runId);
      const outcome = i % 3 === 2 ? 'failed' : 'sent';
      if (await deliveries.end(key, runId, { outcome, messageId }, now))
        ends.push({ outcome, endedBy: { messageId, runId } });
    }
    return ends;
  }

  it('counts a queue message once however often its count is written', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, 6);
    const ledger = keys(6).map((key) => ({ ...key, campaignId: campaign.id }));
    const ends = await endAll(ledger, 'msg-1', 'run-1');

    // Act: the count, then the same count again (a redelivery after the count landed)
    await deliveries.countEnds(campaign.id, ends, new Date(), 'sms');
    await deliveries.countEnds(campaign.id, ends, new Date(), 'sms');

    // Assess
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 4, failed: 2 });
  });

  it('recounts, on redelivery, the ends of a run that died before its count, and only those', async () => {
    // Prepare: run 1 ends three and dies before counting; run 2 of the same message ends the
    // rest; the claims of run 2 see run 1's ends
    const campaign = await sendingCampaign(campaigns, 6);
    const ledger = keys(6).map((key) => ({ ...key, campaignId: campaign.id }));
    await endAll(ledger.slice(0, 3), 'msg-1', 'run-1');
    const seen = await Promise.all(
      ledger.slice(0, 3).map((key) => deliveries.claim(key, new Date(), LEASE_MS)),
    );
    const own = await endAll(ledger.slice(3), 'msg-1', 'run-2');
    const found = seen.flatMap((claim) =>
      claim.kind === 'ended' && claim.outcome && claim.endedBy
        ? [{ outcome: claim.outcome, endedBy: claim.endedBy }]
        : [],
    );

    // Act: run 2 counts, and a third redelivery counts what it sees again
    await deliveries.countEnds(campaign.id, [...found, ...own], new Date(), 'sms');
    await deliveries.countEnds(campaign.id, [...found, ...own], new Date(), 'sms');

    // Assess
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 4, failed: 2 });
    expect(await deliveries.endedOf(ledger)).toHaveLength(6);
  });
});

describe('expiry', () => {
  it('gives deliveries and attempt records an expiresAt of now plus the retention, and stats none', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, 1);
    const key: DeliveryKey = { campaignId: campaign.id, contactId: `x-${randomUUID()}`, channel: 'email' };
    const now = new Date();
    const expected = Math.floor(now.getTime() / 1000) + RETENTION_DAYS * 24 * 3600;

    // Act
    await deliveries.claim(key, now, LEASE_MS, 'run-x');
    await deliveries.markAttempts([{ key, claimId: 'run-x' }], now);
    await deliveries.end(key, 'run-x', { outcome: 'sent', recipient: 'a@example.com', messageId: 'm' }, now);
    await deliveries.countEnds(
      campaign.id,
      [{ outcome: 'sent', endedBy: { messageId: 'm', runId: 'run-x' } }],
      now,
      'email',
    );

    // Assess
    expect((await itemOf(key))?.expiresAt).toBe(expected);
    const { Items: attempts } = await client.send(
      new QueryCommand({
        TableName: emulators.names.tables.deliveries,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'attempt#run-x' },
        ConsistentRead: true,
      }),
    );
    expect(attempts?.[0]?.expiresAt).toBe(expected);
    const { statsKeys } = await import('../../../shared/adapters/dynamodb/counters');
    const shards = await Promise.all(
      statsKeys(campaign.id).map((Key) =>
        client.send(
          new GetCommand({ TableName: emulators.names.tables.campaigns, Key, ConsistentRead: true }),
        ),
      ),
    );
    const written = shards.flatMap((shard) => (shard.Item ? [shard.Item] : []));
    expect(written).toHaveLength(1);
    expect(written[0]).not.toHaveProperty('expiresAt');
    expect(written[0]).toMatchObject({ sent: 1 });
  });
});

describe('DeliveryStore.end', () => {
  it('keeps what a sent SMS went to on its one item, with no key of an index a write would pay for', async () => {
    // Prepare
    const phone = '+989120000001';
    const [key] = keys(1, 'sms') as [DeliveryKey];
    const now = new Date();
    await deliveries.claim(key, now, LEASE_MS, 'run-s');

    // Act
    const ended = await deliveries.end(
      key,
      'run-s',
      { outcome: 'sent', recipient: phone, content: 'سلام', messageId: 'm' },
      now,
    );

    // Assess
    expect(ended).toBe(true);
    const item = await itemOf(key);
    expect(item).toMatchObject({
      status: 'sent',
      recipient: phone,
      content: 'سلام',
      sentAt: now.toISOString(),
    });
    expect(item).not.toHaveProperty('sentTo');
  });

  it('counts failed deliveries by the kind of their reason, once, and endedOf gives each reason back', async () => {
    // Prepare: four fail, for two kinds of reason; two are sent
    const campaign = await sendingCampaign(campaigns, 6);
    const ledger = keys(6).map((key) => ({ ...key, campaignId: campaign.id }));
    const reasons = [
      'kavenegar 411: invalid receptor',
      'outcome_unknown',
      'kavenegar 411: bad number',
      'outcome_unknown',
    ];
    const now = new Date();
    const ends: EndedDelivery[] = [];
    for (const [i, key] of ledger.entries()) {
      await deliveries.claim(key, now, LEASE_MS, 'run-r');
      const reason = reasons[i];
      const end = reason
        ? { outcome: 'failed' as const, reason, messageId: 'msg-r' }
        : { outcome: 'sent' as const, messageId: 'msg-r' };
      if (await deliveries.end(key, 'run-r', end, now))
        ends.push({
          outcome: end.outcome,
          endedBy: { messageId: 'msg-r', runId: 'run-r' },
          ...(reason ? { reason } : {}),
        });
    }

    // Act: counted twice (a redelivery after the count landed)
    await deliveries.countEnds(campaign.id, ends, new Date(), 'sms');
    await deliveries.countEnds(campaign.id, ends, new Date(), 'sms');

    // Assess
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.stats).toMatchObject({ sent: 2, failed: 4 });
    expect(found?.failures).toEqual({ kavenegar_411: 2, outcome_unknown: 2 });
    const reread = await deliveries.endedOf(ledger);
    expect(reread.filter((end) => end.reason === 'outcome_unknown')).toHaveLength(2);
  });
});
