import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type KavenegarSimulator, startKavenegarSimulator } from '../../../local/kavenegar-simulator';
import type { Campaign } from '../../../shared/domain/campaign';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import type {
  Alarms,
  CampaignStore,
  DeliverDeps,
  DeliveryStore,
  LinkStore,
  WorkQueue,
} from '../../../shared/ports';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';
import { resetSim, setFaults, simMessages, simRequests } from '../kavenegar/sim-control';

const SENDER = '50004001051233';
let sim: KavenegarSimulator;
let campaigns: CampaignStore;
let deliveries: DeliveryStore;
let baseDeps: Omit<DeliverDeps, 'alarms'>;
let emulators: TestEmulators;
let queue: WorkQueue;
let links: LinkStore;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let modules: {
  deliver: typeof import('../../../shared/use-cases/deliver-recipients');
  sms: typeof import('../../../shared/use-cases/send-sms');
  kavenegar: typeof import('../../../shared/adapters/kavenegar/client');
  provider: typeof import('../../../shared/adapters/kavenegar/sms-provider');
  lookup: typeof import('../../../shared/adapters/kavenegar/sms-lookup');
};
const contacts: Contact[] = [];
const paused: { campaignId: string; reason: string }[] = [];
const alarms: Alarms = { campaignPaused: (campaignId, reason) => paused.push({ campaignId, reason }) };
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;

beforeAll(async () => {
  sim = await startKavenegarSimulator({ port: 0, apiKey: testSecretValues.kavenegarApiKey, lines: [SENDER] });
  emulators = await useEmulators({ env: { KAVENEGAR_BASE_URL: sim.url, KAVENEGAR_TIMEOUT_MS: '2000' } });
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  queue = factory.workQueue({ dispatch: names.queues.dispatch.url, sms: names.queues.sms.url });
  links = factory.linkStore(names.tables.links, async () => 'test-token-key');
  campaigns = factory.campaignStore(names.tables.campaigns);
  deliveries = factory.deliveryStore(names.tables.deliveries, names.tables.campaigns);
  const contactStore = factory.contactStore(names.tables.contacts);
  baseDeps = {
    campaigns,
    contacts: contactStore,
    consent: factory.consentStore(names.tables.consent),
    deliveries,
    now: () => new Date(),
    leaseMs: 60_000,
  };
  const phones = ['09121110001', '09121110002', '09121110003'];
  for (const [index, phone] of phones.entries()) {
    contacts.push(
      await contactStore.upsert(
        `c${index}`,
        { phone: `+98${phone.slice(1)}`, locale: 'fa', name: `نام${index}`, attributes: {} },
        new Date(),
      ),
    );
  }
  modules = {
    deliver: await import('../../../shared/use-cases/deliver-recipients'),
    sms: await import('../../../shared/use-cases/send-sms'),
    kavenegar: await import('../../../shared/adapters/kavenegar/client'),
    provider: await import('../../../shared/adapters/kavenegar/sms-provider'),
    lookup: await import('../../../shared/adapters/kavenegar/sms-lookup'),
  };
  ({ handler } = (await import('../../../functions/queue-send-sms/handler')) as unknown as {
    handler: typeof handler;
  });
});

afterAll(async () => {
  await sim?.end();
});

beforeEach(async () => {
  await resetSim(sim.url);
  paused.length = 0;
});

function smsChannel(timeoutMs = 2000) {
  const client = new modules.kavenegar.KavenegarClient({
    baseUrl: sim.url,
    apiKey: testSecretValues.kavenegarApiKey,
    timeoutMs,
  });
  return new modules.sms.SmsChannel({
    sms: new modules.provider.KavenegarSmsProvider({ client, sender: SENDER }),
    lookup: new modules.lookup.KavenegarSmsLookup(client),
    links,
    layout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
  });
}

async function campaignFor(): Promise<Campaign> {
  return sendingCampaign(campaigns, contacts.length, { channels: ['sms'] });
}

