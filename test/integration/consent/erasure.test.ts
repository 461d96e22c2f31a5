import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { type ConsentEvent, type ConsentState, isSuppressed } from '../../../shared/domain/consent';
import type { DeliveryRecord } from '../../../shared/domain/delivery';
import type { SpoofReport } from '../../../shared/domain/spoof-report';
import type { Channel } from '../../../shared/domain/types';
import type { CampaignStore, ConsentStore, DeliveryStore } from '../../../shared/ports';
import { tombstoneHashes } from '../../../shared/use-cases/contact-consent';
import { sendingCampaign } from '../../fixtures/campaigns';
import { deliveryKey } from '../../support/deliveries';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { type ApiHandler, callApi } from './api';
import { linesWithPersonalData, personalDataPatterns } from './pii';

let emulators: TestEmulators;
let handler: ApiHandler;
let client: DynamoDBDocumentClient;
let campaigns: CampaignStore;
let consent: ConsentStore;
let deliveries: DeliveryStore;
let campaign: Campaign;
/** An earlier campaign, sent when Erin had another phone number. */
let earlier: Campaign;

const erin = { phone: '+989121112244', email: 'erin@example.com' };
const erinsFormerPhone = '+989121119999';
const keeper = { phone: '+989351234567', email: 'keeper@example.com' };

interface ConsentView {
  state: ConsentState[];
  history: ConsentEvent[];
}

interface ExportView {
  contactId: string;
  profile: { phone?: string; email?: string; name?: string } | null;
  consent: ConsentView;
  messages: DeliveryRecord[];
  spoofReports: SpoofReport[];
}

async function sent(
  contactId: string,
  channel: Channel,
  recipient: string,
  content: string,
  from: Campaign = campaign,
): Promise<void> {
  const key = { campaignId: from.id, contactId, channel };
  const claim = await deliveries.claim(key, new Date(), 60_000);
  if (claim.kind !== 'claimed') throw new Error(`delivery ${contactId}#${channel} not claimable`);
  await deliveries.end(
    key,
    claim.claimId,
    { outcome: 'sent', recipient, content, providerMessageId: `${contactId}-${channel}`, messageId: 'm' },
    new Date(),
  );
  await deliveries.countEnds(
    from.id,
    [{ outcome: 'sent', endedBy: { messageId: 'm', runId: claim.claimId } }],
    new Date(),
    channel,
  );
}

async function scan(table: string): Promise<Record<string, unknown>[]> {
  const result = await client.send(new ScanCommand({ TableName: table }));
  return result.Items ?? [];
}

const put = (contactId: string, json: unknown) =>
  callApi(handler, 'PUT /v1/contacts/{contactId}', { contactId }, { json });
const erase = (contactId: string) => callApi(handler, 'DELETE /v1/contacts/{contactId}', { contactId });
const consentOf = (contactId: string) =>
  callApi<ConsentView>(handler, 'GET /v1/contacts/{contactId}/consent', { contactId });
const change = (contactId: string, json: unknown) =>
  callApi<{ message: string }>(handler, 'POST /v1/contacts/{contactId}/consent', { contactId }, { json });

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  ({ handler } = (await import('../../../functions/http-api/handler')) as unknown as { handler: ApiHandler });
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  campaigns = factory.campaignStore(names.tables.campaigns);
  consent = factory.consentStore(names.tables.consent);
  deliveries = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);

  expect(
    (await put('erin', { phone: '0912-111-2244', email: 'Erin@Example.com', name: 'Erin' })).status,
  ).toBe(200);
  expect((await put('keeper', { ...keeper, name: 'Keeper' })).status).toBe(200);
  earlier = await sendingCampaign(campaigns, 1);
  await sent('erin', 'sms', erinsFormerPhone, 'Erin عزیز، حراج تابستانه', earlier);
  campaign = await sendingCampaign(campaigns, 4);
  await sent('erin', 'sms', erin.phone, 'Erin عزیز، تخفیف پاییزه');
  await sent('erin', 'email', erin.email, 'News for Erin');
  await sent('keeper', 'sms', keeper.phone, 'Keeper عزیز، تخفیف پاییزه');
  await sent('keeper', 'email', keeper.email, 'News for Keeper');
  await client.send(
    new UpdateCommand({
      TableName: names.tables.deliveries,
      Key: deliveryKey({ campaignId: campaign.id, contactId: 'erin', channel: 'sms' }),
      // sentTo: the phone as SMS sent before 2026-12-02 still carry it (a removed index's key).
      UpdateExpression: 'SET deliveryStatus = :delivered, sentTo = :phone',
      ExpressionAttributeValues: { ':delivered': 'delivered', ':phone': erin.phone },
    }),
  );
  const reports = factory.reportStore(names.tables.reports);
  const createdAt = new Date().toISOString();
  await reports.put({
    id: 'report-erin',
    sender: '+989121110000',
    text: 'Erin, claim your prize at http://bad.example',
    reporterPhone: erin.phone,
    reporterEmail: erin.email,
    verdict: 'spoofed',
    createdAt,
  });
  await reports.put({
    id: 'report-keeper',
    sender: '+989121110000',
    text: 'Keeper, claim your prize',
    reporterPhone: keeper.phone,
    verdict: 'spoofed',
    createdAt,
  });
  const optIn = await change('erin', {
    action: 'opt_in',
    channel: 'email',
    topic: 'newsletter',
    evidence: { method: 'signed-form', reference: 'form-17', userAgent: 'Kiosk/1.0', ip: '2001:db8:1:2::7' },
  });
  expect(optIn.status).toBe(201);
});

