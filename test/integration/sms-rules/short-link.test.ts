import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, LinkStore, SentSmsLookup } from '../../../shared/ports';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { resetSim, setFaults, simMessages } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
/** `<rendered text>\n<CHAPAR_PUBLIC_BASE_URL>/s/<code> لغو۱۱`, as test/support/emulators.ts configures. */
const LAYOUT = /^(?<text>[^\n]*)\nhttps:\/\/chapar\.test\/s\/(?<code>[0-9A-Za-z]{10}) لغو۱۱$/;

let sim: KavenegarSimulator;
let emulators: TestEmulators;
let campaigns: CampaignStore;
let sentSms: SentSmsLookup;
let links: LinkStore;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const contacts: Contact[] = [];
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  // Quiet hours off: these tests send whatever the time of day (quiet-hours.test.ts covers them).
  emulators = await useEmulators({
    env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000', CHAPAR_QUIET_HOURS: '' },
  });
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  sentSms = factory.sentSmsLookup({ contacts: names.tables.contacts, deliveries: names.tables.deliveries });
  links = factory.linkStore(names.tables.links, async () => 'test-token-key');
  const contactStore = factory.contactStore(names.tables.contacts);
  for (const [index, name] of ['سارا', 'نیما', 'John'].entries()) {
    contacts.push(
      await contactStore.upsert(
        `s${index}`,
        { phone: `+98912222000${index}`, locale: 'fa', name, attributes: {} },
        new Date(),
      ),
    );
  }
  ({ handler } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof handler;
  });
});

afterAll(async () => {
  await sim?.end();
});

beforeEach(async () => {
  await resetSim(sim.url);
});

const message = (campaign: Campaign) => ({
  v: 1 as const,
  campaignId: campaign.id,
  channel: 'sms' as const,
  contactIds: contacts.map((contact) => contact.id),
});

/** Every item of the links table: a code item and a claims item per link. */
async function linkItems(): Promise<Record<string, unknown>[]> {
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  const scanned = await dynamoDocumentClient().send(
    new ScanCommand({ TableName: emulators.names.tables.links, ConsistentRead: true }),
  );
  return scanned.Items ?? [];
}

function parsed(text: string): { text: string; code: string } {
  const match = LAYOUT.exec(text);
  if (!match?.groups) throw new Error(`Not a marketing SMS layout: ${JSON.stringify(text)}`);
  return { text: match.groups.text ?? '', code: match.groups.code ?? '' };
}

