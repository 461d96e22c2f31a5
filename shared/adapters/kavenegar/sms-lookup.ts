import type { SmsLookup } from '../../ports';
import type { KavenegarClient } from './client';

/** Kavenegar's status for an id it does not know. */
const UNKNOWN_MESSAGE = 100;

/** Looks SMS up by the local ids they were sent with (sms/statuslocalmessageid, about 12 h). */
export class KavenegarSmsLookup implements SmsLookup {
  constructor(private readonly client: Pick<KavenegarClient, 'statusByLocalId'>) {}

  async findByLocalIds(
    localIds: readonly string[],
  ): Promise<Map<string, { messageId: string; status: number }>> {
    const found = new Map<string, { messageId: string; status: number }>();
    if (localIds.length === 0) return found;
    for (const entry of await this.client.statusByLocalId(localIds)) {
      if (entry.status !== UNKNOWN_MESSAGE && entry.messageId) {
        found.set(entry.localId, { messageId: entry.messageId, status: entry.status });
      }
    }
    return found;
  }
}
