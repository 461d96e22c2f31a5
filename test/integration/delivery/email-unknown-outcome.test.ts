import { randomUUID } from 'node:crypto';
import type { Email } from 'aws-ses-v2-local/dist/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SesEmulator, start } from '../../../local/ses';
import type { Campaign } from '../../../shared/domain/campaign';
import type { CampaignStore, ChannelSender, ContactStore, DeliverDeps } from '../../../shared/ports';
import { sendingCampaign } from '../../fixtures/campaigns';
import { useEmulators } from '../../support/emulators';
import { sesFaults } from '../../support/ses-faults';

// Its own SES: failNext and failAfterAccept are account-wide and would steer other files' mail.
let ses: SesEmulator;
let faults: ReturnType<typeof sesFaults>;
let campaigns: CampaignStore;
let contacts: ContactStore;
let deps: DeliverDeps;
let channel: ChannelSender;
let deliver: typeof import('../../../shared/use-cases/deliver-recipients');
const run = randomUUID().slice(0, 8);

beforeAll(async () => {
  ses = await start({ port: 0 });
  faults = sesFaults(ses.url);
  const { names } = await useEmulators({ env: { AWS_ENDPOINT_URL_SESV2: ses.url } });
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  contacts = factory.contactStore(names.tables.contacts);
  deps = {
    campaigns,
    contacts,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms: { campaignPaused: () => undefined },
    now: () => new Date(),
    leaseMs: 60_000,
  };
  deliver = await import('../../../shared/use-cases/deliver-recipients');
  const { EmailChannel } = await import('../../../shared/use-cases/send-email');
  const { templateFile } = await import('../../../shared/adapters/templates/template-files');
  // The same SES client the email function sends with: the factory's, SDK retries included.
  channel = new EmailChannel({
    email: factory.emailProvider({ from: 'news@chapar.test' }),
    keyring: factory.tokenKeyring(factory.secretSource(), names.secrets.tokenKeys),
    publicBaseUrl: 'https://chapar.test',
    templates: templateFile,
    concurrency: 1,
  });
});

afterEach(() => faults.clear());

afterAll(async () => {
  await ses?.end();
});

async function mailWith(subject: string): Promise<Email[]> {
  const store = (await (await fetch(`${ses.url}/store`)).json()) as { emails: Email[] };
  return store.emails.filter((email) => email.subject === subject);
}

/** A one-recipient email campaign and its queue message. */
async function oneRecipient(label: string) {
  const contactId = `${label}-${run}`;
  await contacts.upsert(
    contactId,
    { email: `${contactId}@example.com`, locale: 'en', name: label, attributes: {} },
    new Date(),
  );
  const subject = `${label} ${randomUUID()}`;
  const campaign: Campaign = await sendingCampaign(campaigns, 1, {
    channels: ['email'],
    email: { subject, html: '<p>x</p>' },
  });
  const message = {
    v: 1 as const,
    campaignId: campaign.id,
    channel: 'email' as const,
    contactIds: [contactId],
  };
  const stats = async () => (await campaigns.getWithStats(campaign.id))?.stats;
  return { subject, message, stats };
}

/** The next receive of the message, after the first attempt's lease has run out. */
const nextReceive = (): DeliverDeps => ({ ...deps, now: () => new Date(Date.now() + deps.leaseMs + 1_000) });

describe('SES errors after the request may have reached SES', () => {
  it('fails a mail SES stored before answering 500 as outcome_unknown, and never sends it again', async () => {
    // Prepare
    const { subject, message, stats } = await oneRecipient('accepted');
    await faults.set({ failAfterAccept: 1 });

    // Act
    await deliver.deliverRecipients(deps, channel, message);
    await deliver.deliverRecipients(nextReceive(), channel, message);

    // Assess
    expect(await mailWith(subject)).toHaveLength(1);
    expect(await stats()).toMatchObject({ sent: 0, failed: 1, queued: 0 });
  });

  it('fails a recipient whose send met a 503 as outcome_unknown, with no SDK retry', async () => {
    // Prepare: one 503; an SDK retry would send the mail on its second attempt
    const { subject, message, stats } = await oneRecipient('unavailable');
    await faults.set({ failNext: { error: 'ServiceUnavailable', count: 1 } });

    // Act
    await deliver.deliverRecipients(deps, channel, message);
    await deliver.deliverRecipients(nextReceive(), channel, message);

    // Assess
    expect(await mailWith(subject)).toHaveLength(0);
    expect(await stats()).toMatchObject({ sent: 0, failed: 1, queued: 0 });
  });

  it('retries a send SES refused with TooManyRequestsException and sends it once', async () => {
    // Prepare
    const { subject, message, stats } = await oneRecipient('throttled');
    await faults.set({ failNext: { error: 'TooManyRequestsException', count: 1 } });

    // Act
    const throttled = deliver.deliverRecipients(deps, channel, message);
    await expect(throttled).rejects.toBeInstanceOf(deliver.RetryLaterError);
    await deliver.deliverRecipients(deps, channel, message);

    // Assess
    expect(await mailWith(subject)).toHaveLength(1);
    expect(await stats()).toMatchObject({ sent: 1, failed: 0, queued: 0 });
  });
});
