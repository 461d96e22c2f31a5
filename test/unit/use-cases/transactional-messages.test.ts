import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ProviderError, ValidationError } from '../../../shared/domain/errors';
import { messageLocalId } from '../../../shared/domain/transactional-message';
import type { Contact } from '../../../shared/domain/types';
import { addressSuppressionHash } from '../../../shared/use-cases/address-suppressions';
import { tombstoneHashes } from '../../../shared/use-cases/contact-consent';
import {
  type DeliverMessageDeps,
  deliverMessage,
  MessageRetryError,
} from '../../../shared/use-cases/deliver-message';
import {
  type AcceptMessageDeps,
  acceptMessage,
  ENQUEUE_GRACE_MS,
  getMessage,
  type MessageTemplates,
} from '../../../shared/use-cases/transactional-messages';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { FakeEmailProvider } from '../../support/fakes/email-provider';
import { MemoryMessageStore, MemoryTransactionalQueue } from '../../support/fakes/message-store';
import { FakeSmsLookup, FakeSmsProvider } from '../../support/fakes/sms';
import { MemorySuppressionStore } from '../../support/fakes/suppression-store';

const KEY = 'erasure-key';
const NOW = new Date('2030-01-01T22:30:00Z');

const sara: Contact = {
  id: 'c1',
  ref: 'ref-1',
  phone: '+989121234567',
  email: 'sara@example.com',
  locale: 'fa',
  name: 'سارا',
  attributes: {},
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};

