import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { createContext } from '../../../local/lambda/context';
import type { ScheduleInput } from '../../../local/lambda/scheduler';
import { KavenegarSmsStatusSource } from '../../../shared/adapters/kavenegar/sms-status-source';
import type { Campaign } from '../../../shared/domain/campaign';
import type { CampaignStore, ConsentStore, ContactStore, SmsStatusPolls } from '../../../shared/ports';
import type { PollDeps } from '../../../shared/use-cases/delivery-status';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { campaignDeliveries } from '../../support/deliveries';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { eventually } from '../../support/http';
import { mobile, setFaults, simMessages, simRequests } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
const FINAL_STATUSES = new Set([6, 10, 11, 13, 14]);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let campaigns: CampaignStore;
let contacts: ContactStore;
let consent: ConsentStore;
let polls: SmsStatusPolls;
let sendSms: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let poll: (event: ScheduleInput, context: Context) => Promise<Record<string, unknown>>;
let db: typeof import('../../../shared/adapters/dynamodb/client');
let useCase: typeof import('../../../shared/use-cases/delivery-status');
let deps: Omit<PollDeps, 'provider'>;
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
  polls = factory.smsPollStore({
    polls: names.tables.smsPolls,
    deliveries: names.tables.deliveries,
    campaigns: names.tables.campaigns,
  });
  db = await import('../../../shared/adapters/dynamodb/client');
  useCase = await import('../../../shared/use-cases/delivery-status');
  deps = { polls, consent, now: () => new Date() };
  ({ handler: sendSms } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof sendSms;
  });
  ({ handler: poll } = (await import('../../../functions/schedule-poll-sms-status/handler')) as unknown as {
    handler: typeof poll;
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

/** The campaign's poll batches, as stored. */
async function batchesOf(campaign: Campaign): Promise<Record<string, unknown>[]> {
  const result = await db.dynamoDocumentClient().send(
    new ScanCommand({
      TableName: emulators.names.tables.smsPolls,
      FilterExpression: 'campaignId = :id',
      ExpressionAttributeValues: { ':id': campaign.id },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

/** Sends SMS through queue-send-sms, `perMessage` recipients a queue message, and waits for Kavenegar's finals. */
async function sentCampaign(
  contactIds: readonly string[],
  options: { waitFinal?: boolean; perMessage?: number } = {},
) {
  const campaign = await sendingCampaign(campaigns, contactIds.length, { channels: ['sms'] });
  const per = options.perMessage ?? 200;
  const bodies = [];
  for (let start = 0; start < contactIds.length; start += per)
    bodies.push({
      v: 1 as const,
      campaignId: campaign.id,
      channel: 'sms' as const,
      contactIds: contactIds.slice(start, start + per),
    });
  for (const body of bodies) {
    const answer = await sendSms(
      sqsEvent(body),
      createContext('queue-send-sms', { region: emulators.endpoints.region, deadline: Date.now() + 60_000 }),
    );
    expect(answer.batchItemFailures).toEqual([]);
  }
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

/** Moves a campaign's batches back, as if `ms` had passed since their send (due now). */
async function backdate(campaign: Campaign, ms: number): Promise<void> {
  const sentAt = new Date(Date.now() - ms).toISOString();
  for (const item of await batchesOf(campaign)) {
    await db.dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: emulators.names.tables.smsPolls,
        Key: { pk: item.pk },
        UpdateExpression: 'SET sentAt = :sentAt, dueAt = :now',
        ExpressionAttributeValues: { ':sentAt': sentAt, ':now': new Date(Date.now() - 1000).toISOString() },
      }),
    );
  }
}

/** One scheduled run, with the event and context EventBridge Scheduler and Lambda give. */
function runPoll() {
  const now = new Date();
  return poll(
    { schedule: 'PollSmsStatuses', scheduledTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    createContext('schedule-poll-sms-status', {
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

async function simProvider() {
  const { KavenegarClient } = await import('../../../shared/adapters/kavenegar/client');
  return new KavenegarSmsStatusSource(
    new KavenegarClient({ baseUrl: sim.url, apiKey: testSecretValues.kavenegarApiKey, timeoutMs: 2000 }),
  );
}

describe('schedule-poll-sms-status', () => {
  it('records one batch per provider attempt, due a minute after the send, and polls nothing before', async () => {
    // Prepare
    const [contactId] = (await contactsWith([10])) as [string];
    const { campaign, ids: messageIds } = await sentCampaign([contactId]);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    await runPoll();

    // Assess
    const batches = await batchesOf(campaign);
    expect(batches).toHaveLength(1);
    const [batch] = batches as [Record<string, unknown>];
    expect(batch[`msg:${messageIds[0]}`]).toBe(contactId);
    expect(Date.parse(String(batch.dueAt)) - Date.parse(String(batch.sentAt))).toBe(MINUTE_MS);
    expect((await statusCalls(requestsBefore)).flat()).not.toContain(messageIds[0]);
    expect(await stats(campaign)).toMatchObject({ sent: 1, delivered: 0 });
  });

  it('gives every SMS of a campaign its final status by polling, 500 ids a call, counted once', async () => {
    // Prepare: 210 recipients in two queue messages (two batches), asked about in one call
    const finals = Array.from({ length: 210 }, (_, index) => (index % 7 === 0 ? 11 : 10));
    const ids = await contactsWith(finals);
    const { campaign, ids: messageIds } = await sentCampaign(ids, { perMessage: 105 });
    await backdate(campaign, 2 * MINUTE_MS);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    const result = await runPoll();
    const again = await runPoll();

    // Assess
    const calls = await statusCalls(requestsBefore);
    // One call carries both batches' ids (and any other batch of this file that fell due).
    expect(calls).toHaveLength(1);
    expect(calls[0]?.filter((id) => messageIds.includes(id)).sort()).toEqual([...messageIds].sort());
    expect(result).toMatchObject({ complete: true, stoppedByProvider: false, calls: 1 });
    expect(again).toMatchObject({ polled: 0, calls: 0 });
    expect(await stats(campaign)).toMatchObject({ sent: 210, delivered: 180, undelivered: 30 });
    const items = await deliveriesOf(campaign);
    // Delivered: the counter only. Undelivered: on its delivery too.
    expect(items.filter((item) => item.deliveryStatus === 'undelivered')).toHaveLength(30);
    expect(items.filter((item) => item.deliveryStatus === undefined)).toHaveLength(180);
    expect((await batchesOf(campaign)).every((batch) => batch.pollBucket === undefined)).toBe(true);
  });

  it('applies each final status where it belongs: 11, 6, 13 and 14 on the delivery, 10 as a count', async () => {
    // Prepare
    const finals = [10, 10, 11, 6, 14, 13];
    const ids = await contactsWith(finals);
    const { campaign } = await sentCampaign(ids);
    await backdate(campaign, 2 * MINUTE_MS);

    // Act
    await runPoll();

    // Assess
    expect(byContact(await deliveriesOf(campaign))).toEqual(
      Object.fromEntries(
        ids.map((id, index) => [
          id,
          { 10: 'none', 11: 'undelivered', 6: 'failed', 14: 'blocked', 13: 'undelivered' }[
            finals[index] as 10 | 11 | 6 | 14 | 13
          ],
        ]),
      ),
    );
    expect(await stats(campaign)).toMatchObject({ sent: 6, delivered: 2, undelivered: 4 });
  });

  it('turns status 14 into an SMS opt-out, and the next campaign suppresses that contact on SMS', async () => {
    // Prepare
    const [blocked, fine] = (await contactsWith([14, 10])) as [string, string];
    const { campaign } = await sentCampaign([blocked, fine]);
    await backdate(campaign, 2 * MINUTE_MS);

    // Act
    await runPoll();
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
    const [item] = (await deliveriesOf(campaign)).filter((delivery) => delivery.contactId === blocked);
    expect(item).toMatchObject({ deliveryStatus: 'blocked' });
    expect(item).not.toHaveProperty('optOutPending');
  });

  it("gives up on SMS past Kavenegar's 48-hour status window as unknown: not asked, nothing counted", async () => {
    // Prepare
    const [contactId] = (await contactsWith([10])) as [string];
    const { campaign, ids: messageIds } = await sentCampaign([contactId]);
    await backdate(campaign, 49 * HOUR_MS);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    const result = await runPoll();

    // Assess
    expect(result).toMatchObject({ unknown: 1 });
    expect((await statusCalls(requestsBefore)).flat()).not.toContain(messageIds[0]);
    const [batch] = await batchesOf(campaign);
    expect(batch?.pollBucket).toBeUndefined();
    expect(batch?.unknownIds).toEqual(new Set(messageIds));
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 0 });
  });

  it('stops a run at a Kavenegar error, changing nothing, and the next run catches up', async () => {
    // Prepare
    const [contactId] = (await contactsWith([11])) as [string];
    const { campaign } = await sentCampaign([contactId]);
    await backdate(campaign, 2 * MINUTE_MS);
    await setFaults(sim.url, { failNext: { code: 451, count: 1 } });

    // Act
    const stopped = await runPoll();
    const before = await deliveriesOf(campaign);
    const next = await runPoll();

    // Assess
    expect(stopped).toMatchObject({ stoppedByProvider: true, complete: false });
    expect(before[0]?.deliveryStatus).toBeUndefined();
    expect(next).toMatchObject({ stoppedByProvider: false, complete: true });
    expect(byContact(await deliveriesOf(campaign))).toEqual({ [contactId]: 'undelivered' });
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 1 });
  });
});

describe('pollSmsStatuses', () => {
  it('keeps SMS still with the operator (1, 2, 4, 5) or unknown to Kavenegar (100) for the next poll by age', async () => {
    // Prepare
    const codes = [1, 2, 4, 5, 100];
    const ids = await contactsWith(codes.map(() => 10));
    const { campaign, ids: messageIds } = await sentCampaign(ids);
    await backdate(campaign, 2 * MINUTE_MS);
    const answers = new Map(messageIds.map((id, index) => [id, codes[index] as number]));
    const provider = new KavenegarSmsStatusSource({
      status: async (asked: readonly string[]) =>
        asked.map((messageId) => ({ messageId, status: answers.get(messageId) ?? 100, statusText: '' })),
    });

    // Act
    const summary = await useCase.pollSmsStatuses({ ...deps, provider });

    // Assess
    expect(summary.applied).toEqual({ delivered: 0, undelivered: 0, failed: 0, blocked: 0 });
    const [batch] = (await batchesOf(campaign)) as [Record<string, unknown>];
    // Sent two minutes ago: the next poll is at five minutes.
    expect(Date.parse(String(batch.dueAt)) - Date.parse(String(batch.sentAt))).toBe(5 * MINUTE_MS);
    expect(batch.pollBucket).toMatch(/^poll#\d$/);
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 0 });
  });

  it("takes one of Kavenegar's calls per sms/status call: with none free it asks nothing, and the next run asks", async () => {
    // Prepare: one call a second, held by a send still in flight
    const ids = await contactsWith([10]);
    const { campaign } = await sentCampaign(ids);
    await backdate(campaign, 2 * MINUTE_MS);
    const { KavenegarClient } = await import('../../../shared/adapters/kavenegar/client');
    const { DynamoRateLimiter } = await import('../../../shared/adapters/dynamodb/rate-limiter');
    const calls = new DynamoRateLimiter({
      client: db.dynamoDocumentClient(),
      tableName: emulators.names.tables.rateLimits,
      name: `test-calls-${campaign.id}`,
      limitPerSecond: 100,
      callsPerSecond: 1,
    });
    const provider = new KavenegarSmsStatusSource(
      new KavenegarClient({ baseUrl: sim.url, apiKey: testSecretValues.kavenegarApiKey, timeoutMs: 2000 }),
      { calls, callWaitMs: 1_500 },
    );
    const send = await calls.lease(10);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act: a run while the send's call is open, then one after it answered
    const stopped = await useCase.pollSmsStatuses({ ...deps, provider });
    const askedWhileBusy = await statusCalls(requestsBefore);
    await send.release();
    const next = await useCase.pollSmsStatuses({ ...deps, provider });

    // Assess: the first run stopped on the budget without a call; the next asked once, a second on
    expect(stopped.error).toMatchObject({ provider: 'rate-limiter', code: 'rate_limited' });
    expect(stopped.applied.delivered).toBe(0);
    expect(askedWhileBusy).toEqual([]);
    expect(next.error).toBeUndefined();
    expect(next.applied.delivered).toBe(1);
    expect(await statusCalls(requestsBefore)).toHaveLength(1);
    // The send's second is over; the status call's, released on its answer, still holds its call.
    const held = await calls.grants();
    expect(held.map((grant) => [grant.units, grant.open === true])).toEqual([[0, false]]);
  });

  it('counts once when polls run concurrently and again', async () => {
    // Prepare
    const ids = await contactsWith([10, 10, 10, 11, 11]);
    const { campaign } = await sentCampaign(ids);
    await backdate(campaign, 2 * MINUTE_MS);
    const provider = await simProvider();

    // Act
    const runs = await Promise.all([1, 2, 3].map(() => useCase.pollSmsStatuses({ ...deps, provider })));
    await backdate(campaign, 2 * MINUTE_MS);
    const later = await useCase.pollSmsStatuses({ ...deps, provider });

    // Assess
    expect(runs.reduce((sum, run) => sum + run.applied.delivered + run.applied.undelivered, 0)).toBe(5);
    expect(later.applied).toEqual({ delivered: 0, undelivered: 0, failed: 0, blocked: 0 });
    expect(await stats(campaign)).toMatchObject({ delivered: 3, undelivered: 2 });
  });

  it('counts once an attempt recorded again (a redelivery that found its SMS by local id)', async () => {
    // Prepare
    const ids = await contactsWith([10, 11]);
    const { campaign } = await sentCampaign(ids);
    await backdate(campaign, 2 * MINUTE_MS);
    const provider = await simProvider();
    await useCase.pollSmsStatuses({ ...deps, provider });
    const [batch] = (await batchesOf(campaign)) as [Record<string, unknown>];
    const sent = Object.entries(batch)
      .filter(([name]) => name.startsWith('msg:'))
      .map(([name, contactId]) => ({ messageId: name.slice(4), contactId: String(contactId) }));

    // Act
    await polls.record(campaign.id, new Date(String(batch.pk).split('#').at(-1) ?? ''), sent);
    await backdate(campaign, 2 * MINUTE_MS);
    const again = await useCase.pollSmsStatuses({ ...deps, provider });

    // Assess
    expect(await batchesOf(campaign)).toHaveLength(1);
    expect(again.polled).toBe(0);
    expect(await stats(campaign)).toMatchObject({ delivered: 1, undelivered: 1 });
  });

  it('finishes a status-14 opt-out that a crash cut off after the status, counting nothing twice', async () => {
    // Prepare: the function dies between the status and the consent record
    const [contactId] = (await contactsWith([14])) as [string];
    const { campaign } = await sentCampaign([contactId]);
    await backdate(campaign, 2 * MINUTE_MS);
    const provider = await simProvider();
    const crashing: ConsentStore = {
      history: (id) => consent.history(id),
      states: (id, channel) => consent.states(id, channel),
      statesForMany: (ids, channel, topic) => consent.statesForMany(ids, channel, topic),
      record: async () => {
        throw new Error('function crashed');
      },
    };
    await expect(useCase.pollSmsStatuses({ ...deps, consent: crashing, provider })).rejects.toThrow(
      'function crashed',
    );
    const [cut] = await deliveriesOf(campaign);
    expect(cut).toMatchObject({ deliveryStatus: 'blocked', optOutPending: true });
    await backdate(campaign, 2 * MINUTE_MS);

    // Act
    const result = await runPoll();

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
    expect(item).not.toHaveProperty('optOutPending');
    expect((await batchesOf(campaign))[0]?.pollBucket).toBeUndefined();
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 1 });
  });

  it('splits sms/status calls at the given size', async () => {
    // Prepare
    const ids = await contactsWith([10, 10, 10, 10, 10, 10, 11]);
    const { campaign, ids: messageIds } = await sentCampaign(ids);
    await backdate(campaign, 2 * MINUTE_MS);
    const requestsBefore = (await simRequests(sim.url)).length;

    // Act
    const summary = await useCase.pollSmsStatuses(
      { ...deps, provider: await simProvider() },
      { idsPerCall: 2 },
    );

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
});
