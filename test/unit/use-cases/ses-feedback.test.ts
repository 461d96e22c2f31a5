import { describe, expect, it } from 'vitest';
import { feedbackOf, sesNotificationSchema } from '../../../functions/queue-ses-feedback/ses-event';
import type { ConsentEvent } from '../../../shared/domain/consent';
import type { DeliveryKey } from '../../../shared/domain/delivery';
import type { Contact } from '../../../shared/domain/types';
import type {
  ConsentStore,
  ContactStore,
  FeedbackCount,
  FeedbackCounter,
  FeedbackStore,
} from '../../../shared/ports';
import { recordSesFeedback, type SesFeedback } from '../../../shared/use-cases/ses-feedback';
import { bounceEvent, complaintEvent, deliveryEvent } from '../../fixtures/ses-events';

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

const bounce = (overrides: Partial<SesFeedback> = {}): SesFeedback => ({
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

describe('SES event notifications (queue-ses-feedback)', () => {
  const envelope = (event: object) => ({
    Type: 'Notification',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:ChaparMessaging-SesEventsTopic',
    Message: JSON.stringify(event),
    Timestamp: '2025-06-01T10:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn',
  });

  it.each([
    ['a hard bounce', bounceEvent({ to: 'Sara@Example.com', tags }), { kind: 'bounce', permanent: true }],
    [
      'a soft bounce',
      bounceEvent({ to: 'sara@example.com', tags }, 'Transient'),
      { kind: 'bounce', permanent: false },
    ],
    [
      'a complaint',
      complaintEvent({ to: 'sara@example.com', tags }),
      { kind: 'complaint', permanent: false },
    ],
  ])('reads %s with our tags, without SES ones, and lower-cased recipients', (_what, event, expected) => {
    // Act
    const feedback = feedbackOf(sesNotificationSchema.parse(envelope(event)).Message);

    // Assess
    expect(feedback).toEqual({ ...expected, recipients: ['sara@example.com'], tags });
  });

  it('reads a delivery as needing nothing', () => {
    // Act
    const event = sesNotificationSchema.parse(
      envelope(deliveryEvent({ to: 'sara@example.com', tags })),
    ).Message;

    // Assess
    expect(event.eventType).toBe('Delivery');
    expect(feedbackOf(event)).toBeUndefined();
  });

  it.each([
    ['the older notification format', { notificationType: 'Bounce', bounce: {}, mail: {} }],
    [
      'a bounce without recipients',
      { ...bounceEvent({ to: 'a@b.co' }), bounce: { bounceType: 'Permanent' } },
    ],
    ['an unknown event type', { ...deliveryEvent({ to: 'a@b.co' }), eventType: 'Teleport' }],
  ])('refuses %s', (_what, event) => {
    // Act
    const result = sesNotificationSchema.safeParse(envelope(event));

    // Assess
    expect(result.success).toBe(false);
  });
});