describe('an SMS sent through queue-send-sms', () => {
  it('ends with the recipient’s own short link and «لغو۱۱», and the link resolves to them', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, contacts.length, {
      channels: ['sms'],
      topic: 'promotions',
    });
    // Act
    const answer = await handler(sqsEvent(message(campaign)), context);
    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    const sent = await simMessages(sim.url);
    expect(sent).toHaveLength(3);
    const byReceptor = new Map(sent.map((sms) => [sms.receptor, parsed(sms.message)]));
    for (const [index, contact] of contacts.entries()) {
      const sms = byReceptor.get(`0912222000${index}`);
      expect(sms?.text).toBe(`${contact.name} عزیز، تخفیف پاییزه`);
      const link = await links.find(sms?.code ?? '');
      // One link per contact × topic: it names no campaign.
      expect(link).toEqual({ code: sms?.code, ref: contact.ref, channel: 'sms', topic: 'promotions' });
    }
    expect(new Set([...byReceptor.values()].map((sms) => sms.code)).size).toBe(3);
    const recorded = await sentSms.sentTo('+989122220000', new Date(Date.now() - 60_000));
    expect(recorded.find((item) => item.campaignId === campaign.id)?.content).toBe(
      sent.find((sms) => sms.receptor === '09122220000')?.message,
    );
  });

  it('reuses the links of a throttled attempt when the message comes back', async () => {
    // Prepare: the first attempt makes the links, then Kavenegar throttles the call
    const campaign = await sendingCampaign(campaigns, contacts.length, {
      channels: ['sms'],
      topic: 'surveys',
    });
    await setFaults(sim.url, { failNext: { code: 451, count: 1 } });
    const throttled = await handler(sqsEvent(message(campaign)), context);
    const madeFirst = (await linkItems()).filter((item) => item.topic === 'surveys');
    // Act
    const retried = await handler(sqsEvent(message(campaign)), context);
    // Assess
    expect(throttled.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    const codes = (await simMessages(sim.url)).map((sms) => parsed(sms.message).code).sort();
    expect(codes).toEqual(madeFirst.map((item) => String(item.pk)).sort());
    const after = (await linkItems()).filter((item) => item.topic === 'surveys');
    expect(after).toHaveLength(3);
  });

  it('gives the same link to the same recipient of the same campaign, whoever asks', async () => {
    // Prepare
    const [contact] = contacts;
    if (!contact) throw new Error('no contact');
    const claims = { ref: contact.ref, channel: 'sms' as const, topic: 'newsletter' };
    // Act
    const [first, second] = await Promise.all([links.linkFor(claims), links.linkFor(claims)]);
    const again = await links.linkFor(claims);
    // Assess
    expect(second.code).toBe(first.code);
    expect(again.code).toBe(first.code);
  });

  it('reuses each contact’s link in the next campaign on the topic, with reads only; another topic gets its own', async () => {
    // Prepare: a first campaign on «events» made the links
    const first = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'], topic: 'events' });
    await handler(sqsEvent(message(first)), context);
    const codesOf = async () =>
      new Map((await simMessages(sim.url)).map((sms) => [sms.receptor, parsed(sms.message).code]));
    const firstCodes = await codesOf();
    const itemsAfterFirst = await linkItems();
    await resetSim(sim.url);
    const second = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'], topic: 'events' });
    const other = await sendingCampaign(campaigns, contacts.length, { channels: ['sms'], topic: 'offers' });

    // Act
    await handler(sqsEvent(message(second)), context);
    const secondCodes = await codesOf();
    await resetSim(sim.url);
    await handler(sqsEvent(message(other)), context);
    const otherCodes = await codesOf();

    // Assess: the same code per contact, no new item for «events», one per contact for «offers»
    expect(secondCodes).toEqual(firstCodes);
    const items = await linkItems();
    expect(items.filter((item) => item.topic === 'events')).toHaveLength(3);
    expect(items.filter((item) => item.topic === 'events')).toEqual(
      itemsAfterFirst.filter((item) => item.topic === 'events'),
    );
    expect(items.filter((item) => item.topic === 'offers')).toHaveLength(3);
    for (const [receptor, code] of otherCodes) expect(code).not.toBe(firstCodes.get(receptor));
  });

  it('moves to the next derived code when another contact’s link holds this one', async () => {
    // Prepare: the code these claims derive first is taken by someone else's link
    const { shortLinkCode } = await import('../../../shared/domain/short-link');
    const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
    const claims = { ref: 'ref-collides', channel: 'sms' as const, topic: 'newsletter' };
    const taken = shortLinkCode('test-token-key', claims);
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: emulators.names.tables.links,
        Item: {
          pk: taken,
          ref: 'ref-someone-else',
          channel: 'sms',
          topic: 'newsletter',
          expiresAt: 4_102_444_800,
        },
      }),
    );

    // Act
    const link = await links.linkFor(claims);
    const again = await links.linkFor(claims);

    // Assess: its own code, stable, and the other link untouched
    expect(link.code).toBe(shortLinkCode('test-token-key', claims, 1));
    expect(again.code).toBe(link.code);
    expect((await links.find(taken))?.ref).toBe('ref-someone-else');
    expect(await links.find(link.code)).toEqual({ ...claims, code: link.code });
  });

  it('renews a link found with less than a year to live, and still finds links made per campaign', async () => {
    // Prepare: a link about to expire, and one a campaign made before links served a topic
    const { shortLinkCode } = await import('../../../shared/domain/short-link');
    const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
    const claims = { ref: 'ref-old-link', channel: 'sms' as const, topic: 'newsletter' };
    const code = shortLinkCode('test-token-key', claims);
    const soon = Math.floor(Date.now() / 1000) + 24 * 3600;
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: emulators.names.tables.links,
        Item: { pk: code, ...claims, expiresAt: soon },
      }),
    );
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: emulators.names.tables.links,
        Item: { pk: 'Legacy0001', ref: 'ref-legacy', channel: 'sms', topic: 'events', campaignId: 'c-old' },
      }),
    );

    // Act
    const link = await links.linkFor(claims);
    const legacy = await links.find('Legacy0001');

    // Assess
    expect(link.code).toBe(code);
    const renewed = (await linkItems()).find((item) => item.pk === code);
    expect(Number(renewed?.expiresAt)).toBeGreaterThan(soon + 365 * 24 * 3600);
    expect(legacy).toEqual({
      code: 'Legacy0001',
      ref: 'ref-legacy',
      channel: 'sms',
      topic: 'events',
      campaignId: 'c-old',
    });
  });
});
