import { randomUUID } from 'node:crypto';
import type { Counter, DeliveryOutcome } from '../../../shared/domain/campaign';
import type { ClaimResult, DeliveryEnd, DeliveryKey, EndedDelivery } from '../../../shared/domain/delivery';
import type { DeliveryStore } from '../../../shared/ports';

/** One ledger item, as shared/adapters/dynamodb/delivery-store.ts keeps it. */
export interface DeliveryItem {
  readonly status: 'sending' | 'retry' | DeliveryOutcome;
  readonly claimId?: string;
  readonly leaseUntil?: number;
  /** `provider` once the sender marked the message as about to reach the provider. */
  readonly phase?: 'provider';
  /** When the unresolved provider attempt was first made (ISO 8601), kept while `phase` is. */
  readonly attemptedAt?: string;
  /** When the delivery was last claimed (ISO 8601). */
  readonly updatedAt?: string;
  readonly attempts: number;
  readonly reason?: string;
  readonly recipient?: string;
  readonly content?: string;
  readonly providerMessageId?: string;
  readonly providerStatus?: number;
  readonly sentAt?: string;
  readonly endedAt?: string;
  /** `<messageId> <runId>` of the run that ended it. */
  readonly endedBy?: string;
}

const ENDED = new Set(['sent', 'failed', 'suppressed']);

const keyString = (key: DeliveryKey) => `${key.campaignId}/${key.contactId}#${key.channel}`;

