import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryKey } from '../../../shared/domain/delivery';
import type { DeliveryStore, PersonalDataStore } from '../../../shared/ports';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
/** Two senders (two Lambda containers): nothing one caches helps the other. */
let sender: DeliveryStore;
let other: () => DeliveryStore;
let personal: PersonalDataStore;

const LEASE_MS = 60_000;

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  sender = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);
  other = () => factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);
  personal = factory.personalDataStore({
    contacts: names.tables.contacts,
    consent: names.tables.consent,
    deliveries: names.tables.deliveries,
    reports: names.tables.reports,
  });
});

function emails(count: number): DeliveryKey[] {
  const campaignId = `run-end-${randomUUID()}`;
  return Array.from({ length: count }, (_, i) => ({
    campaignId,
    contactId: `c${i}-${randomUUID()}`,
    channel: 'email' as const,
  }));
}

const address = (key: DeliveryKey) => `${key.contactId}@example.com`;

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

async function runRecords(run: string): Promise<Record<string, unknown>[]> {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: emulators.names.tables.deliveries,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `attempt#${run}` },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** Claims (with the address), records the call, as deliverRecipients does for one SES call. */
async function claimAndCall(ledger: readonly DeliveryKey[], run: string, now: Date): Promise<void> {
  for (const key of ledger) {
    const claim = await sender.claim(key, now, LEASE_MS, run, { recipient: address(key) });
    expect(claim).toMatchObject({ kind: 'claimed', takeover: false });
  }
  await sender.markAttempts(
    ledger.map((key) => ({ key, claimId: run })),
    now,
  );
}

describe("an email run's end record", () => {
  it('ends the sent emails in one record of the run: their items are written once (the claim, with the address)', async () => {
    // Prepare
    const run = randomUUID();
    const ledger = emails(3);
    const now = new Date();
    await claimAndCall(ledger, run, now);

    // Act
    await sender.endSent(
      run,
      'message-1',
      ledger.slice(0, 2).map((key, i) => ({ key, providerMessageId: `ses-${i}` })),
      now,
    );

    // Assess: one attempt record and one end record; the items keep their claims
    const records = await runRecords(run);
    expect(records.map((record) => String(record.sk).startsWith('end#'))).toEqual([false, true]);
    expect(records[1]).toMatchObject({
      messageId: 'message-1',
      contactIds: ledger.slice(0, 2).map((key) => key.contactId),
      providerMessageIds: ['ses-0', 'ses-1'],
      expiresAt: expect.any(Number),
    });
    // No address and no subject in the run's record: erasure scrubs them on the items.
    expect(JSON.stringify(records[1])).not.toContain('@');
    for (const key of ledger)
      expect(await itemOf(key)).toMatchObject({ status: 'sending', claimId: run, recipient: address(key) });
  });

  it('is read by a redelivery at once: endedOf and a claim find the emails sent, without waiting for the lease', async () => {
    // Prepare
    const run = randomUUID();
    const ledger = emails(3);
    const now = new Date();
    await claimAndCall(ledger, run, now);
    await sender.endSent(
      run,
      'message-2',
      ledger.slice(0, 2).map((key) => ({ key, providerMessageId: 'ses' })),
      now,
    );
    const redelivery = other();

    // Act
    const ended = await redelivery.endedOf(ledger);
    const claims = await Promise.all(ledger.map((key) => redelivery.claim(key, now, LEASE_MS, randomUUID())));

    // Assess: the third is still held by the live run (its outcome is its own to end)
    expect(ended.map((end) => end.key.contactId).sort()).toEqual(
      ledger
        .slice(0, 2)
        .map((key) => key.contactId)
        .sort(),
    );
    for (const end of ended)
      expect(end).toMatchObject({ outcome: 'sent', endedBy: { messageId: 'message-2', runId: run } });
    expect(claims).toEqual([
      { kind: 'ended', outcome: 'sent', endedBy: { messageId: 'message-2', runId: run } },
      { kind: 'ended', outcome: 'sent', endedBy: { messageId: 'message-2', runId: run } },
      { kind: 'held' },
    ]);
  });

  it('is read before a takeover: an email its dead run ended is never taken over nor failed as outcome_unknown', async () => {
    // Prepare: the run ends its email, then dies before anything else
    const run = randomUUID();
    const [key] = emails(1) as [DeliveryKey];
    const now = new Date();
    await claimAndCall([key], run, now);
    await sender.endSent(run, 'message-3', [{ key, providerMessageId: 'ses' }], now);

    // Act: long after the lease
    const claim = await other().claim(key, new Date(now.getTime() + 2 * LEASE_MS), LEASE_MS, randomUUID());

    // Assess
    expect(claim).toEqual({
      kind: 'ended',
      outcome: 'sent',
      endedBy: { messageId: 'message-3', runId: run },
    });
    expect(await itemOf(key)).toMatchObject({ status: 'sending', claimId: run });
  });

  it('missing after a crash between the SES call and the end leaves the email outcome-unknown: a takeover, never a second send', async () => {
    // Prepare: the run calls SES for both and dies before its end record
    const run = randomUUID();
    const ledger = emails(2);
    const now = new Date();
    await claimAndCall(ledger, run, now);
    const store = other();
    // A live run's missing end is not remembered: asked before the lease ran out, then after it.
    expect(await store.claim(ledger[0] as DeliveryKey, now, LEASE_MS, randomUUID())).toEqual({
      kind: 'held',
    });

    // Act
    const after = new Date(now.getTime() + 2 * LEASE_MS);
    const claims = await Promise.all(ledger.map((key) => store.claim(key, after, LEASE_MS, randomUUID())));

    // Assess: the takeover knows SES may have been reached (the email channel fails it)
    for (const claim of claims)
      expect(claim).toMatchObject({ kind: 'claimed', takeover: true, attemptedAt: now.toISOString() });
    expect(await store.endedOf(ledger)).toEqual([]);
  });

  it('shows in an export as sent to its address, and an erasure scrubs the address from the item', async () => {
    // Prepare
    const run = randomUUID();
    const [key] = emails(1) as [DeliveryKey];
    const now = new Date();
    await claimAndCall([key], run, now);
    await sender.endSent(run, 'message-4', [{ key, providerMessageId: 'ses' }], now);

    // Act
    const exported = await personal.deliveriesOf(key.contactId, [address(key)]);
    await personal.scrubDeliveries(key.contactId, [address(key)], new Date());

    // Assess
    expect(exported).toEqual([
      {
        campaignId: key.campaignId,
        channel: 'email',
        status: 'sent',
        recipient: address(key),
        sentAt: now.toISOString(),
      },
    ]);
    const scrubbed = await itemOf(key);
    expect(scrubbed).not.toHaveProperty('recipient');
    expect(scrubbed).toMatchObject({ erasedAt: expect.any(String) });
    expect(await personal.deliveriesOf(key.contactId, [])).toEqual([
      { campaignId: key.campaignId, channel: 'email', status: 'sent', sentAt: now.toISOString() },
    ]);
    expect(await other().endedOf([key])).toEqual([
      { key, outcome: 'sent', endedBy: { messageId: 'message-4', runId: run } },
    ]);
  });
});