describe('a contact export', () => {
  it('holds the profile, consent state and history, messages sent and reports filed', async () => {
    // Act
    const reply = await callApi<ExportView>(handler, 'GET /v1/contacts/{contactId}/export', {
      contactId: 'erin',
    });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.contactId).toBe('erin');
    expect(reply.body.profile).toMatchObject({ phone: erin.phone, email: erin.email, name: 'Erin' });
    expect(reply.body.profile).not.toHaveProperty('ref');
    expect(reply.body.consent.state).toEqual([
      expect.objectContaining({ channel: 'email', status: 'subscribed' }),
    ]);
    expect(reply.body.consent.history).toHaveLength(1);
    expect(reply.body.consent.history[0]?.evidence).toEqual({
      method: 'signed-form',
      reference: 'form-17',
      userAgent: 'Kiosk/1.0',
      ipPrefix: '2001:db8:1::/48',
    });
    expect(reply.body.messages).toHaveLength(3);
    expect(reply.body.messages).toEqual(
      expect.arrayContaining([
        // Sent to a number Erin no longer has: found through the contact, not the address.
        expect.objectContaining({ campaignId: earlier.id, channel: 'sms', recipient: erinsFormerPhone }),
        expect.objectContaining({
          campaignId: campaign.id,
          channel: 'sms',
          status: 'sent',
          recipient: erin.phone,
          content: 'Erin عزیز، تخفیف پاییزه',
          deliveryStatus: 'delivered',
          sentAt: expect.any(String),
        }),
        expect.objectContaining({ channel: 'email', content: 'News for Erin', recipient: erin.email }),
      ]),
    );
    expect(reply.body.spoofReports.map((report) => report.id)).toEqual(['report-erin']);
  });

  it('answers 404 for a contact that never existed', async () => {
    // Act
    const reply = await callApi(handler, 'GET /v1/contacts/{contactId}/export', { contactId: 'ghost' });
    // Assess
    expect(reply.status).toBe(404);
  });
});

