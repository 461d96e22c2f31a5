import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { createContext } from '../../../local/lambda/context';
import type { ScheduleInput } from '../../../local/lambda/scheduler';
import { KavenegarSmsStatusSource } from '../../../shared/adapters/kavenegar/sms-status-source';
import type { Campaign } from '../../../shared/domain/campaign';
import type { CampaignStore, ConsentStore, ContactStore } from '../../../shared/ports';
import type { ReconcileDeps } from '../../../shared/use-cases/delivery-status';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { campaignDeliveries, deliveryKey } from '../../support/deliveries';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { eventually } from '../../support/http';
import { mobile, setFaults, simMessages, simRequests } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
const FINAL_STATUSES = new Set([6, 10, 11, 13, 14]);
const HOUR_MS = 3600_000;

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let campaigns: CampaignStore;
let contacts: ContactStore;
let consent: ConsentStore;
let sendSms: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let reconcile: (event: ScheduleInput, context: Context) => Promise<Record<string, unknown>>;
let db: typeof import('../../../shared/adapters/dynamodb/client');
let useCase: typeof import('../../../shared/use-cases/delivery-status');
let deps: Omit<ReconcileDeps, 'provider'>;
let nextPhone = 3_000_000;

beforeAll(async () => {
  sim = await startKavenegarSimulator({
    port: 0,
    apiKey: testSecretValues.kavenegarApiKey,
    lines: [SENDER],
    statusDelaysMs: { operator: 20, final: 100 },
  });
  emulators = await useEmulators({
    env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000', CHAPAR_QUIET_HOURS: '' },
  });
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  consent = factory.consentStore(names.tables.consent);
  db = await import('../../../shared/adapters/dynamodb/client');
  useCase = await import('../../../shared/use-cases/delivery-status');
  const { DynamoDeliveryStatusStore } = await import(
    '../../../shared/adapters/dynamodb/delivery-status-store'
  );
  deps = {
    statuses: new DynamoDeliveryStatusStore(
      db.dynamoDocumentClient(),
      names.tables.deliveries,
      names.tables.campaigns,
    ),
    consent,
    now: () => new Date(),
  };
  ({ handler: sendSms } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof sendSms;
  });
  ({ handler: reconcile } = (await import(
    '../../../functions/schedule-reconcile-sms/handler'
  )) as unknown as {
    handler: typeof reconcile;
  });
});

afterAll(async () => {
  await sim?.end();
});

/** Contacts with fresh phones; `finals` steers each one's final Kavenegar status. */
async function contactsWith(finals: readonly number[]): Promise<string[]> {
  const ids: string[] = [];
  const statusFor: Record<string, number> = {};
  for (const final of finals) {
    nextPhone += 1;
    const id = `r${nextPhone}`;
    await contacts.upsert(id, { phone: mobile(nextPhone), locale: 'fa', attributes: {} }, new Date());
    statusFor[mobile(nextPhone)] = final;
    ids.push(id);
  }
  await setFaults(sim.url, { statusFor });
  return ids;
}

interface DeliveryItem {
  readonly contactId: string;
  readonly sk: string;
  readonly status: string;
  readonly providerMessageId?: string;
  readonly deliveryStatus?: string;
  readonly inFlightShard?: string;
  readonly optOutPending?: boolean;
}

async function deliveriesOf(campaign: Campaign): Promise<DeliveryItem[]> {
  return (await campaignDeliveries(
    db.dynamoDocumentClient(),
    emulators.names.tables.deliveries,
    campaign.id,
  )) as unknown as DeliveryItem[];
}

const byContact = (items: readonly DeliveryItem[]) =>
  Object.fromEntries(items.map((item) => [item.contactId, item.deliveryStatus ?? 'none']));

/**
 * Sends a campaign's SMS through queue-send-sms and waits until Kavenegar has a final status for
 * each; `ids` are the message ids of the SMS that went out.
 */
async function sentCampaign(contactIds: readonly string[], options: { waitFinal?: boolean } = {}) {
  const campaign = await sendingCampaign(campaigns, contactIds.length, { channels: ['sms'] });
  const answer = await sendSms(
    sqsEvent({ v: 1, campaignId: campaign.id, channel: 'sms', contactIds: [...contactIds] }),
    createContext('queue-send-sms', { region: emulators.endpoints.region, deadline: Date.now() + 60_000 }),
  );
  expect(answer.batchItemFailures).toEqual([]);
  const ids = (await deliveriesOf(campaign)).flatMap((item) =>
    item.providerMessageId ? [item.providerMessageId] : [],
  );
  if (options.waitFinal !== false) {
    await eventually(async () => {
      const mine = (await simMessages(sim.url)).filter((sms) => ids.includes(String(sms.messageid)));
      return mine.every((sms) => FINAL_STATUSES.has(sms.status)) ? true : undefined;
    }, 'a final status for every SMS at Kavenegar');
  }
  return { campaign, ids };
}

