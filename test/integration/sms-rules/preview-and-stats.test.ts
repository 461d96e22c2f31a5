import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import type { DispatchMessage, RecipientsMessage } from '../../../shared/domain/messages';
import { analyseSms } from '../../../shared/domain/sms-segments';
import { sqsEvent } from '../../fixtures/campaigns';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { type ApiHandler, callApi } from '../consent/api';
import { simMessages } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
const TEMPLATE = '{{name}} عزیز، حراج پاییزه شروع شد';
/** The template for a contact with no name, with test/support/emulators.ts's base URL. */
const SAMPLE = ' عزیز، حراج پاییزه شروع شد\nhttps://chapar.test/s/a1B2c3D4e5 لغو۱۱';

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let api: ApiHandler;
let sendSms: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;

interface SmsFigures {
  encoding: string;
  characters: number;
  segments: number;
  perSegment?: number;
  sample?: string;
}

const campaignBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Autumn sale',
  topic: 'promotions',
  channels: ['sms'],
  audience: { contactIds: ['ali', 'abdolrahman', 'ali', 'mail-only'] },
  sms: { text: TEMPLATE },
  ...overrides,
});

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  emulators = await useEmulators({
    env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000', CHAPAR_QUIET_HOURS: '' },
  });
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  ({ handler: sendSms } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof sendSms;
  });
  const contacts = {
    ali: { phone: '0912 444 0001', name: 'علی' },
    abdolrahman: { phone: '0912 444 0002', name: 'عبدالرحمن کریمی‌زاده بزرگمهر' },
    'mail-only': { email: 'mail-only@example.com', name: 'Mina' },
  };
  for (const [contactId, contact] of Object.entries(contacts)) {
    const stored = await callApi(api, 'PUT /v1/contacts/{contactId}', { contactId }, { json: contact });
    expect(stored.status).toBe(200);
  }
});

afterAll(async () => {
  await sim?.end();
});

describe('POST /v1/campaigns/preview', () => {
  it('shows the final SMS for a contact with empty values, with its encoding and segments, and the audience', async () => {
    // Prepare
    const body = campaignBody();
    // Act
    const preview = await callApi<{ sms: SmsFigures; audience: number }>(
      api,
      'POST /v1/campaigns/preview',
      {},
      { json: body },
    );
    // Assess
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      sms: { encoding: 'UCS-2', characters: SAMPLE.length, segments: 1, perSegment: 70, sample: SAMPLE },
      audience: 3,
      // ali and abdolrahman have phones; mail-only has none.
      reach: { sms: { reachable: 2, notOptedOut: 2 } },
      // Quiet hours are off in this file: the SMS go as the campaign starts.
      smsStartsAt: expect.any(String),
    });
  });

  it('counts a Latin text as UCS-2 once «لغو۱۱» is added, and splits it past 70', async () => {
    // Prepare
    const body = campaignBody({ audience: { all: true }, sms: { text: `Autumn sale: ${'x'.repeat(30)}` } });
    // Act
    const preview = await callApi<{ sms: SmsFigures; audience?: number }>(
      api,
      'POST /v1/campaigns/preview',
      {},
      { json: body },
    );
    // Assess
    expect(preview.status).toBe(200);
    expect(preview.body.sms).toMatchObject({
      encoding: 'UCS-2',
      characters: 82,
      segments: 2,
      perSegment: 67,
    });
    // Everyone: the three contacts this file stored.
    expect(preview.body.audience).toBe(3);
  });

  it('refuses what POST /v1/campaigns refuses, naming the field', async () => {
    // Prepare
    const body = campaignBody({ sms: { text: 'x'.repeat(779) } });
    // Act
    const preview = await callApi<{ issues: { field: string; message: string }[] }>(
      api,
      'POST /v1/campaigns/preview',
      {},
      { json: body },
    );
    // Assess
    expect(preview.status).toBe(400);
    expect(preview.body.issues).toEqual([
      { field: 'sms.text', message: expect.stringContaining('at most 778 characters') },
    ]);
  });
});

describe('GET /v1/campaigns/{campaignId}', () => {
  it('shows the template’s SMS figures and the segments each recipient’s own text takes', async () => {
    // Prepare: create, dispatch with the senders' layout, then send
    await emulators.purge();
    const created = await callApi<{ id: string }>(api, 'POST /v1/campaigns', {}, { json: campaignBody() });
    expect(created.status).toBe(201);
    const { dispatchCampaign } = await import('../../../shared/use-cases/dispatch-campaign');
    const { contactsAudience } = await import('../../../shared/use-cases/audience-source');
    const { smsLayout } = await import('../../../shared/domain/sms-text');
    const factory = await import('../../../shared/adapters/factory');
    const { names } = emulators;
    const deps = {
      campaigns: factory.campaignStore(names.tables.campaigns),
      audience: contactsAudience(factory.contactStore(names.tables.contacts), 2),
      queue: factory.workQueue({ dispatch: names.queues.dispatch.url, sms: names.queues.sms.url }),
      now: () => new Date(),
      pageSize: 100,
      leaseMs: 60_000,
      smsLayout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
    };
    // The start, then each unit's pages, until no dispatch message is left.
    const results: string[] = [];
    for (;;) {
      const pages = await emulators.receiveAll('dispatch', { waitSeconds: 1 });
      if (pages.length === 0) break;
      for (const page of pages)
        results.push(await dispatchCampaign(deps, JSON.parse(page.Body ?? '') as DispatchMessage));
    }
    expect(results).toContain('finished');
    for (const received of await emulators.receiveAll('sms', { waitSeconds: 1 })) {
      await sendSms(sqsEvent(JSON.parse(received.Body ?? '') as RecipientsMessage), context);
    }
    // Act
    const view = await callApi<{ sms: SmsFigures; stats: { expectedSegments: number; sent: number } }>(
      api,
      'GET /v1/campaigns/{campaignId}',
      { campaignId: created.body.id },
    );
    // Assess: علی's SMS fits one segment, the long name pushes the other to two
    expect(view.status).toBe(200);
    expect(view.body.sms).toEqual({ encoding: 'UCS-2', characters: SAMPLE.length, segments: 1 });
    expect(view.body.stats).toMatchObject({ sent: 2, expectedSegments: 3 });
    const sent = await simMessages(sim.url);
    const actual = sent.reduce((sum, sms) => sum + analyseSms(sms.message).segments, 0);
    expect(actual).toBe(view.body.stats.expectedSegments);
  });
});
