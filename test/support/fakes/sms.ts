import type { ProviderError } from '../../../shared/domain/errors';
import type { SmsMessage, SmsReceipt, SmsSendOutcome } from '../../../shared/domain/sms';
import type { SmsBatchProvider, SmsLookup } from '../../../shared/ports';

/**
 * SmsBatchProvider in memory: accepts every message (status 1, queued) unless `failures` names
 * its local id, and remembers what it accepted so a {@link FakeSmsLookup} can find it.
 */
export class FakeSmsProvider implements SmsBatchProvider {
  /** Each call's messages, in order. */
  readonly calls: SmsMessage[][] = [];
  /** Accepted messages by local id. */
  readonly accepted = new Map<string, SmsReceipt>();
  /** Per-message failures to report, by local id. */
  readonly failures = new Map<string, ProviderError>();

  async sendDetailed(messages: readonly SmsMessage[]): Promise<SmsSendOutcome> {
    this.calls.push([...messages]);
    const outcome: SmsSendOutcome = { receipts: [], failures: [] };
    for (const message of messages) {
      const error = this.failures.get(message.localId);
      if (error) {
        outcome.failures.push({ localId: message.localId, error });
        continue;
      }
      const receipt: SmsReceipt = {
        receptor: message.receptor,
        localId: message.localId,
        messageId: String(100_000_000 + this.accepted.size),
        status: 1,
        cost: 1,
      };
      this.accepted.set(message.localId, receipt);
      outcome.receipts.push(receipt);
    }
    return outcome;
  }

  /** Every message sent, over all calls. */
  get sent(): SmsMessage[] {
    return this.calls.flat();
  }
}

/** SmsLookup over what a provider accepted (Kavenegar's statuslocalmessageid). */
export class FakeSmsLookup implements SmsLookup {
  /** Each call's local ids, in order. */
  readonly calls: string[][] = [];
  /** When set, every lookup fails with it. */
  failure: Error | undefined;

  constructor(private readonly accepted: ReadonlyMap<string, SmsReceipt> = new Map()) {}

  async findByLocalIds(
    localIds: readonly string[],
  ): Promise<Map<string, { messageId: string; status: number }>> {
    this.calls.push([...localIds]);
    if (this.failure) throw this.failure;
    const found = new Map<string, { messageId: string; status: number }>();
    for (const id of localIds) {
      const receipt = this.accepted.get(id);
      if (receipt) found.set(id, { messageId: receipt.messageId, status: receipt.status });
    }
    return found;
  }
}