/** Moves a campaign's send times back, as if `ms` had passed since the send. */
async function backdate(campaign: Campaign, ms: number): Promise<void> {
  const sentAt = new Date(Date.now() - ms).toISOString();
  for (const item of await deliveriesOf(campaign)) {
    await db.dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: emulators.names.tables.deliveries,
        Key: deliveryKey({ campaignId: campaign.id, contactId: item.contactId, channel: 'sms' }),
        UpdateExpression: 'SET sentAt = :sentAt',
        ExpressionAttributeValues: { ':sentAt': sentAt },
      }),
    );
  }
}

/** One scheduled run, with the event and context EventBridge Scheduler and Lambda give. */
function runReconciliation() {
  const now = new Date();
  return reconcile(
    { schedule: 'ReconcileSmsStatuses', scheduledTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    createContext('schedule-reconcile-sms', {
      region: emulators.endpoints.region,
      deadline: now.getTime() + 120_000,
    }),
  );
}

/** The message ids of each sms/status call made since the `from`-th request. */
async function statusCalls(from: number): Promise<string[][]> {
  return (await simRequests(sim.url))
    .slice(from)
    .filter((request) => request.path.endsWith('/sms/status.json'))
    .map((request) => (request.params.messageid ?? '').split(','));
}

async function stats(campaign: Campaign) {
  const found = await campaigns.getWithStats(campaign.id);
  if (!found) throw new Error('campaign vanished');
  return found.stats;
}

describe('schedule-reconcile-sms', () => {
  it('polls in-flight SMS in batches of at most 500 ids and applies their final statuses', async () => {
    // Prepare
    const finals = [10, 10, 10, 10, 11, 6, 14, 13];
    const ids = await contactsWith(finals);
    const { campaign, ids: messageIds } = await sentCampaign(ids);
    await backdate(campaign, 2 * 60_000);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    const result = await runReconciliation();

    // Assess
    const calls = await statusCalls(requestsBefore);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.length).toBeLessThanOrEqual(500);
    const polled = calls.flat().filter((id) => messageIds.includes(id));
    expect(polled.sort()).toEqual([...messageIds].sort());
    expect(result).toMatchObject({ complete: true, stoppedByProvider: false });
    const items = await deliveriesOf(campaign);
    expect(byContact(items)).toEqual(
      Object.fromEntries(
        ids.map((id, index) => [
          id,
          { 10: 'delivered', 11: 'undelivered', 6: 'failed', 14: 'blocked', 13: 'undelivered' }[
            finals[index] as 10 | 11 | 6 | 14 | 13
          ],
        ]),
      ),
    );
    expect(items.filter((item) => item.inFlightShard !== undefined)).toEqual([]);
    expect(await stats(campaign)).toMatchObject({ sent: 8, delivered: 4, undelivered: 4 });
  });

  it('turns status 14 into an SMS opt-out, and the next campaign suppresses that contact on SMS', async () => {
    // Prepare
    const [blocked, fine] = (await contactsWith([14, 10])) as [string, string];
    const { campaign } = await sentCampaign([blocked, fine]);
    await backdate(campaign, 2 * 60_000);

    // Act
    await runReconciliation();
    const { campaign: next, ids: nextIds } = await sentCampaign([blocked, fine], { waitFinal: false });

    // Assess
    expect(await consent.history(blocked)).toEqual([
      expect.objectContaining({
        action: 'opt_out',
        channel: 'sms',
        topic: '*',
        source: 'kavenegar_status_14',
        campaignId: campaign.id,
      }),
    ]);
    expect(await consent.history(fine)).toEqual([]);
    expect(await stats(next)).toMatchObject({ sent: 1, suppressed: 1 });
    expect(nextIds).toHaveLength(1);
    const nextItems = await deliveriesOf(next);
    expect(Object.fromEntries(nextItems.map((item) => [`${item.contactId}#sms`, item.status]))).toEqual({
      [`${blocked}#sms`]: 'suppressed',
      [`${fine}#sms`]: 'sent',
    });
  });

  it('leaves SMS sent less than a minute ago to delivery reports', async () => {
    // Prepare
    const [contactId] = (await contactsWith([10])) as [string];
    const { campaign, ids: messageIds } = await sentCampaign([contactId]);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    await runReconciliation();

    // Assess
    expect((await statusCalls(requestsBefore)).flat()).not.toContain(messageIds[0]);
    const [item] = await deliveriesOf(campaign);
    expect(item?.deliveryStatus).toBeUndefined();
    expect(item?.inFlightShard).toMatch(/^sms#\d$/);
  });

  it("gives up on SMS past Kavenegar's 48-hour status window: no longer in flight, nothing counted", async () => {
    // Prepare
    const [contactId] = (await contactsWith([10])) as [string];
    const { campaign, ids: messageIds } = await sentCampaign([contactId]);
    await backdate(campaign, 49 * HOUR_MS);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    const result = await runReconciliation();

    // Assess
    expect(result).toMatchObject({ abandoned: 1 });
    expect((await statusCalls(requestsBefore)).flat()).not.toContain(messageIds[0]);
    const [item] = await deliveriesOf(campaign);
    expect(item?.deliveryStatus).toBeUndefined();
    expect(item?.inFlightShard).toBeUndefined();
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 0 });
  });

  it('stops a run at a Kavenegar error, changing nothing, and the next run catches up', async () => {
    // Prepare
    const [contactId] = (await contactsWith([11])) as [string];
    const { campaign } = await sentCampaign([contactId]);
    await backdate(campaign, 2 * 60_000);
    await setFaults(sim.url, { failNext: { code: 451, count: 1 } });

    // Act
    const stopped = await runReconciliation();
    const before = await deliveriesOf(campaign);
    const next = await runReconciliation();

    // Assess
    expect(stopped).toMatchObject({ stoppedByProvider: true, complete: false });
    expect(before[0]?.deliveryStatus).toBeUndefined();
    expect(next).toMatchObject({ stoppedByProvider: false, complete: true });
    expect(byContact(await deliveriesOf(campaign))).toEqual({ [contactId]: 'undelivered' });
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 1 });
  });
});

