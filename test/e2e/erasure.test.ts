import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../../shared/definitions';
import type { ConsentEvent, ConsentState } from '../../shared/domain/consent';
import type { DeliveryRecord } from '../../shared/domain/delivery';
import type { SpoofReport } from '../../shared/domain/spoof-report';
import { signatureHeader } from '../../shared/domain/webhook-signature';
import { linesWithPersonalData, personalDataPatterns } from '../integration/consent/pii';
import { type CampaignView, runCampaign } from '../support/campaigns';
import { call, sesEmails, simMessages, WEBHOOK_SECRET } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;
let autumnId = '';

const erin = { phone: '+989121112244', email: 'erin@example.com' };
const keeper = { phone: '+989351234567', email: 'keeper@example.com' };

interface ExportView {
  profile: { phone?: string; email?: string; name?: string } | null;
  consent: { state: ConsentState[]; history: ConsentEvent[] };
  messages: DeliveryRecord[];
  spoofReports: SpoofReport[];
}

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

/** Runs a campaign to the end and returns it with its stats. */
/** Every item of every table, one JSON line each. */
async function everythingStored(): Promise<string[]> {
  const { endpoints } = platform;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const lines: string[] = [];
  try {
    for (const table of Object.values(tables)) {
      const TableName = platform.env[table.envVar];
      for await (const page of paginateScan({ client }, { TableName })) {
        lines.push(...(page.Items ?? []).map((item) => JSON.stringify({ table: table.id, ...item })));
      }
    }
  } finally {
    client.destroy();
  }
  return lines;
}

const smsWith = async (text: string) =>
  (await simMessages(platform.kavenegarUrl)).filter((message) => message.message.includes(text));
const emailsWith = async (subject: string) =>
  (await sesEmails(platform.sesUrl)).filter((email) => email.subject === subject);

