import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Email } from 'aws-ses-v2-local/dist/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, start } from '../../../local/ses';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, ChannelSender, DeliverDeps } from '../../../shared/ports';
import { sendingCampaign } from '../../fixtures/campaigns';
import { useEmulators } from '../../support/emulators';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';
import { sesFaults } from '../../support/ses-faults';

// Its own SES, not the shared emulators': a quota or failNext is account-wide.
let ses: SesEmulator;
let client: SESv2Client;
let faults: ReturnType<typeof sesFaults>;
let campaigns: CampaignStore;
let deps: DeliverDeps;
let alarms: RecordingAlarms;
let channel: ChannelSender;
let modules: {
  deliver: typeof import('../../../shared/use-cases/deliver-recipients');
  campaigns: typeof import('../../../shared/use-cases/campaigns');
};
const clock = { now: new Date() };
const run = randomUUID().slice(0, 8);
const people: Contact[] = [];

beforeAll(async () => {
  ses = await start({ port: 0 });
  faults = sesFaults(ses.url);
  const { names } = await useEmulators();
  const factory = await import('../../../shared/adapters/factory');
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  const { DynamoProviderHealth } = await import('../../../shared/adapters/dynamodb/provider-health');
  const { SesEmailProvider } = await import('../../../shared/adapters/ses/email-provider');
  const { EmailChannel } = await import('../../../shared/use-cases/send-email');
  const { templateFile } = await import('../../../shared/adapters/templates/template-files');
  modules = {
    deliver: await import('../../../shared/use-cases/deliver-recipients'),
    campaigns: await import('../../../shared/use-cases/campaigns'),
  };
  client = new SESv2Client({
    endpoint: ses.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  campaigns = factory.campaignStore(names.tables.campaigns);
  const contactStore = factory.contactStore(names.tables.contacts);
  alarms = new RecordingAlarms();
  deps = {
    campaigns,
    contacts: contactStore,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms,
    now: () => clock.now,
    leaseMs: 60_000,
    health: new DynamoProviderHealth(dynamoDocumentClient(), names.tables.rateLimits),
  };
  for (const index of [1, 2]) {
    people.push(
      await contactStore.upsert(
        `ef${index}`,
        { email: `reader-${run}-${index}@example.com`, locale: 'en', attributes: {} },
        new Date(),
      ),
    );
  }
  channel = new EmailChannel({
    email: new SesEmailProvider(client, { from: 'news@chapar.test' }),
    keyring: factory.tokenKeyring(factory.secretSource(), names.secrets.tokenKeys),
    publicBaseUrl: 'https://chapar.test',
    templates: templateFile,
    concurrency: 2,
  });
});

afterEach(async () => {
  await faults.clear();
  alarms.paused.length = 0;
  clock.now = new Date();
});

afterAll(async () => {
  client?.destroy();
  await ses?.end();
});

const message = (campaign: Campaign) => ({
  v: 1 as const,
  campaignId: campaign.id,
  channel: 'email' as const,
  contactIds: people.map((person) => person.id),
});

async function mailFor(campaign: Campaign): Promise<string[]> {
  const store = (await (await fetch(`${ses.url}/store`)).json()) as { emails: Email[] };
  const found = await campaigns.get(campaign.id);
  return store.emails
    .filter(
      (email) =>
        email.subject === found?.email?.subject && email.destination.to.some((to) => to.includes(run)),
    )
    .flatMap((email) => email.destination.to)
    .sort();
}

const emailCampaign = () =>
  sendingCampaign(campaigns, people.length, {
    channels: ['email'],
    email: { subject: `News ${randomUUID().slice(0, 8)}`, html: '<p>Hello</p>' },
  });

describe('SES failing on every call', () => {
  it('pauses the campaign as provider_unavailable on the last receive, and resume sends each once', async () => {
    // Prepare
    const campaign = await emailCampaign();
    await faults.set({ failNext: { error: 'TooManyRequestsException', count: 100 } });
    // Act: a retry on earlier receives, a pause on the last
    await expect(modules.deliver.deliverRecipients(deps, channel, message(campaign))).rejects.toBeInstanceOf(
      modules.deliver.RetryLaterError,
    );
    await modules.deliver.deliverRecipients(deps, channel, message(campaign), { lastReceive: true });
    const paused = await campaigns.get(campaign.id);
    await faults.clear();
    const queue = new RecordingWorkQueue();
    await modules.campaigns.resumeCampaign({ campaigns, queue, now: () => clock.now }, campaign.id, 60_000);
    await modules.deliver.deliverRecipients(deps, channel, message(campaign));
    await modules.deliver.deliverRecipients(deps, channel, message(campaign));
    // Assess
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'provider_unavailable' });
    expect(alarms.paused).toEqual([
      { campaignId: campaign.id, reason: expect.stringContaining('provider_unavailable') },
    ]);
    expect(await mailFor(campaign)).toEqual(people.map((person) => person.email).sort());
    expect((await campaigns.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 2, failed: 0 });
  });
});

describe("SES's daily quota", () => {
  it('pauses the campaign as ses_daily_quota with the alarm, and the sweep resumes it once the hour has passed', async () => {
    // Prepare
    const campaign = await emailCampaign();
    await faults.set({ dailyQuotaExceeded: true });
    const queue = new RecordingWorkQueue();
    const sweep = () => modules.campaigns.dispatchDueCampaigns({ campaigns, queue, now: () => clock.now });
    // Act
    await modules.deliver.deliverRecipients(deps, channel, message(campaign));
    const paused = await campaigns.get(campaign.id);
    const before = await sweep();
    await faults.clear();
    clock.now = new Date(clock.now.getTime() + 60 * 60_000 + 1_000);
    await sweep();
    await sweep();
    await modules.deliver.deliverRecipients(deps, channel, message(campaign));
    // Assess
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'ses_daily_quota' });
    expect(Date.parse(paused?.resumeAfter ?? '')).toBeGreaterThan(Date.now());
    expect(alarms.paused).toEqual([
      { campaignId: campaign.id, reason: expect.stringContaining('ses_daily_quota') },
    ]);
    expect(before).toBe(0);
    expect(queue.dispatches.filter((dispatch) => dispatch.campaignId === campaign.id)).toEqual([
      { v: 1, campaignId: campaign.id, cursor: null, round: 2 },
    ]);
    expect(await mailFor(campaign)).toEqual(people.map((person) => person.email).sort());
    expect((await campaigns.get(campaign.id))?.status).toBe('sending');
  });
});
