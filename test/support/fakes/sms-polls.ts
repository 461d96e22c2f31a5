import type { DeliveryStatus, PolledSms, SmsPollBatch, SmsPollChange } from '../../../shared/domain/sms';
import { firstPollAt } from '../../../shared/domain/sms-polling';
import type { SmsStatusPolls } from '../../../shared/ports';

interface StoredBatch {
  id: string;
  campaignId: string;
  sentAt: string;
  version: number;
  sms: Map<string, string>;
  done: Set<string>;
  optOuts: Set<string>;
  unknown: Set<string>;
  optOutAt?: string;
  dueAt?: string;
}

/** SmsStatusPolls in memory, with the DynamoDB store's rules (version-checked applies). */
export class MemorySmsPolls implements SmsStatusPolls {
  readonly batches = new Map<string, StoredBatch>();
  /** Counters added, by campaign. */
  readonly counts = new Map<string, Record<'delivered' | 'undelivered', number>>();
  /** Final statuses written on deliveries (not delivered ones): `campaign/contact` → status. */
  readonly deliveryStatuses = new Map<string, DeliveryStatus>();

  async record(campaignId: string, sentAt: Date, sent: readonly PolledSms[]): Promise<void> {
    const id = `${campaignId}#${sentAt.toISOString()}`;
    const batch = this.batches.get(id) ?? {
      id,
      campaignId,
      sentAt: sentAt.toISOString(),
      version: 0,
      sms: new Map(),
      done: new Set(),
      optOuts: new Set(),
      unknown: new Set(),
      dueAt: firstPollAt(sentAt).toISOString(),
    };
    for (const sms of sent) batch.sms.set(sms.messageId, sms.contactId);
    batch.dueAt ??= firstPollAt(sentAt).toISOString();
    this.batches.set(id, batch);
  }

  async due(now: Date, limit: number): Promise<SmsPollBatch[]> {
    return [...this.batches.values()]
      .filter((batch) => batch.dueAt !== undefined && batch.dueAt <= now.toISOString())
      .sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)))
      .slice(0, limit)
      .map((batch) => this.view(batch));
  }

  async apply(view: SmsPollBatch, change: SmsPollChange, now: Date): Promise<boolean> {
    const batch = this.batches.get(view.id);
    if (!batch || batch.version !== view.version) return false;
    batch.version += 1;
    const counts = this.counts.get(batch.campaignId) ?? { delivered: 0, undelivered: 0 };
    for (const final of change.finals) {
      batch.done.add(final.sms.messageId);
      counts[final.status === 'delivered' ? 'delivered' : 'undelivered'] += 1;
      if (final.status !== 'delivered')
        this.deliveryStatuses.set(`${batch.campaignId}/${final.sms.contactId}`, final.status);
      if (final.optOut) {
        batch.optOuts.add(final.sms.messageId);
        batch.optOutAt = now.toISOString();
      }
    }
    this.counts.set(batch.campaignId, counts);
    for (const sms of change.unknown) {
      batch.done.add(sms.messageId);
      batch.unknown.add(sms.messageId);
    }
    const retry = change.finals.some((final) => final.optOut) ? new Date(now.getTime() + 60_000) : undefined;
    const next =
      change.nextPollAt && retry
        ? change.nextPollAt < retry
          ? change.nextPollAt
          : retry
        : (change.nextPollAt ?? retry);
    if (next) batch.dueAt = next.toISOString();
    else delete batch.dueAt;
    return true;
  }

  async settleOptOut(view: SmsPollBatch, sms: PolledSms): Promise<void> {
    this.batches.get(view.id)?.optOuts.delete(sms.messageId);
  }

  private view(batch: StoredBatch): SmsPollBatch {
    const all = [...batch.sms].map(([messageId, contactId]) => ({ messageId, contactId }));
    return {
      id: batch.id,
      campaignId: batch.campaignId,
      sentAt: batch.sentAt,
      version: batch.version,
      pending: all.filter((sms) => !batch.done.has(sms.messageId)),
      optOutsPending: all.filter((sms) => batch.optOuts.has(sms.messageId)),
      ...(batch.optOutAt ? { optOutAt: batch.optOutAt } : {}),
    };
  }
}
