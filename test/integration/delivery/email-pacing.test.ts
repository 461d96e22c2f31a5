import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, start } from '../../../local/ses';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Contact } from '../../../shared/domain/types';
import type { DeliverDeps } from '../../../shared/ports';
import type { EmailChannel, SendRate } from '../../../shared/use-cases/send-email';
import { sendingCampaign } from '../../fixtures/campaigns';
import { useEmulators } from '../../support/emulators';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';
import { sesFaults } from '../../support/ses-faults';

// Its own SES, not the shared emulators': a rate, a pause or failNext is account-wide.
let ses: SesEmulator;
let faults: ReturnType<typeof sesFaults>;
let deps: DeliverDeps;
let alarms: RecordingAlarms;
let store: import('../../../shared/adapters/dynamodb/campaign-store').DynamoCampaignStore;
let newChannel: (limiterName: string) => EmailChannel;
let modules: {
  deliver: typeof import('../../../shared/use-cases/deliver-recipients');
  campaigns: typeof import('../../../shared/use-cases/campaigns');
};
const clients: SESv2Client[] = [];
const run = randomUUID().slice(0, 8);
const people: Contact[] = [];
const PEOPLE = 48;

beforeAll(async () => {
  ses = await start({ port: 0 });
  faults = sesFaults(ses.url);
  const { names } = await useEmulators();
  const factory = await import('../../../shared/adapters/factory');
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  const { DynamoCampaignStore } = await import('../../../shared/adapters/dynamodb/campaign-store');
  const { DynamoRateLimiter } = await import('../../../shared/adapters/dynamodb/rate-limiter');
  const { SesAccount } = await import('../../../shared/adapters/ses/account');
  const { SesEmailProvider } = await import('../../../shared/adapters/ses/email-provider');
  const { EmailChannel } = await import('../../../shared/use-cases/send-email');
  const { pauseEmailCampaigns } = await import('../../../shared/use-cases/email-pauses');
  const { templateFile } = await import('../../../shared/adapters/templates/template-files');
  modules = {
    deliver: await import('../../../shared/use-cases/deliver-recipients'),
    campaigns: await import('../../../shared/use-cases/campaigns'),
  };
  store = new DynamoCampaignStore(dynamoDocumentClient(), names.tables.campaigns);
  const contactStore = factory.contactStore(names.tables.contacts);
  alarms = new RecordingAlarms();
  deps = {
    campaigns: store,
    contacts: contactStore,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms,
    now: () => new Date(),
    leaseMs: 60_000,
  };
  const upserts = Array.from({ length: PEOPLE }, (_, index) =>
    contactStore.upsert(
      `ep${index}`,
      { email: `reader-${run}-${index}@example.com`, locale: 'en', attributes: {} },
      new Date(),
    ),
  );
  people.push(...(await Promise.all(upserts)));
  // One sender as a Lambda instance has it: its own SES clients and GetAccount cache, the
  // limiter shared with every other instance through its item in the rateLimits table.
  newChannel = (limiterName) => {
    const client = new SESv2Client({
      endpoint: ses.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    clients.push(client);
    const limiters = new Map<number, SendRate>();
    const limiter = (perSecond: number) => {
      const found =
        limiters.get(perSecond) ??
        new DynamoRateLimiter({
          client: dynamoDocumentClient(),
          tableName: names.tables.rateLimits,
          name: limiterName,
          limitPerSecond: perSecond,
        });
      limiters.set(perSecond, found);
      return found;
    };
    return new EmailChannel({
      email: new SesEmailProvider(client, { from: 'news@chapar.test' }),
      keyring: factory.tokenKeyring(factory.secretSource(), names.secrets.tokenKeys),
      publicBaseUrl: 'https://chapar.test',
      templates: templateFile,
      concurrency: 10,
      pacing: { account: new SesAccount(client), limiter, maxWaitMs: 20_000 },
      pauseAll: async (reason) => {
        await pauseEmailCampaigns({ campaigns: store, alarms, now: () => new Date() }, reason);
      },
    });
  };
});

afterEach(async () => {
  await faults.clear();
  await faults.clearStats();
  alarms.paused.length = 0;
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await ses?.end();
});

const messagesOf = (campaign: Campaign, contacts: readonly Contact[], size = 10) => {
  const messages = [];
  for (let i = 0; i < contacts.length; i += size) {
    messages.push({
      v: 1 as const,
      campaignId: campaign.id,
      channel: 'email' as const,
      contactIds: contacts.slice(i, i + size).map((person) => person.id),
    });
  }
  return messages;
};

const emailCampaign = (audience: number, channels: Campaign['channels'] = ['email']) =>
  sendingCampaign(store, audience, {
    channels,
    email: channels.includes('email')
      ? { subject: `News ${randomUUID().slice(0, 8)}`, html: '<p>Hello</p>' }
      : undefined,
  });

/** Mail accepted per address of these people (the front counts at arrival, any case). */
async function mailCounts(contacts: readonly Contact[]): Promise<number[]> {
  const sent = await faults.sent();
  return contacts.map((person) => sent[(person.email ?? '').toLowerCase()] ?? 0);
}

describe("SES's MaxSendRate across concurrent senders", () => {
  it('holds GetAccount’s rate in every sliding second measured by SES, with no throttling answer, each mail once', async () => {
    // Prepare: SES admits 8 recipients in any sliding second; three senders share one budget
    await faults.set({ maxSendRate: 8 });
    const campaign = await emailCampaign(PEOPLE);
    const limiter = `ses-${run}-concurrent`;
    const senders = [newChannel(limiter), newChannel(limiter), newChannel(limiter)];
    const messages = messagesOf(campaign, people, 8);

    // Act: each sender takes every third message, all at once
    await Promise.all(
      senders.map(async (sender, index) => {
        for (const message of messages.filter((_, i) => i % senders.length === index))
          await modules.deliver.deliverRecipients(deps, sender, message);
      }),
    );

    // Assess
    const stats = await faults.stats();
    expect(stats.throttled).toBe(0);
    expect(stats.busiestSlidingSecond).toBeLessThanOrEqual(8);
    expect(stats.acceptedRecipients).toBe(PEOPLE);
    expect(await mailCounts(people)).toEqual(people.map(() => 1));
    expect((await store.getWithStats(campaign.id))?.stats).toMatchObject({ sent: PEOPLE, failed: 0 });
  });
});

describe('throttling answers', () => {
  it('are sent again within the message, without an SQS retry: nothing lost, nothing twice', async () => {
    // Prepare
    const audience = people.slice(0, 10);
    const campaign = await emailCampaign(audience.length);
    await faults.set({ failNext: { error: 'TooManyRequestsException', count: 4 } });

    // Act: no RetryLaterError, so the queue message is deleted as done
    for (const message of messagesOf(campaign, audience))
      await modules.deliver.deliverRecipients(deps, newChannel(`ses-${run}-throttle`), message);

    // Assess
    expect((await faults.stats()).throttled).toBe(4);
    expect(await mailCounts(audience)).toEqual(audience.map(() => 1));
    expect((await store.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 10, failed: 0 });
  });

  it('after SES lowered the rate, read the new rate and finish at it: nothing lost, nothing twice', async () => {
    // Prepare: the sender read 50/s, then the account's rate fell to 3/s
    const audience = people.slice(10, 20);
    const campaign = await emailCampaign(audience.length);
    await faults.set({ maxSendRate: 50 });
    const sender = newChannel(`ses-${run}-lowered`);
    const [first, rest] = [audience.slice(0, 1), audience.slice(1)];
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaign, first)[0] as never);
    await faults.set({ maxSendRate: 3 });

    // Act
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaign, rest)[0] as never);

    // Assess: the slice granted at 50/s met throttling answers, and no SQS retry was needed
    const stats = await faults.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.acceptedRecipients).toBe(audience.length);
    expect(await mailCounts(audience)).toEqual(audience.map(() => 1));
    expect((await store.getWithStats(campaign.id))?.stats).toMatchObject({ sent: 10, failed: 0 });
  });
});