/**
 * DeliveryStore in memory with the adapter's conditions: a claim takes a new, released or
 * expired delivery (a takeover when the expired sender had reached the provider), an ended
 * one answers `ended` (with who ended it) and a held one `held`; mark, release and end need
 * the current claim, and countEnds counts each run of a queue message once. The adapter's
 * attempt records are modelled by `phase`/`attemptedAt` on the item.
 */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly items = new Map<string, DeliveryItem>();
  /** Runs counted per queue message, as the adapter's counted records keep them. */
  private readonly counted = new Map<string, Set<string>>();
  /** Calls to countEnds, to assess that a message counts in one write. */
  countCalls = 0;
  /** The adapter's run end records (endSent): run id -> delivery -> end. */
  private readonly runEnds = new Map<
    string,
    Map<string, { messageId: string; providerMessageId?: string; at: string }>
  >();
  /** Calls to endSent (the adapter's end records), to assess one per run. */
  endSentCalls = 0;

  /** @param counters where ended outcomes are counted (the campaign's stats shards). */
  constructor(private readonly counters?: { addCount(campaignId: string, counter: Counter): void }) {}

  /** An item as its readers see it: an email still claimed by a run whose end record holds it is sent. */
  private view(key: DeliveryKey): DeliveryItem | undefined {
    const item = this.items.get(keyString(key));
    if (item?.status !== 'sending' || !item.claimId || key.channel === 'sms') return item;
    const end = this.runEnds.get(item.claimId)?.get(keyString(key));
    if (!end) return item;
    const { claimId: _claim, leaseUntil: _lease, phase: _phase, attemptedAt: _at, ...rest } = item;
    return {
      ...rest,
      status: 'sent',
      endedAt: end.at,
      sentAt: end.at,
      ...(end.providerMessageId === undefined ? {} : { providerMessageId: end.providerMessageId }),
      endedBy: `${end.messageId} ${item.claimId}`,
    };
  }

  async claim(
    key: DeliveryKey,
    now: Date,
    leaseMs: number,
    claimId = randomUUID(),
    options: { readonly recipient?: string } = {},
  ): Promise<ClaimResult> {
    const previous = this.view(key);
    const free =
      !previous ||
      previous.status === 'retry' ||
      (previous.status === 'sending' && (previous.leaseUntil ?? 0) < now.getTime());
    if (!free) {
      if (!ENDED.has(previous.status)) return { kind: 'held' };
      const [messageId, runId] = (previous.endedBy ?? '').split(' ');
      return {
        kind: 'ended',
        outcome: previous.status as DeliveryOutcome,
        ...(messageId && runId ? { endedBy: { messageId, runId } } : {}),
      };
    }
    // The phase stays, as in the adapter: only a lookup or an end resolves a provider attempt.
    this.items.set(keyString(key), {
      ...(previous ?? { attempts: 0 }),
      status: 'sending',
      claimId,
      leaseUntil: now.getTime() + leaseMs,
      updatedAt: now.toISOString(),
      attempts: (previous?.attempts ?? 0) + 1,
      ...(options.recipient === undefined ? {} : { recipient: options.recipient }),
    });
    if (previous?.phase !== 'provider') return { kind: 'claimed', claimId, takeover: false };
    const attemptedAt = previous.attemptedAt ?? previous.updatedAt;
    return { kind: 'claimed', claimId, takeover: true, ...(attemptedAt ? { attemptedAt } : {}) };
  }

  async markAttempts(
    claims: readonly { readonly key: DeliveryKey; readonly claimId: string }[],
    now: Date,
  ): Promise<void> {
    // The adapter writes one record per call; a delivery whose claim was lost is not its own.
    for (const { key, claimId } of claims) {
      const item = this.items.get(keyString(key));
      if (item?.claimId === claimId)
        this.items.set(keyString(key), {
          ...item,
          phase: 'provider',
          attemptedAt: item.attemptedAt ?? now.toISOString(),
        });
    }
  }

  async release(
    key: DeliveryKey,
    claimId: string,
    reason: string,
    options: { readonly outcomeUnknown?: boolean } = {},
  ): Promise<void> {
    const item = this.items.get(keyString(key));
    // Another sender took the delivery over: it is theirs now.
    if (item?.claimId !== claimId) return;
    const { claimId: _claim, leaseUntil: _lease, phase, attemptedAt, ...rest } = item;
    const unresolved =
      options.outcomeUnknown && phase ? { phase, ...(attemptedAt ? { attemptedAt } : {}) } : {};
    this.items.set(keyString(key), { ...rest, ...unresolved, status: 'retry', reason });
  }

  async end(key: DeliveryKey, claimId: string, end: DeliveryEnd, now: Date): Promise<boolean> {
    const item = this.items.get(keyString(key));
    if (item?.claimId !== claimId) return false;
    const { claimId: _claim, leaseUntil: _lease, phase: _phase, attemptedAt: _at, ...rest } = item;
    const sent = end.outcome === 'sent' && end.recipient !== undefined;
    this.items.set(keyString(key), {
      ...rest,
      status: end.outcome,
      endedAt: now.toISOString(),
      ...(end.content === undefined ? {} : { content: end.content }),
      ...(end.providerMessageId === undefined ? {} : { providerMessageId: end.providerMessageId }),
      ...(end.providerStatus === undefined ? {} : { providerStatus: end.providerStatus }),
      ...(end.reason === undefined ? {} : { reason: end.reason }),
      ...(sent ? { recipient: end.recipient, sentAt: now.toISOString() } : {}),
      endedBy: `${end.messageId ?? claimId} ${claimId}`,
    });
    return true;
  }

  async endSent(
    claimId: string,
    messageId: string,
    sent: readonly { readonly key: DeliveryKey; readonly providerMessageId?: string }[],
    now: Date,
  ): Promise<void> {
    this.endSentCalls += 1;
    // As the adapter: one record for the run, written without checking the claims again.
    const ends = new Map<string, { messageId: string; providerMessageId?: string; at: string }>();
    for (const { key, providerMessageId } of sent)
      ends.set(keyString(key), {
        messageId,
        at: now.toISOString(),
        ...(providerMessageId === undefined ? {} : { providerMessageId }),
      });
    if (this.runEnds.has(claimId)) throw new Error(`run ${claimId} ended twice`);
    this.runEnds.set(claimId, ends);
  }

  async countEnds(campaignId: string, ends: readonly EndedDelivery[]): Promise<void> {
    this.countCalls += 1;
    for (const end of ends) {
      const runs = this.counted.get(end.endedBy.messageId) ?? new Set<string>();
      this.counted.set(end.endedBy.messageId, runs);
      if (runs.has(end.endedBy.runId)) continue;
      this.counters?.addCount(campaignId, end.outcome);
    }
    // A run's ends are counted together: mark the runs after adding all of them.
    for (const end of ends) this.counted.get(end.endedBy.messageId)?.add(end.endedBy.runId);
  }

  async endedOf(keys: readonly DeliveryKey[]): Promise<(EndedDelivery & { key: DeliveryKey })[]> {
    return keys.flatMap((key) => {
      const item = this.view(key);
      const [messageId, runId] = (item?.endedBy ?? '').split(' ');
      if (!item || !ENDED.has(item.status) || !messageId || !runId) return [];
      return [{ key, outcome: item.status as DeliveryOutcome, endedBy: { messageId, runId } }];
    });
  }

  /** The ledger item of a delivery, to assess what the use case left. */
  item(key: DeliveryKey): DeliveryItem | undefined {
    return this.view(key);
  }

  /** Writes a ledger item as an earlier run would have left it. */
  put(key: DeliveryKey, item: DeliveryItem): void {
    this.items.set(keyString(key), item);
  }
}
