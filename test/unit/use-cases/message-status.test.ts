import { describe, expect, it } from 'vitest';
import type { SmsStatusReport } from '../../../shared/domain/sms';
import type { TransactionalMessage } from '../../../shared/domain/transactional-message';
import { pollMessageStatuses, recordMessageFeedback } from '../../../shared/use-cases/message-status';
import { MemoryMessageStore } from '../../support/fakes/message-store';
import { MemorySuppressionStore } from '../../support/fakes/suppression-store';

const SENT_AT = new Date('2030-01-01T10:00:00Z');

async function sentMessage(store: MemoryMessageStore, id: string, providerMessageId: string): Promise<void> {
  const message: TransactionalMessage = {
    id,
    channel: 'sms',
    address: '+989121234567',
    locale: 'fa',
    content: { channel: 'sms', text: 'کد ۱' },
    status: 'queued',
    createdAt: SENT_AT.toISOString(),
    updatedAt: SENT_AT.toISOString(),
    expiresAt: 0,
  };
  await store.create(message, { idempotencyKey: id, digest: 'd' });
  await store.claim(id, 'run', SENT_AT, 60_000);
  await store.end(
    id,
    'run',
    { status: 'sent', providerMessageId, sentAt: SENT_AT, pollAt: new Date(SENT_AT.getTime() + 10_000) },
    SENT_AT,
  );
}

const reportsFor =
  (statuses: Record<string, SmsStatusReport['status']>) =>
  async (ids: readonly string[]): Promise<SmsStatusReport[]> =>
    ids.map((messageId) => ({
      messageId,
      status: statuses[messageId] ?? 'unknown',
      optOut: false,
      providerStatus: 6,
    }));

describe('pollMessageStatuses', () => {
  it('moves final statuses on and polls a pending SMS again later', async () => {
    // Prepare
    const messages = new MemoryMessageStore();
    await sentMessage(messages, 'm1', 'p1');
    await sentMessage(messages, 'm2', 'p2');
    await sentMessage(messages, 'm3', 'p3');
    const now = new Date(SENT_AT.getTime() + 12_000);

    // Act
    const summary = await pollMessageStatuses({
      messages,
      provider: { status: reportsFor({ p1: 'delivered', p2: 'undelivered', p3: 'pending' }) },
      now: () => now,
    });

    // Assess
    expect(summary).toEqual({ polled: 3, delivered: 1, undelivered: 1, unknown: 0 });
    expect((await messages.get('m1'))?.status).toBe('delivered');
    expect(await messages.get('m2')).toMatchObject({
      status: 'undelivered',
      reason: 'kavenegar:undelivered:6',
    });
    expect(messages.messages.get('m3')?.dueAt).toBe(new Date(SENT_AT.getTime() + 60_000).toISOString());
  });

  it('gives up past the status window, keeping the message sent', async () => {
    // Prepare
    const messages = new MemoryMessageStore();
    await sentMessage(messages, 'm1', 'p1');
    const now = new Date(SENT_AT.getTime() + 48 * 3600_000);

    // Act
    const summary = await pollMessageStatuses({
      messages,
      provider: { status: reportsFor({}) },
      now: () => now,
    });

    // Assess
    expect(summary.unknown).toBe(1);
    expect(await messages.get('m1')).toMatchObject({ status: 'sent', reason: 'final_status_unknown' });
    expect(await messages.duePolls(now, 10)).toEqual([]);
  });
});

describe('recordMessageFeedback', () => {
  it('ignores a soft bounce and feedback on campaign email, marks a complaint', async () => {
    // Prepare
    const messages = new MemoryMessageStore();
    await sentMessage(messages, 'm1', 'p1');
    const suppressions = new MemorySuppressionStore();
    const deps = {
      messages,
      addressSuppressions: { suppressions, erasureKey: async () => 'k', now: () => SENT_AT },
      now: () => SENT_AT,
    };

    // Act
    const soft = await recordMessageFeedback(deps, {
      kind: 'bounce',
      permanent: false,
      recipients: ['a@b.co'],
      tags: { message: 'm1' },
    });
    const campaign = await recordMessageFeedback(deps, {
      kind: 'complaint',
      permanent: false,
      recipients: [],
      tags: { campaign: 'c' },
    });
    const complaint = await recordMessageFeedback(deps, {
      kind: 'complaint',
      permanent: false,
      recipients: ['a@b.co'],
      tags: { message: 'm1' },
    });

    // Assess
    expect([soft.outcome, campaign.outcome, complaint.outcome]).toEqual(['ignored', 'untagged', 'recorded']);
    expect((await messages.get('m1'))?.status).toBe('complained');
    expect(suppressions.hashes.size).toBe(1);
  });
});