describe('a person asks what Chapar holds, then to be forgotten', () => {
  it('exports the profile, consent history with its evidence, the messages sent and the reports filed', async () => {
    // Prepare
    const erinPut = await call(api, 'PUT', '/v1/contacts/erin', {
      json: { phone: '0912 111 2244', email: 'Erin@Example.com', name: 'Erin', locale: 'en' },
    });
    const keeperPut = await call(api, 'PUT', '/v1/contacts/keeper', { json: { ...keeper, name: 'Keeper' } });
    expect([erinPut.status, keeperPut.status]).toEqual([200, 200]);
    const optIn = await call(api, 'POST', '/v1/contacts/erin/consent', {
      json: {
        action: 'opt_in',
        channel: 'email',
        topic: 'newsletter',
        evidence: {
          method: 'double-opt-in',
          reference: 'confirm-1',
          userAgent: 'Mail/2.0',
          ip: '198.51.100.23',
        },
      },
    });
    expect(optIn.status, optIn.text).toBe(201);
    const autumn = await runCampaign(api, {
      name: 'Autumn',
      topic: 'newsletter',
      channels: ['sms', 'email'],
      audience: { contactIds: ['erin', 'keeper'] },
      sms: { text: '{{name}}, autumn news is out' },
      email: { subject: 'Autumn news for {{name}}', html: '<p>Hello {{name}}</p>' },
    });
    expect(autumn.stats).toMatchObject({ total: 4, sent: 4 });
    autumnId = autumn.id;
    const raw = JSON.stringify({
      sender: '+989121110000',
      text: 'You won!',
      reporter: { phone: '09121112244' },
    });
    const report = await call(api, 'POST', '/v1/reports/spoofed-sms', {
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-chapar-signature': signatureHeader(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), raw),
      },
      auth: false,
    });
    expect(report.status).toBe(202);
    // Act
    const exported = await call<ExportView>(api, 'GET', '/v1/contacts/erin/export');
    // Assess
    expect(exported.status).toBe(200);
    expect(exported.body.profile).toMatchObject({ phone: erin.phone, email: erin.email, name: 'Erin' });
    expect(exported.body.consent.history).toEqual([
      expect.objectContaining({
        action: 'opt_in',
        source: 'api',
        evidence: {
          method: 'double-opt-in',
          reference: 'confirm-1',
          userAgent: 'Mail/2.0',
          ipPrefix: '198.51.100.0/24',
        },
      }),
    ]);
    expect(exported.body.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'sms',
          status: 'sent',
          content: expect.stringContaining('Erin, autumn news'),
        }),
        // A sent email's record keeps its address and time, not its (personalised) subject.
        expect.objectContaining({ channel: 'email', status: 'sent', recipient: erin.email }),
      ]),
    );
    expect(exported.body.messages.find((message) => message.channel === 'email')).not.toHaveProperty(
      'content',
    );
    expect(exported.body.messages).toHaveLength(2);
    expect(exported.body.spoofReports).toEqual([
      expect.objectContaining({ text: 'You won!', reporterPhone: erin.phone }),
    ]);
  });

  it('erases the contact everywhere, keeps campaign stats, and answers 204 to a second DELETE', async () => {
    // Act
    const first = await call(api, 'DELETE', '/v1/contacts/erin');
    const second = await call(api, 'DELETE', '/v1/contacts/erin');
    // Assess
    expect([first.status, second.status]).toEqual([204, 204]);
    expect((await call(api, 'GET', '/v1/contacts/erin')).status).toBe(404);
    const autumn = await call<CampaignView>(api, 'GET', `/v1/campaigns/${autumnId}`);
    expect(autumn.body.stats).toMatchObject({ total: 4, sent: 4, suppressed: 0, failed: 0 });
    const exported = await call<ExportView>(api, 'GET', '/v1/contacts/erin/export');
    expect(exported.status).toBe(200);
    expect(exported.body.profile).toBeNull();
    // What stays of the two messages is what the stats need: campaign, channel, status, times.
    expect(exported.body.messages).toHaveLength(2);
    for (const message of exported.body.messages) {
      expect(message).toMatchObject({ campaignId: autumnId, status: 'sent' });
      expect(message).not.toHaveProperty('recipient');
      expect(message).not.toHaveProperty('content');
    }
    expect(exported.body.spoofReports).toEqual([]);
    expect(exported.body.consent.history.map((event) => event.evidence)).toEqual([{}, {}, {}]);
    expect(exported.body.consent.history.filter((event) => event.source === 'erasure')).toHaveLength(2);
    const stored = await everythingStored();
    expect(linesWithPersonalData(stored, personalDataPatterns([erin]))).toEqual([]);
    expect(linesWithPersonalData(stored, personalDataPatterns([keeper])).length).toBeGreaterThan(0);
    expect(stored.filter((line) => line.includes('Erin'))).toEqual([]);
  });

  it('stays unreachable when imported again, until an explicit opt-in with evidence', async () => {
    // Prepare
    const again = await call(api, 'PUT', '/v1/contacts/erin-again', {
      json: { phone: '+98 912 111 2244', email: 'ERIN@example.com', name: 'Erin' },
    });
    expect(again.status).toBe(200);
    // Act
    const winter = await runCampaign(api, {
      name: 'Winter',
      topic: 'newsletter',
      channels: ['sms', 'email'],
      audience: { contactIds: ['erin-again', 'keeper'] },
      sms: { text: '{{name}}, winter news is out' },
      email: { subject: 'Winter news for {{name}}', html: '<p>Hello {{name}}</p>' },
    });
    const resubscribe = await call(api, 'POST', '/v1/contacts/erin-again/consent', {
      json: { action: 'resubscribe', channel: 'email', topic: '*' },
    });
    const optIn = await call(api, 'POST', '/v1/contacts/erin-again/consent', {
      json: {
        action: 'opt_in',
        channel: 'email',
        topic: '*',
        evidence: { method: 'signed-form', reference: 'f-9' },
      },
    });
    const spring = await runCampaign(api, {
      name: 'Spring',
      topic: 'newsletter',
      channels: ['sms', 'email'],
      audience: { contactIds: ['erin-again'] },
      sms: { text: '{{name}}, spring news is out' },
      email: { subject: 'Spring news for {{name}}', html: '<p>Hello {{name}}</p>' },
    });
    // Assess
    expect(winter.stats).toMatchObject({ total: 4, sent: 2, suppressed: 2, failed: 0 });
    expect(await smsWith('Erin, winter news')).toEqual([]);
    expect(await emailsWith('Winter news for Erin')).toEqual([]);
    expect(await smsWith('Keeper, winter news')).toHaveLength(1);
    expect(resubscribe.status).toBe(409);
    expect(optIn.status, optIn.text).toBe(201);
    expect(spring.stats).toMatchObject({ total: 2, sent: 1, suppressed: 1, failed: 0 });
    expect(await smsWith('Erin, spring news')).toEqual([]);
    const springMail = await emailsWith('Spring news for Erin');
    expect(springMail.map((email) => email.destination.to)).toEqual([[erin.email]]);
  });
});
