import { describe, expect, it } from 'vitest';
import { feedbackOf, sesNotificationSchema } from '../../../../shared/adapters/ses/feedback-event';
import { bounceEvent, complaintEvent, deliveryEvent } from '../../../fixtures/ses-events';

const tags = { campaign: 'camp-1', ref: 'ref-1', channel: 'email', topic: 'newsletter' };

describe('SES event notifications (feedback-event)', () => {
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