describe('an erasure', () => {
  it('removes personal data everywhere, keeps statuses and counts, and answers 204 twice', async () => {
    // Prepare
    const { tables } = emulators.names;
    const before = await campaigns.getWithStats(campaign.id);
    // Act
    const first = await erase('erin');
    const second = await erase('erin');
    // Assess
    expect(first.status).toBe(204);
    expect(second.status).toBe(204);
    expect((await callApi(handler, 'GET /v1/contacts/{contactId}', { contactId: 'erin' })).status).toBe(404);

    const delivered = await scan(tables.deliveries);
    const erins = delivered.filter((item) => item.pk === 'erin');
    expect(erins).toHaveLength(3);
    for (const item of erins) {
      expect(item).toMatchObject({ status: 'sent', erasedAt: expect.any(String) });
      expect(item).not.toHaveProperty('recipient');
      expect(item).not.toHaveProperty('content');
      expect(item).not.toHaveProperty('sentTo');
    }
    expect(delivered.find((item) => item.pk === 'erin' && item.sk === `${campaign.id}#sms`)).toMatchObject({
      deliveryStatus: 'delivered',
    });
    expect(delivered.find((item) => item.pk === 'keeper' && String(item.sk).endsWith('#sms'))).toMatchObject({
      recipient: keeper.phone,
    });
    expect((await campaigns.getWithStats(campaign.id))?.stats).toEqual(before?.stats);

    const reports = await scan(tables.reports);
    expect(reports.find((item) => item.pk === 'report-erin')).toEqual({
      pk: 'report-erin',
      sender: '+989121110000',
      verdict: 'spoofed',
      createdAt: expect.any(String),
      erasedAt: expect.any(String),
    });
    expect(reports.find((item) => item.pk === 'report-keeper')).toMatchObject({
      text: 'Keeper, claim your prize',
    });

    const history = (await consentOf('erin')).body.history;
    const summary = history.map((event) => [event.source, event.action, event.channel, event.topic]);
    expect(summary[0]).toEqual(['api', 'opt_in', 'email', 'newsletter']);
    // Both erasure events carry the same time: their order between themselves is not defined.
    expect(summary.slice(1)).toHaveLength(2);
    expect(summary.slice(1)).toEqual(
      expect.arrayContaining([
        ['erasure', 'opt_out', 'sms', '*'],
        ['erasure', 'opt_out', 'email', '*'],
      ]),
    );
    expect(history.map((event) => event.evidence)).toEqual([{}, {}, {}]);

    const hashes = tombstoneHashes(emulators.secretValues.erasureKey, erin);
    const tombstones = await scan(tables.suppressions);
    expect(tombstones.map((item) => item.pk).sort()).toEqual([hashes.sms, hashes.email].sort());

    const everything = await Promise.all(
      (['contacts', 'consent', 'deliveries', 'reports', 'suppressions'] as const).map((table) =>
        scan(tables[table]),
      ),
    );
    const lines = everything.flat().map((item) => JSON.stringify(item));
    expect(linesWithPersonalData(lines, personalDataPatterns([erin, { phone: erinsFormerPhone }]))).toEqual(
      [],
    );
    expect(linesWithPersonalData(lines, personalDataPatterns([keeper])).length).toBeGreaterThan(0);
  });

  it('of an unknown contact does nothing and answers 204', async () => {
    // Act
    const reply = await erase('never-was');
    // Assess
    expect(reply.status).toBe(204);
    expect((await consentOf('never-was')).status).toBe(404);
  });
});

describe('a re-import of an erased person', () => {
  it('stores the contact opted out of every topic on each tombstoned channel', async () => {
    // Act
    const again = await put('erin-again', { phone: '+98 912 111 2244', email: 'ERIN@example.com' });
    const sameId = await put('erin', { email: 'erin@example.com', locale: 'en' });
    // Assess
    expect(again.status).toBe(200);
    expect(sameId.status).toBe(200);
    const state = (await consentOf('erin-again')).body.state;
    expect(state.map((item) => [item.channel, item.topic, item.status, item.source])).toEqual([
      ['email', '*', 'opted_out', 'erasure'],
      ['sms', '*', 'opted_out', 'erasure'],
    ]);
    expect(isSuppressed(await consent.states('erin', 'email'), 'newsletter')).toBe(true);
  });

  it('becomes reachable on a channel only through an explicit opt-in with evidence', async () => {
    // Prepare
    const { tables } = emulators.names;
    const hashes = tombstoneHashes(emulators.secretValues.erasureKey, erin);
    // Act
    const resubscribe = await change('erin-again', { action: 'resubscribe', channel: 'email', topic: '*' });
    const bare = await change('erin-again', { action: 'opt_in', channel: 'email', topic: '*' });
    const optIn = await change('erin-again', {
      action: 'opt_in',
      channel: 'email',
      topic: '*',
      evidence: { method: 'double-opt-in', reference: 'confirm-2' },
    });
    const reimport = await put('erin-again', { phone: '09121112244', email: 'erin@example.com' });
    // Assess
    expect(resubscribe.status).toBe(409);
    expect(resubscribe.body.message).toContain('only an opt_in with evidence');
    expect(bare.status).toBe(400);
    expect(optIn.status).toBe(201);
    expect(reimport.status).toBe(200);
    expect(isSuppressed(await consent.states('erin-again', 'email'), 'newsletter')).toBe(false);
    expect(isSuppressed(await consent.states('erin-again', 'sms'), 'newsletter')).toBe(true);
    const tombstones = (await scan(tables.suppressions)).map((item) => item.pk);
    expect(tombstones).toEqual([hashes.sms]);
    const history = (await consentOf('erin-again')).body.history;
    expect(history.filter((event) => event.source === 'erasure')).toHaveLength(2);
  });
});
