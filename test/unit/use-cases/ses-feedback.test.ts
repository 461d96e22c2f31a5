import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../../../shared/domain/consent';
import type { DeliveryKey } from '../../../shared/domain/delivery';
import type { EmailFeedback, FeedbackCounter } from '../../../shared/domain/email-feedback';
import type { Contact } from '../../../shared/domain/types';
import type { ConsentStore, ContactStore, FeedbackCount, FeedbackStore } from '../../../shared/ports';
import { recordSesFeedback } from '../../../shared/use-cases/ses-feedback';

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
  const recorded: ConsentEvent[] = [];
  const marks = new Set<string>();
  const counts: Record<FeedbackCounter, number> = { bounced: 0, complained: 0 };
  const mark = (key: DeliveryKey, counter: FeedbackCounter) =>
    `${key.campaignId}/${key.contactId}/${counter}`;
  const feedback: FeedbackStore = {
    isCounted: async (key, counter) => marks.has(mark(key, counter)),
    count: async (key, counter): Promise<FeedbackCount> => {
      if (options.delivery === false) return 'no_delivery';
      if (marks.has(mark(key, counter))) return 'duplicate';
      marks.add(mark(key, counter));
      counts[counter] += 1;
      return 'counted';
    },
  };
  const contacts = { getByRef: async (ref: string) => (ref === contact.ref ? contact : undefined) };
  const consent = { record: async (event: ConsentEvent) => void recorded.push(event) };
  const deps = {
    contacts: contacts as unknown as ContactStore,
    consent: consent as unknown as ConsentStore,
    feedback,
    now: () => new Date('2025-06-01T10:00:00.000Z'),
  };
  return { deps, recorded, counts };
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
