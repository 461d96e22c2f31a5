import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import { newId } from '../../../shared/domain/ids';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { type ApiHandler, callApi } from '../consent/api';
import { simMessages } from '../kavenegar/sim-control';

const SENDER = '50004001051233';

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let api: ApiHandler;

interface TestAnswer {
  results: { target: string; channel: string; to?: string; status: string; reason?: string }[];
}

const contacts = {
  'ct-fa': { phone: '0912 555 2001', email: 'ct-fa@example.com', name: 'سارا', locale: 'fa' },
  'ct-en': { phone: '0912 555 2002', email: 'ct-en@example.com', name: 'Ann', locale: 'en' },
  'ct-out': { phone: '0912 555 2003', email: 'ct-out@example.com', name: 'Reza' },
  'ct-gone': { phone: '0912 555 2004', email: 'ct-gone@example.com' },
};

async function createCampaign(subject: string): Promise<string> {
  const created = await callApi<{ id: string }>(
    api,
    'POST /v1/campaigns',
    {},
    {
      json: {
        name: 'Autumn sale',
        topic: 'promotions',
        channels: ['sms', 'email'],
        audience: { all: true },
        sms: { text: '{{name}} عزیز، حراج پاییزه شروع شد' },
        email: { subject, html: '<p>سلام {{name}}</p>' },
        sendAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    },
  );
  expect(created.status).toBe(201);
  return created.body.id;
}

function testSend(campaignId: string, json: unknown) {
  return callApi<TestAnswer>(api, 'POST /v1/campaigns/{campaignId}/test', { campaignId }, { json });
}

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  emulators = await useEmulators({ env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000' } });
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  for (const [contactId, contact] of Object.entries(contacts)) {
    const stored = await callApi(api, 'PUT /v1/contacts/{contactId}', { contactId }, { json: contact });
    expect(stored.status).toBe(200);
  }
  const optOut = await callApi(
    api,
    'POST /v1/contacts/{contactId}/consent',
    { contactId: 'ct-out' },
    { json: { action: 'opt_out', channel: 'sms', topic: 'promotions', evidence: { method: 'signed-form' } } },
  );
  expect(optOut.status).toBe(201);
  const erased = await callApi(api, 'DELETE /v1/contacts/{contactId}', { contactId: 'ct-gone' });
  expect(erased.status).toBe(204);
});

afterAll(async () => {
  await sim?.end();
});

describe('POST /v1/campaigns/{campaignId}/test', () => {
  it('sends the real rendering marked as a test, from the one line, per locale, outside the stats', async () => {
    // Prepare
    const subject = `خبر پاییز ${newId()}`;
    const campaignId = await createCampaign(subject);
    const before = (await simMessages(sim.url)).length;
    // Act
    const answer = await testSend(campaignId, { contactIds: ['ct-fa', 'ct-en'] });
    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body.results).toEqual(
      expect.arrayContaining([
        { target: 'ct-fa', channel: 'sms', to: '+98912***01', status: 'sent' },
        { target: 'ct-fa', channel: 'email', to: 'c***@e***.com', status: 'sent' },
        { target: 'ct-en', channel: 'sms', to: '+98912***02', status: 'sent' },
        { target: 'ct-en', channel: 'email', to: 'c***@e***.com', status: 'sent' },
      ]),
    );
    const sms = (await simMessages(sim.url)).slice(before);
    expect(sms.map((message) => message.sender)).toEqual([SENDER, SENDER]);
    const toFa = sms.find((message) => message.receptor === '09125552001');
    const toEn = sms.find((message) => message.receptor === '09125552002');
    expect(toFa?.message).toMatch(
      /^\[آزمایشی\] سارا عزیز، حراج پاییزه شروع شد\nhttps:\/\/chapar\.test\/s\/\S+ لغو۱۱$/,
    );
    expect(toEn?.message).toMatch(/^\[test\] Ann عزیز، حراج پاییزه شروع شد\n.* لغو۱۱$/);
    const mails = (await emulators.sentEmails()).filter((email) => email.subject.endsWith(subject));
    expect(mails.map((email) => email.subject).sort()).toEqual([`[test] ${subject}`, `[آزمایشی] ${subject}`]);
    const headers = new Map((mails[0]?.headers ?? []).map((header) => [header.name, header.value]));
    expect(headers.get('List-Unsubscribe')).toMatch(/^<https:\/\/chapar\.test\/u\/[A-Za-z0-9_.-]+>$/);
    expect(headers.get('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const view = await callApi<{ status: string; stats: { sent: number; total: number } }>(
      api,
      'GET /v1/campaigns/{campaignId}',
      { campaignId },
    );
    expect(view.body.status).toBe('scheduled');
    expect(view.body.stats).toMatchObject({ sent: 0, total: 0 });
  });

  it('does not send twice when the same call is retried within the window', async () => {
    // Prepare
    const campaignId = await createCampaign(`Retry ${newId()}`);
    const first = await testSend(campaignId, { phones: ['۰۹۱۲ ۵۵۵ ۲۰۰۱'] });
    const before = (await simMessages(sim.url)).length;
    // Act
    const retried = await testSend(campaignId, { phones: ['+98 912 555 2001'] });
    // Assess
    expect(first.body.results).toEqual([
      { target: '+98912***01', channel: 'sms', to: '+98912***01', status: 'sent' },
    ]);
    expect(retried.body.results).toEqual([
      {
        target: '+98912***01',
        channel: 'sms',
        to: '+98912***01',
        status: 'skipped',
        reason: 'sent_within_window',
      },
    ]);
    expect((await simMessages(sim.url)).length).toBe(before);
  });

  it('skips an opted-out contact and an erased address with the reason, and sends the rest', async () => {
    // Prepare
    const campaignId = await createCampaign(`Skips ${newId()}`);
    const before = (await simMessages(sim.url)).length;
    // Act
    const answer = await testSend(campaignId, {
      contactIds: ['ct-out', 'no-such-contact'],
      phones: ['09125552004', '09125552999'],
      emails: ['CT-GONE@example.com'],
    });
    // Assess
    expect(answer.status).toBe(202);
    expect(answer.body.results).toEqual(
      expect.arrayContaining([
        { target: 'ct-out', channel: 'sms', to: '+98912***03', status: 'skipped', reason: 'opted_out' },
        { target: 'ct-out', channel: 'email', to: 'c***@e***.com', status: 'sent' },
        { target: 'no-such-contact', channel: 'sms', status: 'skipped', reason: 'not_found' },
        { target: '+98912***04', channel: 'sms', to: '+98912***04', status: 'skipped', reason: 'erased' },
        {
          target: 'c***@e***.com',
          channel: 'email',
          to: 'c***@e***.com',
          status: 'skipped',
          reason: 'erased',
        },
        // No contact holds it: rendered as for a nameless Persian contact.
        { target: '+98912***99', channel: 'sms', to: '+98912***99', status: 'sent' },
      ]),
    );
    const sms = (await simMessages(sim.url)).slice(before);
    expect(sms.map((message) => message.receptor)).toEqual(['09125552999']);
    expect(sms[0]?.message).toMatch(/^\[آزمایشی\] {2}عزیز، حراج/);
  });

  it.each([
    ['no target', {}, '(body)'],
    [
      'eleven targets',
      { phones: Array.from({ length: 11 }, (_, i) => `0912555${String(3000 + i)}`) },
      'phones',
    ],
    ['a phone that is no Iranian mobile', { phones: ['12345'] }, 'phones.0'],
    ['a bad email', { emails: ['not-an-address'] }, 'emails.0'],
    ['a contact id holding a phone', { contactIds: ['09125552001'] }, 'contactIds.0'],
    ['an unknown field', { to: ['x'] }, '(body)'],
  ])('answers 400 to %s, naming the field', async (_, body, field) => {
    // Prepare
    const campaignId = await createCampaign(`Bad ${newId()}`);
    // Act
    const answer = await callApi<{ issues: { field: string }[] }>(
      api,
      'POST /v1/campaigns/{campaignId}/test',
      { campaignId },
      { json: body },
    );
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue) => issue.field)).toContain(field);
  });

  it('answers 404 for a campaign that does not exist', async () => {
    // Act
    const answer = await testSend(newId(), { phones: ['09125552001'] });
    // Assess
    expect(answer.status).toBe(404);
  });
});