const message = (campaign: Campaign) => ({
  v: 1 as const,
  campaignId: campaign.id,
  channel: 'sms' as const,
  contactIds: contacts.map((contact) => contact.id),
});

async function stats(campaign: Campaign) {
  const found = await campaigns.getWithStats(campaign.id);
  if (!found) throw new Error('campaign vanished');
  return { status: found.campaign.status, pausedReason: found.campaign.pausedReason, ...found.stats };
}

describe('queue-send-sms handler', () => {
  it('sends each recipient once from the verified line, however often SQS delivers the message', async () => {
    // Prepare
    const campaign = await campaignFor();
    // Act: the same message delivered twice, and once more as a second copy in one batch
    const first = await handler(sqsEvent(message(campaign)), context);
    const second = await handler(sqsEvent(message(campaign), message(campaign)), context);
    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    const sent = await simMessages(sim.url);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((sms) => sms.sender))).toEqual(new Set([SENDER]));
    // Each text is the personalised campaign text, then its own short link and «لغو۱۱».
    const layout = /^(نام\d) عزیز، تخفیف پاییزه\nhttps:\/\/chapar\.test\/s\/[0-9A-Za-z]{10} لغو۱۱$/;
    expect(sent.map((sms) => layout.exec(sms.message)?.[1]).sort()).toEqual(['نام0', 'نام1', 'نام2']);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', sent: 3, failed: 0, queued: 0 });
  });

  it('reports a throttled (451) message for retry, and the retry sends nobody twice', async () => {
    // Prepare
    const campaign = await campaignFor();
    await setFaults(sim.url, { failNext: { code: 451, count: 1 } });
    // Act
    const throttled = await handler(sqsEvent(message(campaign)), context);
    const retried = await handler(sqsEvent(message(campaign)), context);
    // Assess
    expect(throttled.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(await simMessages(sim.url)).toHaveLength(3);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', sent: 3 });
  });

  it('pauses the campaign on 418 (credit), raises the alarm and does not burn the message', async () => {
    // Prepare
    const campaign = await campaignFor();
    await setFaults(sim.url, { credit: 0 });
    // Act
    await modules.deliver.deliverRecipients({ ...baseDeps, alarms }, smsChannel(), message(campaign));
    // Assess
    const after = await stats(campaign);
    expect(after.status).toBe('paused');
    expect(after.pausedReason).toContain('418');
    expect(after.sent + after.failed).toBe(0);
    expect(paused).toEqual([{ campaignId: campaign.id, reason: expect.stringContaining('418') }]);
    expect(await simMessages(sim.url)).toHaveLength(0);
  });
});

describe('pause and resume', () => {
  it('continues a campaign paused by 418 where it stopped, with no duplicate', async () => {
    // Prepare: the first recipient goes out, then the credit runs out for the rest
    const campaign = await campaignFor();
    const deps = { ...baseDeps, alarms };
    const only = (ids: string[]) => ({ ...message(campaign), contactIds: ids });
    await modules.deliver.deliverRecipients(deps, smsChannel(), only(['c0']));
    await setFaults(sim.url, { credit: 0 });
    await modules.deliver.deliverRecipients(deps, smsChannel(), only(['c1', 'c2']));
    expect((await stats(campaign)).status).toBe('paused');
    await setFaults(sim.url, { credit: 1_000_000 });
    await emulators.purge();
    const bodies = async (name: 'dispatch' | 'sms') =>
      (await emulators.receiveAll(name, { waitSeconds: 1 })).map((received) =>
        JSON.parse(received.Body ?? ''),
      );
    // Act: resume, then run the new dispatch round and deliver what it enqueues
    const { resumeCampaign } = await import('../../../shared/use-cases/campaigns');
    const { dispatchCampaign } = await import('../../../shared/use-cases/dispatch-campaign');
    const { contactsAudience } = await import('../../../shared/use-cases/audience-source');
    const resumed = await resumeCampaign({ campaigns, queue, now: () => new Date() }, campaign.id, 60_000);
    const [first] = (await bodies('dispatch')) as Parameters<typeof dispatchCampaign>[1][];
    if (!first) throw new Error('resume enqueued no dispatch');
    const dispatchDeps = {
      campaigns,
      audience: contactsAudience(baseDeps.contacts, 2),
      queue,
      now: () => new Date(),
      pageSize: 100,
      leaseMs: 60_000,
      smsLayout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
    };
    // The round's start, then each unit's pages, until no dispatch message is left.
    for (let pending = [first]; pending.length > 0; ) {
      for (const message of pending) await dispatchCampaign(dispatchDeps, message);
      pending = (await bodies('dispatch')) as Parameters<typeof dispatchCampaign>[1][];
    }
    for (const recipients of (await bodies('sms')) as Parameters<
      typeof modules.deliver.deliverRecipients
    >[2][]) {
      await modules.deliver.deliverRecipients(deps, smsChannel(), recipients);
    }
    // Assess
    expect(resumed.status).toBe('sending');
    expect(first.round).toBe(2);
    const receptors = (await simMessages(sim.url)).map((sms) => sms.receptor).sort();
    expect(receptors).toEqual(['09121110001', '09121110002', '09121110003']);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', total: 3, sent: 3, failed: 0 });
  });
});

