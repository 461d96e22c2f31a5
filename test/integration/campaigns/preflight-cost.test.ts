import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { KavenegarClient } from '../../../shared/adapters/kavenegar/client';
import { KavenegarProviderAccount } from '../../../shared/adapters/kavenegar/provider-account';
import { testSecretValues, useEmulators } from '../../support/emulators';
import { type ApiHandler, callApi } from '../consent/api';
import { setFaults } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
/** Less than three one-part SMS at the default CHAPAR_SMS_PRICE_RIAL (1,200). */
const CREDIT = 3_000;

let sim: KavenegarSimulator;
let api: ApiHandler;

const campaignBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Autumn sale',
  topic: 'promotions',
  channels: ['sms'],
  audience: { contactIds: ['pf-1', 'pf-2', 'pf-3', 'pf-mail'] },
  sms: { text: 'حراج پاییزه شروع شد' },
  ...overrides,
});

beforeAll(async () => {
  sim = await startKavenegarSimulator({
    port: 0,
    apiKey: testSecretValues.kavenegarApiKey,
    lines: [SENDER],
    credit: CREDIT,
  });
  await useEmulators({ env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000' } });
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  const contacts = {
    'pf-1': { phone: '0912 444 1001' },
    'pf-2': { phone: '0912 444 1002' },
    'pf-3': { phone: '0912 444 1003' },
    'pf-mail': { email: 'pf-mail@example.com' },
  };
  for (const [contactId, contact] of Object.entries(contacts)) {
    const stored = await callApi(api, 'PUT /v1/contacts/{contactId}', { contactId }, { json: contact });
    expect(stored.status).toBe(200);
  }
});

afterAll(async () => {
  await sim?.end();
});

describe('pre-flight cost through the API', () => {
  it('previews the SMS recipients, segments and Rial against the credit account/info reports', async () => {
    // Act
    const preview = await callApi<{ cost: unknown }>(
      api,
      'POST /v1/campaigns/preview',
      {},
      { json: campaignBody() },
    );
    // Assess
    expect(preview.status).toBe(200);
    expect(preview.body.cost).toEqual({
      sms: { recipients: 3, segments: 3, rial: 3_600 },
      creditRial: CREDIT,
      enough: false,
    });
  });

  it('refuses to create a campaign the credit cannot pay for, with 409 and both figures', async () => {
    // Act
    const created = await callApi<Record<string, unknown>>(
      api,
      'POST /v1/campaigns',
      {},
      { json: campaignBody() },
    );
    // Assess
    expect(created.status).toBe(409);
    expect(created.body).toEqual({
      message: expect.stringMatching(/3600 Rial .*credit is 3000 Rial.*allowPartial/),
      cost: { recipients: 3, segments: 3, rial: 3_600 },
      creditRial: CREDIT,
    });
  });

  it('creates it with allowPartial: true, saying the sending will pause when the credit runs out', async () => {
    // Act
    const created = await callApi<{ id: string; status: string; warnings: string[] }>(
      api,
      'POST /v1/campaigns',
      {},
      { json: campaignBody({ allowPartial: true, sendAt: new Date(Date.now() + 3_600_000).toISOString() }) },
    );
    // Assess
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('scheduled');
    expect(created.body.warnings).toEqual([expect.stringMatching(/pauses when the credit runs out/)]);
  });

  it('answers 400 naming allowPartial when it is not a boolean', async () => {
    // Act
    const created = await callApi<{ issues: unknown }>(
      api,
      'POST /v1/campaigns',
      {},
      { json: campaignBody({ allowPartial: 'yes' }) },
    );
    // Assess
    expect(created.status).toBe(400);
    expect(created.body.issues).toEqual([{ field: 'allowPartial', message: 'must be true or false' }]);
  });
});

describe('KavenegarProviderAccount against the simulator', () => {
  it('reads the credit set through the control API, its expiry and the account type', async () => {
    // Prepare
    const client = new KavenegarClient({
      baseUrl: sim.url,
      apiKey: testSecretValues.kavenegarApiKey,
      timeoutMs: 2_000,
    });
    const account = new KavenegarProviderAccount(async () => client, { ttlMs: 0 });
    await setFaults(sim.url, { credit: 52_000 });
    // Act
    const credit = await account.smsCredit();
    // Assess
    expect(credit.rial).toBe(52_000);
    expect(credit.accountType).toBe('Master');
    expect(Date.parse(credit.expiresAt)).toBeGreaterThan(Date.now());
  });
});
