import { describe, expect, it } from 'vitest';
import type { EmailFeedback } from '../../../shared/domain/email-feedback';
import type { Contact } from '../../../shared/domain/types';
import { recordSesFeedback } from '../../../shared/use-cases/ses-feedback';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryDeliveryStore } from '../../support/fakes/delivery-store';
import { MemoryFeedbackStore } from '../../support/fakes/feedback-store';

const contact: Contact = {
  id: 'c1',
  ref: 'ref-1',
  email: 'sara@example.com',
  locale: 'fa',
  attributes: {},
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};
const tags = { campaign: 'camp-1', ref: 'ref-1', channel: 'email', topic: 'newsletter' };

function fakes(options: { delivery?: boolean } = {}) {
  const consent = new MemoryConsentStore();
  const deliveries = new MemoryDeliveryStore();
  if (options.delivery !== false) {
    deliveries.put(
      { campaignId: 'camp-1', contactId: 'c1', channel: 'email' },
      { status: 'sent', attempts: 1 },
    );
  }
  const feedback = new MemoryFeedbackStore(deliveries);
  const deps = {
    contacts: new MemoryContactStore([contact]),
    consent,
    feedback,
    now: () => new Date('2025-06-01T10:00:00.000Z'),
  };
  return { deps, recorded: consent.events, counts: feedback.counts };
}

const bounce = (overrides: Partial<EmailFeedback> = {}): EmailFeedback => ({
  kind: 'bounce',
  permanent: true,
  recipients: ['sara@example.com'],
  tags,
  ...overrides,
});

describe('recordSesFeedback', () => {
  it('opts a hard-bounced address out of every email topic, with the campaign, and counts it', async () => {
    // Prepare
    const { deps, recorded, counts } = fakes();

    // Act
    const result = await recordSesFeedback(deps, bounce());

    // Assess
    expect(result).toEqual({
      outcome: 'recorded',
      campaignId: 'camp-1',
      contactId: 'c1',
      suppressed: true,
      counted: true,
    });
    expect(recorded).toEqual([
      expect.objectContaining({
        contactId: 'c1',
        action: 'opt_out',
        channel: 'email',
        topic: '*',
        source: 'ses_bounce',
        campaignId: 'camp-1',
        at: '2025-06-01T10:00:00.000Z',
      }),
    ]);
    expect(counts).toEqual({ bounced: 1, complained: 0 });
  });

  it('does nothing more for feedback counted before', async () => {
    // Prepare
    const { deps, recorded, counts } = fakes();
    await recordSesFeedback(deps, bounce());

    // Act
    const again = await recordSesFeedback(deps, bounce());

    // Assess
    expect(again).toEqual({ outcome: 'duplicate', campaignId: 'camp-1', contactId: 'c1' });
    expect(recorded).toHaveLength(1);
    expect(counts.bounced).toBe(1);
  });

  it('opts a complaining contact out, even when the provider redacted the address', async () => {
    // Prepare
    const { deps, recorded, counts } = fakes();

    // Act
    await recordSesFeedback(deps, { kind: 'complaint', permanent: false, recipients: [], tags });

    // Assess
    expect(recorded).toEqual([expect.objectContaining({ topic: '*', source: 'ses_complaint' })]);
    expect(counts).toEqual({ bounced: 0, complained: 1 });
  });

  it.each([
    ['a soft bounce', bounce({ permanent: false })],
    ['a hard bounce of an address the contact no longer has', bounce({ recipients: ['old@example.com'] })],
  ])('only counts %s', async (_what, feedback) => {
    // Prepare
    const { deps, recorded, counts } = fakes();

    // Act
    const result = await recordSesFeedback(deps, feedback);

    // Assess
    expect(result).toMatchObject({ outcome: 'recorded', suppressed: false, counted: true });
    expect(recorded).toEqual([]);
    expect(counts.bounced).toBe(1);
  });

  it('still suppresses when the delivery is missing from the ledger', async () => {
    // Prepare
    const { deps, recorded } = fakes({ delivery: false });

    // Act
    const result = await recordSesFeedback(deps, bounce());

    // Assess
    expect(result).toMatchObject({ outcome: 'recorded', suppressed: true, counted: false });
    expect(recorded).toHaveLength(1);
  });

  it.each([
    ['no tags', {}, 'untagged'],
    ['no ref', { campaign: 'camp-1' }, 'untagged'],
    ['an SMS channel tag', { ...tags, channel: 'sms' }, 'untagged'],
    ['a ref of nobody', { ...tags, ref: 'gone' }, 'unknown_contact'],
  ])('acknowledges feedback with %s and changes nothing', async (_what, eventTags, outcome) => {
    // Prepare
    const { deps, recorded, counts } = fakes();

    // Act
    const result = await recordSesFeedback(deps, bounce({ tags: eventTags }));

    // Assess
    expect(result).toEqual({ outcome });
    expect(recorded).toEqual([]);
    expect(counts).toEqual({ bounced: 0, complained: 0 });
  });
});
