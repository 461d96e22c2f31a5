import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient } from '../../../shared/domain/delivery';
import type { RecipientsMessage } from '../../../shared/domain/messages';
import type { Contact } from '../../../shared/domain/types';
import type { CampaignStore, ChannelSender, DeliverDeps } from '../../../shared/ports';
import { sendingCampaign } from '../../fixtures/campaigns';
import { campaignDeliveries } from '../../support/deliveries';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let campaigns: CampaignStore;
let deps: DeliverDeps;
let modules: {
  deliver: typeof import('../../../shared/use-cases/deliver-recipients');
  campaigns: typeof import('../../../shared/use-cases/campaigns');
};
const people: Contact[] = [];
const AUDIENCE = 6;

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  const contacts = factory.contactStore(names.tables.contacts);
  deps = {
    campaigns,
    contacts,
    consent: factory.consentStore(names.tables.consent),
    deliveries: factory.deliveryStore(names.tables.deliveries, names.tables.campaigns),
    alarms: { campaignPaused: () => undefined },
    now: () => new Date(),
    leaseMs: 60_000,
  };
  for (let index = 0; index < AUDIENCE; index++) {
    people.push(
      await contacts.upsert(
        `cancel-${index}`,
        { email: `cancel-${index}@example.com`, locale: 'en', name: `Reader ${index}`, attributes: {} },
        new Date(),
      ),
    );
  }
  modules = {
    deliver: await import('../../../shared/use-cases/deliver-recipients'),
    campaigns: await import('../../../shared/use-cases/campaigns'),
  };
});

const message = (campaign: Campaign, from: number, to: number): RecipientsMessage => ({
  v: 1,
  campaignId: campaign.id,
  channel: 'email',
  contactIds: people.slice(from, to).map((person) => person.id),
});

/** An email channel that sends nothing, records whom it was asked to send to, and may act mid-call. */
function recordingChannel(
  during: () => Promise<void> = async () => {},
): ChannelSender & { sentTo: string[] } {
  const sentTo: string[] = [];
  return {
    channel: 'email',
    sentTo,
    send: async (_campaign, recipients: readonly Recipient[]) => {
      await during();
      sentTo.push(...recipients.map((recipient) => recipient.contact.id));
      return recipients.map((recipient) => ({
        kind: 'sent' as const,
        content: 'hello',
        providerMessageId: `ses-${recipient.contact.id}`,
      }));
    },
  };
}

/** The contacts of the campaign's delivery ledger: whoever was ever claimed. */
async function claimed(campaign: Campaign): Promise<string[]> {
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  const items = await campaignDeliveries(
    dynamoDocumentClient(),
    emulators.names.tables.deliveries,
    campaign.id,
  );
  return items.map((item) => `${item.contactId}#${item.sk}`).sort();
}

describe('cancelling a campaign mid-way', () => {
  it('claims and sends nothing more; stats: queued 0 and the rest cancelled', async () => {
    // Prepare: a campaign of 6 whose first message (2 recipients) went out
    const campaign = await sendingCampaign(campaigns, AUDIENCE, { channels: ['email'] });
    const channel = recordingChannel();
    await modules.deliver.deliverRecipients(deps, channel, message(campaign, 0, 2));
    const ledgerBefore = await claimed(campaign);

    // Act: cancel, then the remaining messages arrive
    await modules.campaigns.cancelCampaign({ campaigns, now: () => new Date() }, campaign.id);
    await modules.deliver.deliverRecipients(deps, channel, message(campaign, 2, 4));
    await modules.deliver.deliverRecipients(deps, channel, message(campaign, 4, 6));

    // Assess
    expect(channel.sentTo.toSorted()).toEqual(['cancel-0', 'cancel-1']);
    expect(ledgerBefore).toHaveLength(2);
    expect(await claimed(campaign)).toEqual(ledgerBefore);
    const found = await campaigns.getWithStats(campaign.id);
    expect(found?.campaign.status).toBe('cancelled');
    expect(found?.stats).toMatchObject({
      total: 6,
      queued: 0,
      cancelled: 4,
      sent: 2,
      failed: 0,
      suppressed: 0,
    });
  });

  it('moves a message in flight at the cancel from cancelled to sent: the sum stays the total', async () => {
    // Prepare: the cancel lands while the provider call for 2 recipients is under way
    const campaign = await sendingCampaign(campaigns, AUDIENCE, { channels: ['email'] });
    let duringCall: Awaited<ReturnType<CampaignStore['getWithStats']>>;
    const channel = recordingChannel(async () => {
      await modules.campaigns.cancelCampaign({ campaigns, now: () => new Date() }, campaign.id);
      duringCall = await campaigns.getWithStats(campaign.id);
    });

    // Act
    await modules.deliver.deliverRecipients(deps, channel, message(campaign, 0, 2));
    await modules.deliver.deliverRecipients(deps, channel, message(campaign, 2, 6));

    // Assess
    expect(channel.sentTo.toSorted()).toEqual(['cancel-0', 'cancel-1']);
    expect(duringCall?.stats).toMatchObject({ queued: 0, cancelled: 6, sent: 0 });
    const after = await campaigns.getWithStats(campaign.id);
    expect(after?.campaign.status).toBe('cancelled');
    expect(after?.stats).toMatchObject({ total: 6, queued: 0, cancelled: 4, sent: 2 });
    const stats = after?.stats;
    if (!stats) throw new Error('the campaign is gone');
    expect(stats.cancelled + stats.sent + stats.failed + stats.suppressed).toBe(stats.total);
  });
});