describe('a sender that dies mid-batch', () => {
  it('does not resend SMS the provider accepted before the crash: it reconciles by local id', async () => {
    // Prepare: the provider accepts the batch, then the function dies before recording anything
    const campaign = await campaignFor();
    const real = smsChannel();
    const dying = {
      channel: 'sms' as const,
      send: async (...args: Parameters<typeof real.send>) => {
        await real.send(...args);
        throw new Error('function crashed');
      },
    };
    await expect(
      modules.deliver.deliverRecipients({ ...baseDeps, alarms }, dying, message(campaign)),
    ).rejects.toThrow('function crashed');
    expect(await simMessages(sim.url)).toHaveLength(3);
    // Act: SQS delivers the message again after the leases have run out
    const later = { ...baseDeps, alarms, now: () => new Date(Date.now() + baseDeps.leaseMs + 1_000) };
    await modules.deliver.deliverRecipients(later, smsChannel(), message(campaign));
    // Assess
    expect(await simMessages(sim.url)).toHaveLength(3);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', sent: 3, failed: 0 });
  });

  it('sends, on retry, to recipients the crash stopped before the provider call', async () => {
    // Prepare: the function dies while marking the recipients, before any send
    const campaign = await campaignFor();
    const crashingLedger: DeliveryStore = {
      claim: (...args) => deliveries.claim(...args),
      release: (...args) => deliveries.release(...args),
      end: (...args) => deliveries.end(...args),
      endSent: (...args) => deliveries.endSent(...args),
      countEnds: (...args) => deliveries.countEnds(...args),
      endedOf: (...args) => deliveries.endedOf(...args),
      markAttempts: async () => {
        throw new Error('function crashed');
      },
    };
    await expect(
      modules.deliver.deliverRecipients(
        { ...baseDeps, deliveries: crashingLedger, alarms },
        smsChannel(),
        message(campaign),
      ),
    ).rejects.toThrow('function crashed');
    expect(await simMessages(sim.url)).toHaveLength(0);
    // Act
    const later = { ...baseDeps, alarms, now: () => new Date(Date.now() + baseDeps.leaseMs + 1_000) };
    await modules.deliver.deliverRecipients(later, smsChannel(), message(campaign));
    // Assess: everyone got exactly one SMS
    const receptors = (await simMessages(sim.url)).map((sms) => sms.receptor).sort();
    expect(receptors).toEqual(['09121110001', '09121110002', '09121110003']);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', sent: 3 });
  });

  it('asks Kavenegar before sending to recipients marked just before the crash, then sends each once', async () => {
    // Prepare: the first recipient is marked as handed to the provider, then the function dies
    const campaign = await campaignFor();
    const halfMarking: DeliveryStore = {
      claim: (...args) => deliveries.claim(...args),
      release: (...args) => deliveries.release(...args),
      end: (...args) => deliveries.end(...args),
      endSent: (...args) => deliveries.endSent(...args),
      countEnds: (...args) => deliveries.countEnds(...args),
      endedOf: (...args) => deliveries.endedOf(...args),
      markAttempts: async (claims, now) => {
        await deliveries.markAttempts(claims.slice(0, 1), now);
        throw new Error('function crashed');
      },
    };
    await expect(
      modules.deliver.deliverRecipients(
        { ...baseDeps, deliveries: halfMarking, alarms },
        smsChannel(),
        message(campaign),
      ),
    ).rejects.toThrow('function crashed');

    // Act
    const later = { ...baseDeps, alarms, now: () => new Date(Date.now() + baseDeps.leaseMs + 1_000) };
    await modules.deliver.deliverRecipients(later, smsChannel(), message(campaign));

    // Assess: one lookup by local id for the marked one, and everyone got exactly one SMS
    const paths = (await simRequests(sim.url)).map((request) => request.path);
    expect(paths.filter((path) => path.endsWith('/sms/statuslocalmessageid.json'))).toHaveLength(1);
    const receptors = (await simMessages(sim.url)).map((sms) => sms.receptor).sort();
    expect(receptors).toEqual(['09121110001', '09121110002', '09121110003']);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', sent: 3 });
  });
});

