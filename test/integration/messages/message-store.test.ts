import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MessageStore, SuppressionStore } from '../../../shared/ports';
import type { AcceptMessageDeps } from '../../../shared/use-cases/transactional-messages';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryTransactionalQueue } from '../../support/fakes/message-store';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let messages: MessageStore;
let suppressions: SuppressionStore;
let useCase: typeof import('../../../shared/use-cases/transactional-messages');
let status: typeof import('../../../shared/use-cases/message-status');

beforeAll(async () => {
  emulators = await useEmulators();
  const factory = await import('../../../shared/adapters/factory');
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  messages = factory.messageStore(emulators.names.tables.messages);
  suppressions = factory.suppressionStore(emulators.names.tables.suppressions);
  useCase = await import('../../../shared/use-cases/transactional-messages');
  status = await import('../../../shared/use-cases/message-status');
});

function acceptDeps(queue = new MemoryTransactionalQueue(), now = new Date()): AcceptMessageDeps {
  return {
    messages,
    contacts: new MemoryContactStore(),
    queue,
    suppressions,
    erasureKey: async () => 'test-erasure-key',
    now: () => now,
    retentionDays: 30,
  };
}

const body = (text: string) => ({
  channel: 'sms',
  to: { phone: '09121234567' },
  content: { text },
  category: 'transactional',
});

async function item(pk: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: emulators.names.tables.messages, Key: { pk }, ConsistentRead: true }),
  );
  return Item;
}

describe('DynamoMessageStore with the transactional use case', () => {
  it('makes one message of concurrent requests with one Idempotency-Key, all answered with its id', async () => {
    // Prepare
    const queue = new MemoryTransactionalQueue();
    const deps = acceptDeps(queue);
    const key = `order-${randomUUID()}`;

    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => useCase.acceptMessage(deps, key, body('سفارش شما ارسال شد'))),
    );

    // Assess
    const ids = new Set(answers.map((answer) => answer.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    expect(queue.enqueued).toEqual([...ids]);
  });

  it('stores key and message with the retention as their TTL, and the data only rendered', async () => {
    // Prepare
    const now = new Date('2030-05-01T10:00:00Z');
    const key = `order-${randomUUID()}`;

    // Act
    const { id } = await useCase.acceptMessage(acceptDeps(undefined, now), key, {
      ...body('مبلغ {{amount}}'),
      data: { amount: '۱۲۰٬۰۰۰' },
    });

    // Assess
    const expiresAt = Math.floor(now.getTime() / 1000) + 30 * 86_400;
    const message = await item(`message#${id}`);
    expect(message).toMatchObject({ expiresAt, content: { channel: 'sms', text: 'مبلغ ۱۲۰٬۰۰۰' } });
    expect(message).not.toHaveProperty('data');
    expect(await item(`key#${key}`)).toMatchObject({ messageId: id, expiresAt });
  });

  it('lets one of several concurrent runs claim a message, and a takeover only after the lease', async () => {
    // Prepare
    const { id } = await useCase.acceptMessage(acceptDeps(), `k-${randomUUID()}`, body('کد ۱۲۳'));
    const now = new Date();

    // Act
    const claims = await Promise.all(
      Array.from({ length: 5 }, (_, i) => messages.claim(id, `run-${i}`, now, 60_000)),
    );
    const early = await messages.claim(id, 'late', new Date(now.getTime() + 30_000), 60_000);
    const takeover = await messages.claim(id, 'late', new Date(now.getTime() + 61_000), 60_000);

    // Assess
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
    expect(early).toBeUndefined();
    expect(takeover?.status).toBe('sending');
  });

  it('polls a sent SMS until its final status, then leaves the due index', async () => {
    // Prepare: a message sent 20 s ago, due for its poll
    const sentAt = new Date(Date.now() - 20_000);
    const { id } = await useCase.acceptMessage(acceptDeps(), `k-${randomUUID()}`, body('کد ۴۵۶'));
    await messages.claim(id, 'run', sentAt, 60_000);
    const providerMessageId = String(Date.now());
    await messages.end(
      id,
      'run',
      { status: 'sent', providerMessageId, sentAt, pollAt: new Date(sentAt.getTime() + 10_000) },
      sentAt,
    );
    const provider = {
      status: async (ids: readonly string[]) =>
        ids.map((messageId) => ({
          messageId,
          status: messageId === providerMessageId ? ('delivered' as const) : ('pending' as const),
          optOut: false,
          providerStatus: messageId === providerMessageId ? 10 : 1,
        })),
    };

    // Act
    await status.pollMessageStatuses({ messages, provider, now: () => new Date() });

    // Assess
    expect((await messages.get(id))?.status).toBe('delivered');
    expect((await messages.duePolls(new Date(), 500)).map((message) => message.id)).not.toContain(id);
  });

  it('marks a hard-bounced transactional email bounced and refuses the address afterwards', async () => {
    // Prepare
    const address = `gone-${randomUUID()}@example.com`;
    const email = {
      channel: 'email',
      to: { email: address },
      content: { subject: 'رسید', html: '<p>رسید سفارش</p>' },
      category: 'transactional',
    };
    const { id } = await useCase.acceptMessage(acceptDeps(), `k-${randomUUID()}`, email);
    await messages.claim(id, 'run', new Date(), 60_000);
    await messages.end(
      id,
      'run',
      { status: 'sent', providerMessageId: 'ses-1', sentAt: new Date() },
      new Date(),
    );

    // Act
    await status.recordMessageFeedback(
      {
        messages,
        addressSuppressions: {
          suppressions,
          erasureKey: async () => 'test-erasure-key',
          now: () => new Date(),
        },
        now: () => new Date(),
      },
      { kind: 'bounce', permanent: true, recipients: [address], tags: { message: id, channel: 'email' } },
    );
    const again = useCase.acceptMessage(acceptDeps(), `k-${randomUUID()}`, email);

    // Assess
    expect((await messages.get(id))?.status).toBe('bounced');
    await expect(again).rejects.toThrow(/hard-bounced/);
  });

  it('scrubs address and content of the messages sent to an erased person, and then sends none of them', async () => {
    // Prepare: two messages to one phone, one of them still queued
    const phone = `0912${String(Date.now()).slice(-7)}`;
    const toPhone = (text: string) => ({ ...body(text), to: { phone } });
    const sent = await useCase.acceptMessage(
      acceptDeps(),
      `k-${randomUUID()}`,
      toPhone('رمز یکبار مصرف ۱۱۱'),
    );
    const queued = await useCase.acceptMessage(
      acceptDeps(),
      `k-${randomUUID()}`,
      toPhone('رمز یکبار مصرف ۲۲۲'),
    );
    await messages.claim(sent.id, 'run', new Date(), 60_000);
    await messages.end(
      sent.id,
      'run',
      { status: 'sent', providerMessageId: 'p', sentAt: new Date() },
      new Date(),
    );

    // Act
    await messages.scrubAddress(`+98${phone.slice(1)}`, new Date());
    const { deliverMessage } = await import('../../../shared/use-cases/deliver-message');
    const outcome = await deliverMessage(
      {
        messages,
        suppressions,
        erasureKey: async () => 'test-erasure-key',
        now: () => new Date(),
        leaseMs: 60_000,
      },
      queued.id,
      'run-2',
    );

    // Assess
    for (const id of [sent.id, queued.id]) {
      const stored = await item(`message#${id}`);
      expect(stored).not.toHaveProperty('address');
      expect(stored).not.toHaveProperty('content');
    }
    expect((await messages.get(sent.id))?.status).toBe('sent');
    expect(outcome).toBe('refused');
  });
});
