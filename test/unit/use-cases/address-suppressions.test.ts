import { describe, expect, it } from 'vitest';
import type { Channel, Contact } from '../../../shared/domain/types';
import type { DeliverDeps } from '../../../shared/ports';
import { recordContactConsent } from '../../../shared/use-cases/contact-consent';
import { deliverRecipients } from '../../../shared/use-cases/deliver-recipients';
import { pollSmsStatuses } from '../../../shared/use-cases/delivery-status';
import { recordSesFeedback } from '../../../shared/use-cases/ses-feedback';
import { changeConsent, type OpenedLink } from '../../../shared/use-cases/unsubscribe';
import { sendingCampaign } from '../../fixtures/campaigns';
import { RecordingAlarms } from '../../support/fakes/alarms';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { MemoryFeedbackStore } from '../../support/fakes/feedback-store';
import { MemoryLinkStore } from '../../support/fakes/link-store';
import { MemorySmsPolls } from '../../support/fakes/sms-polls';
import { MemorySuppressionStore } from '../../support/fakes/suppression-store';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const EVIDENCE = { method: 'double-opt-in', reference: 'form-7' };

function contact(id: string, email: string): Contact {
  return {
    id,
    ref: `ref-${id}-0000`,
    phone: '+989121234567',
    email,
    locale: 'fa',
    name: id,
    attributes: {},
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

/** Contact A, and B: the same person re-imported under a new id, the email in mixed case. */
function world() {
  const a = contact('contact-a', 'sara@example.com');
  const b = contact('contact-b', 'Sara@Example.COM');
  const contacts = new MemoryContactStore([a, b]);
  const consent = new MemoryConsentStore();
  const suppressions = new MemorySuppressionStore();
  const addressSuppressions = { suppressions, erasureKey: async () => 'erasure-key', now: () => NOW };
  const consentDeps = { contacts, consent, ...addressSuppressions };

  /** Sends a fresh campaign to B alone on `channel`; what its delivery ended as. */
  async function sendToB(channel: Channel): Promise<string | undefined> {
    const campaigns = new MemoryCampaignStore();
    const deliveries = new MemoryDeliveryStore(campaigns);
    const campaign = await sendingCampaign(campaigns, 1, { channels: [channel], topic: 'newsletter' });
    const deps: DeliverDeps = {
      campaigns,
      contacts,
      consent,
      deliveries,
      alarms: new RecordingAlarms(),
      now: () => NOW,
      leaseMs: 60_000,
      addressSuppressions,
    };
    const sent: string[] = [];
    const sender = {
      channel,
      async send(_: unknown, recipients: readonly { address: string }[]) {
        sent.push(...recipients.map((recipient) => recipient.address));
        return recipients.map(() => ({ kind: 'sent' as const, content: 'x', providerMessageId: 'p-1' }));
      },
    };
    await deliverRecipients(deps, sender, {
      v: 1,
      campaignId: campaign.id,
      channel,
      contactIds: [b.id],
    });
    return deliveries.item({ campaignId: campaign.id, contactId: b.id, channel })?.status;
  }
  return { a, b, contacts, consent, suppressions, addressSuppressions, consentDeps, sendToB };
}

describe('suppressions bound to the address', () => {
  it('keeps an email address opted out of every topic under A from B, in any case, on email only', async () => {
    // Prepare
    const { a, consentDeps, sendToB } = world();

    // Act
    await recordContactConsent(consentDeps, a.id, { action: 'opt_out', channel: 'email', topic: '*' });

    // Assess
    expect(await sendToB('email')).toBe('suppressed');
    expect(await sendToB('sms')).toBe('sent');
  });

  it('does not bind an opt-out of one topic to the address', async () => {
    // Prepare
    const { a, consentDeps, sendToB } = world();

    // Act
    await recordContactConsent(consentDeps, a.id, {
      action: 'opt_out',
      channel: 'email',
      topic: 'promotions',
    });

    // Assess
    expect(await sendToB('email')).toBe('sent');
  });

  it('binds a one-click unsubscribe-all to the address, and a preference-centre resubscribe lifts it', async () => {
    // Prepare
    const { a, b, contacts, consent, addressSuppressions, sendToB } = world();
    const deps = {
      contacts,
      consent,
      links: new MemoryLinkStore(),
      keyring: async () => ({ current: 'k1', keys: { k1: { secret: 's' } } }),
      now: () => NOW,
      addressSuppressions,
    };
    const link = (who: Contact): OpenedLink => ({
      claims: { ref: who.ref, channel: 'email', topic: '*', campaignId: 'camp-1' },
      contact: who,
    });

    // Act
    await changeConsent(deps, link(a), { action: 'opt_out', topic: '*', source: 'link' }, {});
    const afterOptOut = await sendToB('email');
    await changeConsent(
      deps,
      link(b),
      { action: 'resubscribe', topic: '*', source: 'preference-centre' },
      {},
    );

    // Assess
    expect(afterOptOut).toBe('suppressed');
    expect(await sendToB('email')).toBe('sent');
  });

  it('keeps a hard-bounced address from B; a resubscribe does not lift it, an opt-in with evidence does', async () => {
    // Prepare
    const { a, b, contacts, consent, addressSuppressions, consentDeps, sendToB } = world();
    const deliveries = new MemoryDeliveryStore();
    deliveries.put(
      { campaignId: 'camp-1', contactId: a.id, channel: 'email' },
      { status: 'sent', attempts: 1 },
    );
    const feedbackDeps = {
      contacts,
      consent,
      feedback: new MemoryFeedbackStore(deliveries),
      now: () => NOW,
      addressSuppressions,
    };

    // Act
    await recordSesFeedback(feedbackDeps, {
      kind: 'bounce',
      permanent: true,
      recipients: ['sara@example.com'],
      tags: { campaign: 'camp-1', ref: a.ref, channel: 'email' },
    });
    const afterBounce = await sendToB('email');
    await recordContactConsent(consentDeps, b.id, { action: 'resubscribe', channel: 'email', topic: '*' });
    const afterResubscribe = await sendToB('email');
    await recordContactConsent(consentDeps, b.id, {
      action: 'opt_in',
      channel: 'email',
      topic: '*',
      evidence: EVIDENCE,
    });

    // Assess
    expect(afterBounce).toBe('suppressed');
    expect(afterResubscribe).toBe('suppressed');
    expect(await sendToB('email')).toBe('sent');
  });

  it('keeps a complained address from B until an opt-in or resubscribe for email', async () => {
    // Prepare
    const { a, b, contacts, consent, addressSuppressions, consentDeps, sendToB } = world();
    const deliveries = new MemoryDeliveryStore();
    deliveries.put(
      { campaignId: 'camp-1', contactId: a.id, channel: 'email' },
      { status: 'sent', attempts: 1 },
    );

    // Act
    await recordSesFeedback(
      {
        contacts,
        consent,
        feedback: new MemoryFeedbackStore(deliveries),
        now: () => NOW,
        addressSuppressions,
      },
      {
        kind: 'complaint',
        permanent: false,
        recipients: [],
        tags: { campaign: 'camp-1', ref: a.ref, channel: 'email' },
      },
    );
    const afterComplaint = await sendToB('email');
    await recordContactConsent(consentDeps, b.id, { action: 'resubscribe', channel: 'email', topic: '*' });

    // Assess
    expect(afterComplaint).toBe('suppressed');
    expect(await sendToB('email')).toBe('sent');
  });

  it("keeps a phone that answered status 14 under A from B's SMS, not from B's email", async () => {
    // Prepare
    const { a, contacts, consent, addressSuppressions, sendToB } = world();
    const polls = new MemorySmsPolls();
    await polls.record('camp-1', NOW, [{ messageId: '100', contactId: a.id }]);
    const provider = {
      status: async (ids: readonly string[]) =>
        ids.map((messageId) => ({ messageId, status: 'blocked' as const, optOut: true, providerStatus: 14 })),
    };

    // Act
    await pollSmsStatuses({
      polls,
      provider,
      consent,
      now: () => new Date(NOW.getTime() + 2 * 60_000),
      addressSuppressions: { ...addressSuppressions, contacts },
    });

    // Assess
    expect(await sendToB('sms')).toBe('suppressed');
    expect(await sendToB('email')).toBe('sent');
  });
});
