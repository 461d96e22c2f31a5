import type { MessageStatus, TransactionalMessage } from '../../../shared/domain/transactional-message';
import type { MessageEnd, MessageStore, TransactionalQueue } from '../../../shared/ports';

type Stored = TransactionalMessage & { claimId?: string; claimUntil?: number; dueAt?: string };

/** MessageStore in memory, with the conditions shared/adapters/dynamodb/message-store.ts writes under. */
export class MemoryMessageStore implements MessageStore {
  readonly messages = new Map<string, Stored>();
  readonly keys = new Map<string, { messageId: string; digest: string }>();

  async create(message: TransactionalMessage, key: { idempotencyKey: string; digest: string }) {
    const found = this.keys.get(key.idempotencyKey);
    if (found) return { outcome: 'exists' as const, ...found };
    this.keys.set(key.idempotencyKey, { messageId: message.id, digest: key.digest });
    this.messages.set(message.id, { ...message });
    return { outcome: 'created' as const };
  }

  async findKey(idempotencyKey: string) {
    return this.keys.get(idempotencyKey);
  }

  async get(id: string): Promise<TransactionalMessage | undefined> {
    const stored = this.messages.get(id);
    if (!stored) return undefined;
    const { claimId: _c, claimUntil: _u, dueAt: _d, ...message } = stored;
    return message;
  }

  async markEnqueued(id: string): Promise<void> {
    this.update(id, { enqueued: true });
  }

  async claim(id: string, claimId: string, now: Date, leaseMs: number) {
    const stored = this.messages.get(id);
    if (!stored) return undefined;
    const free =
      stored.status === 'queued' || (stored.status === 'sending' && (stored.claimUntil ?? 0) < now.getTime());
    if (!free) return undefined;
    this.update(id, { status: 'sending', claimId, claimUntil: now.getTime() + leaseMs });
    return this.get(id);
  }

  async markAttempt(id: string, claimId: string, now: Date): Promise<void> {
    const stored = this.owned(id, claimId);
    if (!stored) throw new Error('ConditionalCheckFailed');
    this.update(id, { attemptedAt: stored.attemptedAt ?? now.toISOString() });
  }

  async release(id: string, claimId: string, options: { outcomeUnknown?: boolean } = {}): Promise<void> {
    const stored = this.owned(id, claimId);
    if (!stored) return;
    const { claimId: _c, claimUntil: _u, attemptedAt, ...rest } = stored;
    this.messages.set(id, {
      ...rest,
      status: 'queued',
      ...(options.outcomeUnknown && attemptedAt ? { attemptedAt } : {}),
    });
  }

  async end(id: string, claimId: string, end: MessageEnd, now: Date): Promise<boolean> {
    const stored = this.owned(id, claimId);
    if (!stored) return false;
    const { claimId: _c, claimUntil: _u, attemptedAt: _a, ...rest } = stored;
    this.messages.set(id, {
      ...rest,
      status: end.status,
      updatedAt: now.toISOString(),
      ...(end.reason ? { reason: end.reason } : {}),
      ...(end.providerMessageId ? { providerMessageId: end.providerMessageId } : {}),
      ...(end.providerStatus === undefined ? {} : { providerStatus: end.providerStatus }),
      ...(end.sentAt ? { sentAt: end.sentAt.toISOString() } : {}),
      ...(end.pollAt ? { dueAt: end.pollAt.toISOString() } : {}),
    });
    return true;
  }

  async sentTo(address: string): Promise<TransactionalMessage[]> {
    const sent = [...this.messages.values()].filter((message) => message.address === address);
    return Promise.all(sent.map(async (message) => (await this.get(message.id)) as TransactionalMessage));
  }

  async scrubAddress(address: string, now: Date): Promise<void> {
    for (const [id, message] of this.messages) {
      if (message.address !== address) continue;
      const { address: _a, content: _c, ...rest } = message;
      this.messages.set(id, { ...rest, updatedAt: now.toISOString() } as Stored);
    }
  }

  async duePolls(now: Date, limit: number): Promise<TransactionalMessage[]> {
    const due = [...this.messages.values()]
      .filter((message) => message.dueAt !== undefined && message.dueAt <= now.toISOString())
      .slice(0, limit);
    return Promise.all(due.map(async (message) => (await this.get(message.id)) as TransactionalMessage));
  }

  async advance(
    id: string,
    from: readonly MessageStatus[],
    change: { status: MessageStatus; reason?: string; providerStatus?: number; pollAt?: Date },
    now: Date,
  ): Promise<boolean> {
    const stored = this.messages.get(id);
    if (!stored || !from.includes(stored.status)) return false;
    const { dueAt: _d, ...rest } = stored;
    this.messages.set(id, {
      ...rest,
      status: change.status,
      updatedAt: now.toISOString(),
      ...(change.reason ? { reason: change.reason } : {}),
      ...(change.providerStatus === undefined ? {} : { providerStatus: change.providerStatus }),
      ...(change.pollAt ? { dueAt: change.pollAt.toISOString() } : {}),
    });
    return true;
  }

  private owned(id: string, claimId: string): Stored | undefined {
    const stored = this.messages.get(id);
    return stored?.claimId === claimId ? stored : undefined;
  }

  private update(id: string, fields: Partial<Stored>): void {
    const stored = this.messages.get(id);
    if (stored) this.messages.set(id, { ...stored, ...fields } as Stored);
  }
}

/** The transactional queue in memory: the message ids enqueued, in order. */
export class MemoryTransactionalQueue implements TransactionalQueue {
  readonly enqueued: string[] = [];
  failNext = false;

  async enqueue(messageId: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SQS unavailable');
    }
    this.enqueued.push(messageId);
  }
}