function setup(options: { templates?: MessageTemplates } = {}) {
  const messages = new MemoryMessageStore();
  const queue = new MemoryTransactionalQueue();
  const suppressions = new MemorySuppressionStore();
  const sms = new FakeSmsProvider();
  const lookup = new FakeSmsLookup(sms.accepted);
  const email = new FakeEmailProvider();
  let now = NOW;
  const accept: AcceptMessageDeps = {
    messages,
    contacts: new MemoryContactStore([sara]),
    queue,
    suppressions,
    erasureKey: async () => KEY,
    now: () => now,
    retentionDays: 30,
    ...(options.templates ? { templates: options.templates } : {}),
  };
  const deliver: DeliverMessageDeps = {
    messages,
    sms,
    lookup,
    email,
    suppressions,
    erasureKey: async () => KEY,
    now: () => now,
    leaseMs: 60_000,
  };
  return {
    accept,
    deliver,
    messages,
    queue,
    suppressions,
    sms,
    lookup,
    email,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const orderSms = {
  channel: 'sms',
  to: { contactId: 'c1' },
  content: { text: '{{name}} عزیز، سفارش {{orderId}} ارسال شد' },
  data: { orderId: 'A-1042' },
  category: 'transactional',
};

describe('acceptMessage', () => {
  it('stores the rendered message, enqueues it once, and keeps it for the retention only', async () => {
    // Prepare
    const { accept, messages, queue } = setup();

    // Act
    const accepted = await acceptMessage(accept, 'order-1042-shipped', orderSms);

    // Assess
    const stored = await messages.get(accepted.id);
    expect(accepted).toMatchObject({ status: 'queued', created: true });
    expect(queue.enqueued).toEqual([accepted.id]);
    expect(stored?.content).toEqual({ channel: 'sms', text: 'سارا عزیز، سفارش A-1042 ارسال شد' });
    expect(stored?.address).toBe('+989121234567');
    expect(stored?.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 30 * 86_400);
    expect(JSON.stringify(stored)).not.toContain('"data"');
  });

  it('answers the same message for the same key and body, in any key order, and sends nothing twice', async () => {
    // Prepare
    const { accept, queue } = setup();
    const first = await acceptMessage(accept, 'k-1', orderSms);

    // Act
    const reordered = {
      category: 'transactional',
      data: { orderId: 'A-1042' },
      content: orderSms.content,
      to: { contactId: 'c1' },
      channel: 'sms',
    };
    const again = await acceptMessage(accept, 'k-1', reordered);

    // Assess
    expect(again).toEqual({ id: first.id, status: 'queued', created: false });
    expect(queue.enqueued).toEqual([first.id]);
  });

  it('refuses the same key with another body with a 409', async () => {
    // Prepare
    const { accept } = setup();
    await acceptMessage(accept, 'k-1', orderSms);

    // Act
    const reuse = acceptMessage(accept, 'k-1', { ...orderSms, data: { orderId: 'A-9999' } });

    // Assess
    await expect(reuse).rejects.toThrow(ConflictError);
    await expect(reuse).rejects.toThrow(/Idempotency-Key was used with another body/);
  });

  it('enqueues again on a replay when the first enqueue never landed', async () => {
    // Prepare
    const { accept, queue, advance } = setup();
    queue.failNext = true;
    await expect(acceptMessage(accept, 'k-2', orderSms)).rejects.toThrow('SQS unavailable');

    // Act: a twin at once leaves it to the first request; the client's retry later enqueues it
    const twin = await acceptMessage(accept, 'k-2', orderSms);
    const enqueuedByTwin = [...queue.enqueued];
    advance(ENQUEUE_GRACE_MS);
    const replay = await acceptMessage(accept, 'k-2', orderSms);

    // Assess
    expect(enqueuedByTwin).toEqual([]);
    expect(twin.id).toBe(replay.id);
    expect(queue.enqueued).toEqual([replay.id]);
  });

  it('requires an Idempotency-Key of visible ASCII', async () => {
    // Prepare
    const { accept } = setup();

    // Act
    const missing = acceptMessage(accept, undefined, orderSms);
    const bad = acceptMessage(accept, 'has space', orderSms);

    // Assess
    await expect(missing).rejects.toThrow(/Idempotency-Key header is required/);
    await expect(bad).rejects.toThrow(ValidationError);
  });

  it.each([
    [{ ...orderSms, category: 'marketing' }, /category/],
    [{ ...orderSms, content: undefined }, /exactly one of templateId or content/],
    [{ ...orderSms, to: { phone: '12345' } }, /to.phone/],
    [{ ...orderSms, to: { email: 'sara@example.com' } }, /only email/],
    [{ ...orderSms, channel: 'email' }, /email content is/],
    [{ ...orderSms, content: { text: 'x'.repeat(901) } }, /at most 900/],
    [{ ...orderSms, extra: 1 }, /extra/],
  ])('refuses a bad body with a 400 naming the field (%#)', async (body, message) => {
    // Prepare
    const { accept } = setup();

    // Act
    const refused = acceptMessage(accept, 'k-bad', body);

    // Assess
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(message);
  });

  it('refuses an erased person’s address with a 409 and the reason, and a hard-bounced email', async () => {
    // Prepare
    const { accept, suppressions, queue } = setup();
    const erased = tombstoneHashes(KEY, { phone: '+989351112233' }).sms as string;
    await suppressions.add(
      [erased, addressSuppressionHash(KEY, 'hard_bounce', 'email', 'gone@example.com')],
      NOW,
    );

    // Act
    const toErased = acceptMessage(accept, 'k-e', { ...orderSms, to: { phone: '۰۹۳۵ ۱۱۱ ۲۲۳۳' } });
    const toBounced = acceptMessage(accept, 'k-b', {
      channel: 'email',
      to: { email: 'Gone@Example.com' },
      content: { subject: 'سفارش', html: '<p>ok</p>' },
      category: 'transactional',
    });

    // Assess
    await expect(toErased).rejects.toThrow(/erased person/);
    await expect(toBounced).rejects.toThrow(/hard-bounced/);
    expect(queue.enqueued).toEqual([]);
  });

  it('sends to an address that opted out of marketing: opt-outs do not apply to transactional messages', async () => {
    // Prepare
    const { accept, suppressions } = setup();
    await suppressions.add([addressSuppressionHash(KEY, 'opted_out', 'sms', '+989121234567')], NOW);

    // Act
    const accepted = await acceptMessage(accept, 'k-o', orderSms);

    // Assess
    expect(accepted.status).toBe('queued');
  });

  it('refuses a templateId with 400 while no template store is wired, and renders one when it is', async () => {
    // Prepare
    const templates: MessageTemplates = {
      get: async (id) =>
        id === 'order-shipped'
          ? { channel: 'sms', version: 3, variants: { en: { text: 'Order {{orderId}} shipped' } } }
          : undefined,
    };
    const without = setup();
    const withStore = setup({ templates });
    const body = {
      channel: 'sms',
      to: { contactId: 'c1' },
      templateId: 'order-shipped',
      data: { orderId: 'B-7' },
      category: 'transactional',
    };

    // Act
    const refused = acceptMessage(without.accept, 'k-t', body);
    const accepted = await acceptMessage(withStore.accept, 'k-t', body);

    // Assess: fa is missing, so the en variant stands in
    await expect(refused).rejects.toThrow(/templates are not available/);
    const stored = await withStore.messages.get(accepted.id);
    expect(stored).toMatchObject({
      templateId: 'order-shipped',
      templateVersion: 3,
      content: { text: 'Order B-7 shipped' },
    });
  });

  it('answers 404 for a contact that does not exist', async () => {
    // Prepare
    const { accept } = setup();

    // Act
    const refused = acceptMessage(accept, 'k-n', { ...orderSms, to: { contactId: 'nobody' } });

    // Assess
    await expect(refused).rejects.toThrow(NotFoundError);
  });
});

describe('deliverMessage', () => {
  it('sends the SMS as written, with no link or opt-out suffix, under its local id, once', async () => {
    // Prepare
    const { accept, deliver, sms, messages } = setup();
    const { id } = await acceptMessage(accept, 'k-1', orderSms);

    // Act
    const first = await deliverMessage(deliver, id, 'run-1');
    const again = await deliverMessage(deliver, id, 'run-2');

    // Assess
    expect([first, again]).toEqual(['sent', 'skipped']);
    expect(sms.sent).toEqual([
      { receptor: '+989121234567', text: 'سارا عزیز، سفارش A-1042 ارسال شد', localId: messageLocalId(id) },
    ]);
    expect((await getMessage({ messages }, id)).status).toBe('sent');
  });

  it('refuses at send an address erased after acceptance', async () => {
    // Prepare
    const { accept, deliver, sms, suppressions, messages } = setup();
    const { id } = await acceptMessage(accept, 'k-1', orderSms);
    await suppressions.add([tombstoneHashes(KEY, { phone: sara.phone }).sms as string], NOW);

    // Act
    const outcome = await deliverMessage(deliver, id, 'run-1');

    // Assess
    expect(outcome).toBe('refused');
    expect(sms.sent).toEqual([]);
    expect(await getMessage({ messages }, id)).toMatchObject({
      status: 'refused',
      reason: 'the address belongs to an erased person',
    });
  });

  it('after a crash inside the SMS call, finds the SMS by local id instead of sending it again', async () => {
    // Prepare: a run reached Kavenegar and died before its end
    const { accept, deliver, sms, messages, advance } = setup();
    const { id } = await acceptMessage(accept, 'k-1', orderSms);
    await messages.claim(id, 'dead-run', NOW, 60_000);
    await messages.markAttempt(id, 'dead-run', NOW);
    await sms.sendDetailed([{ receptor: sara.phone as string, text: 'x', localId: messageLocalId(id) }]);
    advance(61_000);

    // Act
    const outcome = await deliverMessage(deliver, id, 'run-2');

    // Assess
    expect(outcome).toBe('sent');
    expect(sms.calls).toHaveLength(1);
    expect((await messages.get(id))?.providerMessageId).toBe(sms.accepted.get(messageLocalId(id))?.messageId);
  });

  it('after a crash before Kavenegar got it, sends once the lookup says it was not sent', async () => {
    // Prepare
    const { accept, deliver, sms, lookup, messages, advance } = setup();
    const { id } = await acceptMessage(accept, 'k-1', orderSms);
    await messages.claim(id, 'dead-run', NOW, 60_000);
    await messages.markAttempt(id, 'dead-run', NOW);
    advance(61_000);

    // Act
    const outcome = await deliverMessage(deliver, id, 'run-2');

    // Assess
    expect(outcome).toBe('sent');
    expect(lookup.calls).toEqual([[messageLocalId(id)]]);
    expect(sms.sent).toHaveLength(1);
  });

  it('never takes over a live run', async () => {
    // Prepare
    const { accept, deliver, sms, messages } = setup();
    const { id } = await acceptMessage(accept, 'k-1', orderSms);
    await messages.claim(id, 'live-run', NOW, 60_000);

    // Act
    const outcome = await deliverMessage(deliver, id, 'run-2');

    // Assess
    expect(outcome).toBe('skipped');
    expect(sms.sent).toEqual([]);
  });

  it('gives a throttled SMS back to the queue, and fails one Kavenegar refuses for good', async () => {
    // Prepare
    const { accept, deliver, sms, messages } = setup();
    const throttled = await acceptMessage(accept, 'k-1', orderSms);
    const refused = await acceptMessage(accept, 'k-2', { ...orderSms, data: { orderId: 'Z' } });
    sms.failures.set(
      messageLocalId(throttled.id),
      new ProviderError('kavenegar', '451', 'retryable', 'throttled'),
    );
    sms.failures.set(
      messageLocalId(refused.id),
      new ProviderError('kavenegar', '411', 'recipient', 'bad receptor'),
    );

    // Act
    const retry = deliverMessage(deliver, throttled.id, 'run-1');
    const failed = await deliverMessage(deliver, refused.id, 'run-2');

    // Assess
    await expect(retry).rejects.toThrow(MessageRetryError);
    expect((await messages.get(throttled.id))?.status).toBe('queued');
    expect(failed).toBe('failed');
    expect((await messages.get(refused.id))?.reason).toBe('kavenegar:411');
  });

  it('sends a transactional email with no unsubscribe header, tagged with its message id', async () => {
    // Prepare
    const { accept, deliver, email } = setup();
    const { id } = await acceptMessage(accept, 'k-m', {
      channel: 'email',
      to: { contactId: 'c1' },
      content: { subject: 'رسید سفارش {{orderId}}', html: '<p>سلام {{name}}، مبلغ {{amount}}</p>' },
      data: { orderId: 'A-1', amount: '۱۲۰٬۰۰۰ تومان' },
      category: 'transactional',
    });

    // Act
    const outcome = await deliverMessage(deliver, id, 'run-1');

    // Assess
    expect(outcome).toBe('sent');
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]).toMatchObject({
      to: 'sara@example.com',
      subject: 'رسید سفارش A-1',
      headers: {},
      tags: { message: id, channel: 'email' },
    });
    expect(email.sent[0]?.text).toContain('سلام سارا، مبلغ ۱۲۰٬۰۰۰ تومان');
  });

  it('fails an email whose earlier run died inside the SES call as outcome_unknown, never a second copy', async () => {
    // Prepare
    const { accept, deliver, email, messages, advance } = setup();
    const { id } = await acceptMessage(accept, 'k-m', {
      channel: 'email',
      to: { email: 'sara@example.com' },
      content: { subject: 's', html: '<p>h</p>' },
      category: 'transactional',
    });
    await messages.claim(id, 'dead-run', NOW, 60_000);
    await messages.markAttempt(id, 'dead-run', NOW);
    advance(61_000);

    // Act
    const outcome = await deliverMessage(deliver, id, 'run-2');

    // Assess
    expect(outcome).toBe('failed');
    expect(email.sent).toEqual([]);
    expect((await messages.get(id))?.reason).toBe('outcome_unknown');
  });
});

describe('getMessage', () => {
  it('answers 404 for an id that is no message, and never shows content', async () => {
    // Prepare
    const { accept, messages } = setup();
    const { id } = await acceptMessage(accept, 'k-1', orderSms);

    // Act
    const view = await getMessage({ messages }, id);
    const missing = getMessage({ messages }, 'not-an-id');

    // Assess
    expect(JSON.stringify(view)).not.toContain('A-1042');
    await expect(missing).rejects.toThrow(NotFoundError);
  });
});