describe('reconcileSmsStatuses', () => {
  it('finishes a status-14 opt-out that a crash cut off after the status move, counting nothing twice', async () => {
    // Prepare: the function dies between the status move and the consent record
    const [contactId] = (await contactsWith([14])) as [string];
    const { campaign } = await sentCampaign([contactId]);
    await backdate(campaign, 2 * 60_000);
    const { KavenegarClient } = await import('../../../shared/adapters/kavenegar/client');
    const provider = new KavenegarSmsStatusSource(
      new KavenegarClient({ baseUrl: sim.url, apiKey: testSecretValues.kavenegarApiKey, timeoutMs: 2000 }),
    );
    const crashing: ConsentStore = {
      history: (id) => consent.history(id),
      states: (id, channel) => consent.states(id, channel),
      statesForMany: (ids, channel, topic) => consent.statesForMany(ids, channel, topic),
      record: async () => {
        throw new Error('function crashed');
      },
    };
    await expect(useCase.reconcileSmsStatuses({ ...deps, consent: crashing, provider })).rejects.toThrow(
      'function crashed',
    );
    const [cut] = await deliveriesOf(campaign);
    expect(cut).toMatchObject({ deliveryStatus: 'blocked', optOutPending: true });

    // Act
    const result = await runReconciliation();

    // Assess
    expect(result).toMatchObject({ optOutsFinished: 1 });
    const optOuts = (await consent.history(contactId)).filter(
      (event) => event.source === 'kavenegar_status_14',
    );
    expect(optOuts).toEqual([
      expect.objectContaining({ campaignId: campaign.id, topic: '*', channel: 'sms' }),
    ]);
    const [item] = await deliveriesOf(campaign);
    expect(item?.deliveryStatus).toBe('blocked');
    expect(item?.inFlightShard).toBeUndefined();
    expect(item).not.toHaveProperty('optOutPending');
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 1 });
  });

  it('reads every shard page by page and splits sms/status calls at the batch size', async () => {
    // Prepare
    const ids = await contactsWith([10, 10, 10, 10, 10, 10, 11]);
    const { campaign, ids: messageIds } = await sentCampaign(ids);
    await backdate(campaign, 2 * 60_000);
    const { KavenegarClient } = await import('../../../shared/adapters/kavenegar/client');
    const provider = new KavenegarSmsStatusSource(
      new KavenegarClient({ baseUrl: sim.url, apiKey: testSecretValues.kavenegarApiKey, timeoutMs: 2000 }),
    );
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    const summary = await useCase.reconcileSmsStatuses({ ...deps, provider }, { batchSize: 2 });

    // Assess
    const calls = await statusCalls(requestsBefore);
    for (const call of calls) expect(call.length).toBeLessThanOrEqual(2);
    expect(
      calls
        .flat()
        .filter((id) => messageIds.includes(id))
        .sort(),
    ).toEqual([...messageIds].sort());
    expect(summary.complete).toBe(true);
    expect(await stats(campaign)).toMatchObject({ delivered: 6, undelivered: 1 });
  });

  it('changes nothing for statuses still in flight (1, 2, 4, 5) or unknown to Kavenegar (100)', async () => {
    // Prepare
    const codes = [1, 2, 4, 5, 100];
    const ids = await contactsWith(codes.map(() => 10));
    const { campaign, ids: messageIds } = await sentCampaign(ids);
    await backdate(campaign, 2 * 60_000);
    const answers = new Map(messageIds.map((id, index) => [id, codes[index] as number]));
    const provider = new KavenegarSmsStatusSource({
      status: async (asked: readonly string[]) =>
        asked.map((messageId) => ({ messageId, status: answers.get(messageId) ?? 100, statusText: '' })),
    });

    // Act
    const summary = await useCase.reconcileSmsStatuses({ ...deps, provider });

    // Assess
    expect(summary.applied).toEqual({ delivered: 0, undelivered: 0, failed: 0, blocked: 0 });
    const items = await deliveriesOf(campaign);
    expect(items.map((item) => item.deliveryStatus)).toEqual(codes.map(() => undefined));
    expect(items.every((item) => /^sms#\d$/.test(item.inFlightShard ?? ''))).toBe(true);
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 0 });
  });
});