describe('an unknown outcome whose lookup also fails', () => {
  it('sends each of 20 recipients exactly one SMS when the send and then the lookup time out', async () => {
    // Prepare: 20 more contacts; the simulator answers after the client has given up
    const many: Contact[] = [];
    const contactStore = baseDeps.contacts as import('../../../shared/ports').ContactStore;
    for (let i = 0; i < 20; i += 1) {
      const phone = `+98912333${String(i).padStart(4, '0')}`;
      many.push(
        await contactStore.upsert(
          `u${i}`,
          { phone, locale: 'fa', name: `u${i}`, attributes: {} },
          new Date(),
        ),
      );
    }
    const campaign = await sendingCampaign(campaigns, many.length, { channels: ['sms'] });
    const probe = { ...message(campaign), contactIds: many.map((contact) => contact.id) };
    const at = (leases: number) => ({
      ...baseDeps,
      alarms,
      now: () => new Date(Date.now() + leases * (baseDeps.leaseMs + 1_000)),
    });
    const timeoutMs = 300;
    await setFaults(sim.url, { latencyMs: 800 });

    // Act: the send times out after the simulator accepted it; the takeover's lookup times out
    // too; then the simulator answers in time again
    const sending = modules.deliver.deliverRecipients(at(0), smsChannel(timeoutMs), probe);
    await expect(sending).rejects.toBeInstanceOf(modules.deliver.RetryLaterError);
    const lookingUp = modules.deliver.deliverRecipients(at(1), smsChannel(timeoutMs), probe);
    await expect(lookingUp).rejects.toBeInstanceOf(modules.deliver.RetryLaterError);
    await setFaults(sim.url, { latencyMs: 0 });
    await modules.deliver.deliverRecipients(at(2), smsChannel(timeoutMs), probe);

    // Assess: one SMS per recipient, one send call, lookups before any resend, and the stats agree
    const receptors = (await simMessages(sim.url)).map((sms) => sms.receptor);
    expect(receptors).toHaveLength(20);
    expect(new Set(receptors).size).toBe(20);
    const paths = (await simRequests(sim.url)).map((request) => request.path);
    expect(paths.filter((path) => /\/sms\/send(array)?\.json$/.test(path))).toHaveLength(1);
    expect(paths.filter((path) => path.endsWith('/sms/statuslocalmessageid.json'))).toHaveLength(2);
    expect(await stats(campaign)).toMatchObject({ status: 'sent', total: 20, sent: 20, failed: 0 });
  });
});
