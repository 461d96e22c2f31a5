import type { Counter } from '../../../shared/domain/campaign';
import type { DeliveryKey } from '../../../shared/domain/delivery';
import type { FeedbackCounter } from '../../../shared/domain/email-feedback';
import type { FeedbackCount, FeedbackStore } from '../../../shared/ports';

const mark = (key: DeliveryKey, counter: FeedbackCounter) =>
  `${key.campaignId}/${key.contactId}#${key.channel}/${counter}`;

/**
 * FeedbackStore in memory, like shared/adapters/dynamodb/feedback-store.ts: a delivery that is
 * in the ledger is counted once per counter; one that is not answers 'no_delivery'.
 */
export class MemoryFeedbackStore implements FeedbackStore {
  /** What was counted, per counter. */
  readonly counts: Record<FeedbackCounter, number> = { bounced: 0, complained: 0 };
  private readonly marks = new Set<string>();

  /**
   * @param deliveries the ledger the feedback is about (a MemoryDeliveryStore).
   * @param counters where counts are added too (a MemoryCampaignStore), if any.
   */
  constructor(
    private readonly deliveries: { item(key: DeliveryKey): unknown },
    private readonly counters?: { addCount(campaignId: string, counter: Counter): void },
  ) {}

  async isCounted(key: DeliveryKey, counter: FeedbackCounter): Promise<boolean> {
    return this.marks.has(mark(key, counter));
  }

  async count(key: DeliveryKey, counter: FeedbackCounter, _now: Date): Promise<FeedbackCount> {
    if (this.deliveries.item(key) === undefined) return 'no_delivery';
    if (this.marks.has(mark(key, counter))) return 'duplicate';
    this.marks.add(mark(key, counter));
    this.counts[counter] += 1;
    this.counters?.addCount(key.campaignId, counter);
    return 'counted';
  }
}
