import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { newId } from '../../../shared/domain/ids';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, ConsentStore, ContactStore, DeliverDeps } from '../../../shared/ports';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let campaigns: CampaignStore;
let contacts: ContactStore;
let consent: ConsentStore;
let deps: DeliverDeps;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let emailChannel: () => Promise<import('../../../shared/ports').ChannelSender>;
let deliverRecipients: typeof import('../../../shared/use-cases/deliver-recipients').deliverRecipients;
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;
const people: Contact[] = [];

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  consent = factory.consentStore(names.tables.consent);
  deps = {
    campaigns,
    contacts,
    consent,
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms: { campaignPaused: () => undefined },
    now: () => new Date(),
    leaseMs: 60_000,
  };
  const run = newId().slice(-6).toLowerCase();
  people.push(
    await contacts.upsert(
      'fa-reader',
      { email: `fa-${run}@example.com`, locale: 'fa', name: 'مریم', attributes: {} },
      new Date(),
    ),
    await contacts.upsert(
      'en-reader',
      { email: `en-${run}@example.com`, locale: 'en', name: 'Ann <b>', attributes: { city: 'Shiraz' } },
      new Date(),
    ),
  );
  ({ handler } = (await import('../../../functions/queue-send-email/handler')) as unknown as {
    handler: typeof handler;
  });
  ({ deliverRecipients } = await import('../../../shared/use-cases/deliver-recipients'));
  const { EmailChannel } = await import('../../../shared/use-cases/send-email');
  const { templateFile } = await import('../../../shared/adapters/templates/template-files');
  const keyring = factory.tokenKeyring(factory.secretSource(), names.secrets.tokenKeys);
  emailChannel = async () =>
    new EmailChannel({
      email: factory.emailProvider({ from: 'news@chapar.test' }),
      keyring,
      publicBaseUrl: 'https://chapar.test',
      templates: templateFile,
      concurrency: 2,
    });
});

const message = (campaign: Campaign, ids = people.map((person) => person.id)) => ({
  v: 1 as const,
  campaignId: campaign.id,
  channel: 'email' as const,
  contactIds: ids,
});

async function mailFor(subject: string) {
  return (await emulators.sentEmails()).filter((email) => email.subject === subject);
}

describe('queue-send-email handler', () => {
  it('sends once per recipient with one-click headers, escaping placeholders, RTL for fa', async () => {
    // Prepare
    const subject = `Hello {{name}} ${newId()}`;
    const campaign = await sendingCampaign(campaigns, 2, {
      channels: ['email'],
      email: { subject, html: '<p>Dear {{name}} from {{city}}</p>' },
    });
    // Act
    const first = await handler(sqsEvent(message(campaign)), context);
    const again = await handler(sqsEvent(message(campaign)), context);
    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const toFa = await mailFor(subject.replace('{{name}}', 'مریم'));
    const toEn = await mailFor(subject.replace('{{name}}', 'Ann <b>'));
    expect(toFa).toHaveLength(1);
    expect(toEn).toHaveLength(1);
    const headers = new Map((toEn[0]?.headers ?? []).map((header) => [header.name, header.value]));
    expect(headers.get('List-Unsubscribe')).toMatch(/^<https:\/\/chapar\.test\/u\/[A-Za-z0-9_.-]+>$/);
    expect(headers.get('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(toEn[0]?.body.html).toContain('Dear Ann &lt;b&gt; from Shiraz');
    expect(toEn[0]?.body.text).toContain('Unsubscribe: https://chapar.test/u/');
    expect(toFa[0]?.body.html).toContain('dir="rtl"');
    expect(toFa[0]?.body.html).toContain('لغو اشتراک');
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.stats).toMatchObject({ sent: 2, queued: 0 });
    expect(found?.campaign.status).toBe('sent');
  });

  it('skips an opted-out recipient, counted as suppressed, and honours a later resubscribe', async () => {
    // Prepare
    const subject = `Promo ${newId()}`;
    const at = new Date();
    await consent.record({
      id: newId(),
      contactId: 'fa-reader',
      action: 'opt_out',
      channel: 'email',
      topic: '*',
      source: 'api',
      at: at.toISOString(),
      evidence: {},
    });
    const campaign = await sendingCampaign(campaigns, 2, {
      channels: ['email'],
      topic: 'promotions',
      email: { subject, html: '<p>x</p>' },
    });
    // Act
    await handler(sqsEvent(message(campaign)), context);
    // Assess
    expect((await mailFor(subject)).map((email) => email.destination.to[0])).toEqual([people[1]?.email]);
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 1, suppressed: 1 });

    // Act again: the reader resubscribes to promotions only, after leaving everything
    await consent.record({
      id: newId(),
      contactId: 'fa-reader',
      action: 'resubscribe',
      channel: 'email',
      topic: 'promotions',
      source: 'api',
      at: new Date(at.getTime() + 1_000).toISOString(),
      evidence: {},
    });
    const nextSubject = `Promo again ${newId()}`;
    const next = await sendingCampaign(campaigns, 2, {
      channels: ['email'],
      topic: 'promotions',
      email: { subject: nextSubject, html: '<p>x</p>' },
    });
    await handler(sqsEvent(message(next)), context);
    expect(await mailFor(nextSubject)).toHaveLength(2);
  });

  it('fails a recipient as outcome_unknown rather than email twice after a crash inside the SES call', async () => {
    // Prepare: SES accepts, then the function dies before recording the send
    const subject = `Crash ${newId()}`;
    const campaign = await sendingCampaign(campaigns, 1, {
      channels: ['email'],
      email: { subject, html: '<p>x</p>' },
    });
    const real = await emailChannel();
    const dying = {
      channel: 'email' as const,
      send: async (...args: Parameters<typeof real.send>) => {
        await real.send(...args);
        throw new Error('function crashed');
      },
    };
    await expect(deliverRecipients(deps, dying, message(campaign, ['en-reader']))).rejects.toThrow(
      'function crashed',
    );
    // Act: redelivered after the lease ran out
    const later = { ...deps, now: () => new Date(Date.now() + deps.leaseMs + 1_000) };
    await deliverRecipients(later, await emailChannel(), message(campaign, ['en-reader']));
    // Assess
    expect(await mailFor(subject)).toHaveLength(1);
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({
      sent: 0,
      failed: 1,
      queued: 0,
    });
  });

  it('drops the messages of a cancelled campaign', async () => {
    // Prepare
    const subject = `Cancelled ${newId()}`;
    const campaign = await sendingCampaign(campaigns, 2, {
      channels: ['email'],
      email: { subject, html: '<p>x</p>' },
    });
    await campaigns.transition(campaign.id, 'cancelled', ['sending'], new Date());
    // Act
    const result = await handler(sqsEvent(message(campaign)), context);
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await mailFor(subject)).toHaveLength(0);
  });
});
