import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { createContext } from '../../../local/lambda/context';
import type { LambdaHandler } from '../../../local/lambda/functions';
import { type HttpGateway, startHttpGateway } from '../../../local/lambda/http-gateway';
import type { Campaign } from '../../../shared/domain/campaign';
import type { CampaignStore, ConsentStore, ContactStore } from '../../../shared/ports';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { campaignDeliveries, deliveryKey } from '../../support/deliveries';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { eventually } from '../../support/http';
import { mobile, setFaults } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
const SECRET = testSecretValues.deliveryCallbackSecret;

/** What the simulator POSTed to its callbackUrl: Kavenegar's own report requests. */
interface RecordedReport {
  readonly contentType: string;
  readonly body: string;
  readonly messageid: string;
  readonly status: number;
}

let sim: KavenegarSimulator;
let recorder: Server;
const recorded: RecordedReport[] = [];
let gateway: HttpGateway;
let emulators: TestEmulators;
let campaigns: CampaignStore;
let contacts: ContactStore;
let consent: ConsentStore;
let sendSms: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let db: typeof import('../../../shared/adapters/dynamodb/client');
let nextPhone = 2_000_000;

beforeAll(async () => {
  // Prepare: Kavenegar reports to a recorder, so each test replays real report requests at will
  recorder = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const form = new URLSearchParams(body);
      recorded.push({
        contentType: request.headers['content-type'] ?? '',
        body,
        messageid: form.get('messageid') ?? '',
        status: Number(form.get('status')),
      });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  sim = await startKavenegarSimulator({
    port: 0,
    apiKey: testSecretValues.kavenegarApiKey,
    lines: [SENDER],
    callbackUrl: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/report`,
    statusDelaysMs: { operator: 20, final: 100 },
  });
  emulators = await useEmulators({
    env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000', CHAPAR_QUIET_HOURS: '' },
  });
  const factory = await import('../../../shared/adapters/factory');
  const { names } = emulators;
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  consent = factory.consentStore(names.tables.consent);
  db = await import('../../../shared/adapters/dynamodb/client');
  ({ handler: sendSms } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof sendSms;
  });
  const report = (await import('../../../functions/http-delivery-report/handler')) as unknown as {
    handler: LambdaHandler;
  };
  const api = (await import('../../../functions/http-api/handler')) as unknown as { handler: LambdaHandler };
  gateway = await startHttpGateway({
    port: 0,
    region: emulators.endpoints.region,
    handlers: { 'http-delivery-report': report.handler, 'http-api': api.handler },
  });
});

afterAll(async () => {
  await gateway?.end();
  await sim?.end();
  await new Promise((resolve) => recorder?.close(resolve));
});

/** Contacts with fresh phones; `finals` steers each one's final Kavenegar status. */
async function contactsWith(finals: readonly number[]): Promise<string[]> {
  const ids: string[] = [];
  const statusFor: Record<string, number> = {};
  for (const final of finals) {
    nextPhone += 1;
    const id = `c${nextPhone}`;
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
  readonly providerMessageId?: string;
  readonly deliveryStatus?: string;
  readonly inFlightShard?: string;
}

async function deliveriesOf(campaign: Campaign): Promise<DeliveryItem[]> {
  return (await campaignDeliveries(
    db.dynamoDocumentClient(),
    emulators.names.tables.deliveries,
    campaign.id,
  )) as unknown as DeliveryItem[];
}

async function delivery(campaign: Campaign, contactId: string): Promise<DeliveryItem | undefined> {
  const result = await db.dynamoDocumentClient().send(
    new GetCommand({
      TableName: emulators.names.tables.deliveries,
      Key: deliveryKey({ campaignId: campaign.id, contactId, channel: 'sms' }),
      ConsistentRead: true,
    }),
  );
  return result.Item as DeliveryItem | undefined;
}

/** Sends a campaign's SMS through queue-send-sms and waits for Kavenegar's report on each. */
async function sentCampaign(
  contactIds: readonly string[],
): Promise<{ campaign: Campaign; reports: RecordedReport[] }> {
  const campaign = await sendingCampaign(campaigns, contactIds.length, { channels: ['sms'] });
  const context = createContext('queue-send-sms', {
    region: emulators.endpoints.region,
    deadline: Date.now() + 60_000,
  });
  const answer = await sendSms(
    sqsEvent({ v: 1, campaignId: campaign.id, channel: 'sms', contactIds: [...contactIds] }),
    context,
  );
  expect(answer.batchItemFailures).toEqual([]);
  const ids = new Set((await deliveriesOf(campaign)).map((item) => item.providerMessageId));
  expect(ids.size).toBe(contactIds.length);
  const reports = await eventually(async () => {
    const mine = recorded.filter((report) => ids.has(report.messageid));
    return mine.length === ids.size ? mine : undefined;
  }, 'a delivery report for every SMS');
  return { campaign, reports };
}

/** Replays a recorded report request (same body and content type) to the callback route. */
async function replay(report: RecordedReport, secret = SECRET): Promise<{ status: number; body: unknown }> {
  return post(`/v1/callbacks/kavenegar/${encodeURIComponent(secret)}`, report.body, report.contentType);
}

async function post(
  path: string,
  body: string,
  contentType: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
  return { status: response.status, body: await response.json() };
}

async function stats(campaign: Campaign): Promise<Record<string, unknown>> {
  const response = await fetch(`${gateway.url}/v1/campaigns/${campaign.id}`, {
    headers: { authorization: `Bearer ${testSecretValues.apiKey}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { stats: Record<string, unknown> }).stats;
}

const byContact = (items: readonly DeliveryItem[]) =>
  Object.fromEntries(items.map((item) => [item.contactId, item.deliveryStatus]));

describe('POST /v1/callbacks/kavenegar/{secret}', () => {
  it("moves statuses from Kavenegar's reports, and status 14 becomes an SMS opt-out", async () => {
    // Prepare
    const [delivered, undelivered, failed, blocked, cancelled] = await contactsWith([10, 11, 6, 14, 13]);
    const ids = [delivered, undelivered, failed, blocked, cancelled] as string[];
    const { campaign, reports } = await sentCampaign(ids);

    // Act
    const answers = await Promise.all(reports.map((report) => replay(report)));

    // Assess
    expect(answers).toEqual(reports.map(() => ({ status: 200, body: { outcome: 'applied' } })));
    const items = await deliveriesOf(campaign);
    expect(byContact(items)).toEqual({
      [delivered as string]: 'delivered',
      [undelivered as string]: 'undelivered',
      [failed as string]: 'failed',
      [blocked as string]: 'blocked',
      [cancelled as string]: 'undelivered',
    });
    expect(items.filter((item) => item.inFlightShard !== undefined)).toEqual([]);
    expect(await stats(campaign)).toMatchObject({ sent: 5, delivered: 1, undelivered: 4 });
    const history = await consent.history(blocked as string);
    expect(history).toEqual([
      expect.objectContaining({
        action: 'opt_out',
        channel: 'sms',
        topic: '*',
        source: 'kavenegar_status_14',
        campaignId: campaign.id,
        evidence: {},
      }),
    ]);
    expect(await consent.states(blocked as string, 'sms')).toEqual([
      expect.objectContaining({ topic: '*', status: 'opted_out', source: 'kavenegar_status_14' }),
    ]);
  });

  it.each([
    { case: 'a wrong secret', secret: 'not-the-secret' },
    { case: 'the secret cut short', secret: SECRET.slice(0, -1) },
    { case: 'the secret in another case', secret: SECRET.toUpperCase() },
  ])('answers 404 to $case and changes nothing', async ({ secret }) => {
    // Prepare
    const [contactId] = (await contactsWith([14])) as [string];
    const { campaign, reports } = await sentCampaign([contactId]);

    // Act
    const answers = await Promise.all(reports.map((report) => replay(report, secret)));

    // Assess
    expect(answers).toEqual([{ status: 404, body: { message: 'Not Found' } }]);
    const item = await delivery(campaign, contactId);
    expect(item?.deliveryStatus).toBeUndefined();
    expect(item?.inFlightShard).toMatch(/^sms#\d$/);
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 0 });
    expect(await consent.history(contactId)).toEqual([]);
  });

  it('counts the same report once, whether it comes again later or twice at once', async () => {
    // Prepare
    const [delivered, blocked] = (await contactsWith([10, 14])) as [string, string];
    const { campaign, reports } = await sentCampaign([delivered, blocked]);

    // Act
    const together = await Promise.all(reports.flatMap((report) => [replay(report), replay(report)]));
    const later = await Promise.all(reports.map((report) => replay(report)));

    // Assess
    const outcomes = together.map((answer) => (answer.body as { outcome: string }).outcome).sort();
    expect(outcomes).toEqual(['already_final', 'already_final', 'applied', 'applied']);
    expect(later).toEqual(reports.map(() => ({ status: 200, body: { outcome: 'already_final' } })));
    expect(await stats(campaign)).toMatchObject({ delivered: 1, undelivered: 1 });
    expect(byContact(await deliveriesOf(campaign))).toEqual({
      [delivered]: 'delivered',
      [blocked]: 'blocked',
    });
    const optOuts = (await consent.history(blocked)).filter(
      (event) => event.source === 'kavenegar_status_14',
    );
    expect(optOuts).toHaveLength(1);
  });

  it('acknowledges a report for an unknown message id with 200 and changes nothing', async () => {
    // Prepare
    const [contactId] = (await contactsWith([10])) as [string];
    const { campaign } = await sentCampaign([contactId]);
    const before = await deliveriesOf(campaign);

    // Act
    const answer = await post(
      `/v1/callbacks/kavenegar/${SECRET}`,
      'messageid=987654321012&status=10',
      'application/x-www-form-urlencoded',
    );

    // Assess
    expect(answer).toEqual({ status: 200, body: { outcome: 'unknown_message' } });
    expect(await deliveriesOf(campaign)).toEqual(before);
    expect(await stats(campaign)).toMatchObject({ delivered: 0, undelivered: 0 });
  });

  it('takes the report from the query string or from a JSON body too', async () => {
    // Prepare
    const [byQuery, byJson] = (await contactsWith([10, 11])) as [string, string];
    const { campaign, reports } = await sentCampaign([byQuery, byJson]);
    const idOf = async (contactId: string) => (await delivery(campaign, contactId))?.providerMessageId;
    const queryId = await idOf(byQuery);
    const jsonId = await idOf(byJson);

    // Act
    const fromQuery = await post(
      `/v1/callbacks/kavenegar/${SECRET}?messageid=${queryId}&status=10`,
      '',
      'text/plain',
    );
    const fromJson = await post(
      `/v1/callbacks/kavenegar/${SECRET}`,
      JSON.stringify({ messageid: Number(jsonId), status: 11 }),
      'application/json',
    );

    // Assess
    expect(reports).toHaveLength(2);
    expect([fromQuery, fromJson]).toEqual([
      { status: 200, body: { outcome: 'applied' } },
      { status: 200, body: { outcome: 'applied' } },
    ]);
    expect(byContact(await deliveriesOf(campaign))).toEqual({
      [byQuery]: 'delivered',
      [byJson]: 'undelivered',
    });
  });

  it.each([
    { case: 'no messageid', body: 'status=10', field: 'messageid' },
    { case: 'a messageid that is not a number', body: 'messageid=abc&status=10', field: 'messageid' },
    { case: 'no status', body: 'messageid=100000001', field: 'status' },
    { case: 'a status that is not a number', body: 'messageid=100000001&status=ten', field: 'status' },
    { case: 'an empty body and no query', body: '', field: 'messageid' },
  ])('refuses a report with $case: 400 naming the field', async ({ body, field }) => {
    // Prepare: the body comes from the table

    // Act
    const answer = await post(`/v1/callbacks/kavenegar/${SECRET}`, body, 'application/x-www-form-urlencoded');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: expect.stringContaining(field) });
  });

  it('refuses a JSON body that is not an object with 400', async () => {
    // Prepare
    const body = '[1, 2]';

    // Act
    const answer = await post(`/v1/callbacks/kavenegar/${SECRET}`, body, 'application/json');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: expect.stringContaining('JSON object') });
  });
});
