import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../../../shared/domain/consent';
import type { DeliveryKey } from '../../../shared/domain/delivery';
import { newId } from '../../../shared/domain/ids';
import type { ConsentStore, DeliveryStore } from '../../../shared/ports';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let consent: ConsentStore;
let deliveries: DeliveryStore;

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  consent = factory.consentStore(names.tables.consent);
  deliveries = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);
});

function event(contactId: string, topic: string, action: ConsentEvent['action']): ConsentEvent {
  return {
    id: newId(),
    contactId,
    action,
    channel: 'sms',
    topic,
    source: 'api',
    at: new Date().toISOString(),
    evidence: {},
  };
}

async function phaseOf(key: DeliveryKey): Promise<unknown> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: emulators.names.tables.deliveries,
      Key: { pk: key.campaignId, sk: `${key.contactId}#${key.channel}` },
      ConsistentRead: true,
    }),
  );
  return Item?.phase;
}

describe('ConsentStore.statesForMany', () => {
  it("reads, for every contact, only the states that decide the topic: the topic's own and the all-topics switch", async () => {
    // Prepare: 150 contacts (two BatchGetItem calls' worth of keys), a few with states
    const run = randomUUID().slice(0, 8);
    const ids = Array.from({ length: 150 }, (_, i) => `many-${run}-${i}`);
    const [first = '', second = '', third = ''] = ids;
    await consent.record(event(first, 'promotions', 'opt_out'));
    await consent.record(event(first, 'newsletter', 'opt_out'));
    await consent.record(event(second, '*', 'opt_out'));
    await consent.record(event(third, 'newsletter', 'opt_out'));
    await consent.record(event(third, 'promotions', 'resubscribe'));

    // Act
    const states = await consent.statesForMany(ids, 'sms', 'promotions');

    // Assess
    expect(states.size).toBe(150);
    const summary = (id: string) => (states.get(id) ?? []).map((state) => [state.topic, state.status]).sort();
    expect(summary(first)).toEqual([['promotions', 'opted_out']]);
    expect(summary(second)).toEqual([['*', 'opted_out']]);
    expect(summary(third)).toEqual([['promotions', 'subscribed']]);
    expect(ids.slice(3).every((id) => states.get(id)?.length === 0)).toBe(true);
  });
});

describe('DeliveryStore.markAttempts', () => {
  async function claimed(count: number): Promise<{ key: DeliveryKey; claimId: string }[]> {
    const campaignId = `mark-${randomUUID()}`;
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const key: DeliveryKey = { campaignId, contactId: `c${i}`, channel: 'sms' };
        const claim = await deliveries.claim(key, new Date(), 60_000);
        if (claim.kind !== 'claimed') throw new Error('fixture delivery not claimable');
        return { key, claimId: claim.claimId };
      }),
    );
  }

  it('marks more deliveries than one transaction holds', async () => {
    // Prepare
    const claims = await claimed(130);

    // Act
    await deliveries.markAttempts(claims, new Date());

    // Assess
    const phases = await Promise.all(claims.map(({ key }) => phaseOf(key)));
    expect(phases.every((phase) => phase === 'provider')).toBe(true);
  });

  it('marks none of a part and throws when one claim was lost to another sender', async () => {
    // Prepare: the second delivery's lease was taken over
    const claims = await claimed(3);
    const lost = claims.map((claim, i) => (i === 1 ? { ...claim, claimId: 'someone-else' } : claim));

    // Act
    const attempt = deliveries.markAttempts(lost, new Date());

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(await Promise.all(claims.map(({ key }) => phaseOf(key)))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