describe('SES stopping the account', () => {
  it('SendingPausedException pauses every sending campaign with email, with the reason and the alarm; resume finishes them once', async () => {
    // Prepare: two email campaigns and an SMS-only one; the sender saw a healthy account
    const [a, b] = [people.slice(20, 30), people.slice(30, 40)];
    const campaignA = await emailCampaign(a.length);
    const campaignB = await emailCampaign(b.length, ['sms', 'email']);
    const smsOnly = await emailCampaign(1, ['sms']);
    const sender = newChannel(`ses-${run}-paused`);
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaignA, a.slice(0, 2))[0] as never);
    await faults.set({ sendingPaused: true });

    // Act
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaignA, a.slice(2))[0] as never);
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaignB, b)[0] as never);
    const pausedA = await store.get(campaignA.id);
    const pausedB = await store.get(campaignB.id);
    const stillSending = await store.get(smsOnly.id);
    await faults.clear();
    const queue = new RecordingWorkQueue();
    for (const campaign of [campaignA, campaignB])
      await modules.campaigns.resumeCampaign(
        { campaigns: store, queue, now: () => new Date() },
        campaign.id,
        60_000,
      );
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaignA, a)[0] as never);
    await modules.deliver.deliverRecipients(deps, sender, messagesOf(campaignB, b)[0] as never);

    // Assess
    expect(pausedA).toMatchObject({
      status: 'paused',
      pausedReason: expect.stringMatching(/^ses_sending_paused: /),
    });
    expect(pausedB).toMatchObject({ status: 'paused', pausedReason: pausedA?.pausedReason });
    expect(stillSending?.status).toBe('sending');
    expect(alarms.paused.map((alarm) => alarm.campaignId).sort()).toEqual(
      [campaignA.id, campaignB.id].sort(),
    );
    expect(await mailCounts([...a, ...b])).toEqual([...a, ...b].map(() => 1));
    expect((await store.getWithStats(campaignA.id))?.stats).toMatchObject({ sent: 10, failed: 0 });
    expect((await store.getWithStats(campaignB.id))?.stats).toMatchObject({ sent: 10, failed: 0 });
  });

  it.each([
    ['sendingPaused', /^ses_sending_paused: GetAccount SendingEnabled false$/],
    ['accountSuspended', /^ses_account_suspended: GetAccount EnforcementStatus SHUTDOWN$/],
  ] as const)(
    'GetAccount saying so (%s) pauses every email campaign before any SendEmail',
    async (fault, reason) => {
      // Prepare
      const audience = people.slice(40, 48);
      const campaign = await emailCampaign(audience.length);
      await faults.set({ [fault]: true });

      // Act
      await modules.deliver.deliverRecipients(
        deps,
        newChannel(`ses-${run}-${fault}`),
        messagesOf(campaign, audience)[0] as never,
      );

      // Assess
      expect(await store.get(campaign.id)).toMatchObject({
        status: 'paused',
        pausedReason: expect.stringMatching(reason),
      });
      expect(alarms.paused).toContainEqual({
        campaignId: campaign.id,
        reason: expect.stringMatching(reason),
      });
      const stats = await faults.stats();
      expect(stats.acceptedCalls + Object.values(stats.refused).reduce((sum, count) => sum + count, 0)).toBe(
        0,
      );
      expect((await store.getWithStats(campaign.id))?.stats).toMatchObject({
        sent: 0,
        failed: 0,
        queued: audience.length,
      });
    },
  );
});
