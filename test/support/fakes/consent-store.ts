import { type ConsentEvent, type ConsentState, stateAfter } from '../../../shared/domain/consent';
import { ALL_TOPICS, type Channel } from '../../../shared/domain/types';
import type { ConsentRecordResult, ConsentStore } from '../../../shared/ports';

const stateKey = (contactId: string, channel: Channel, topic: string) => `${contactId}|${channel}|${topic}`;

/**
 * ConsentStore in memory, like shared/adapters/dynamodb/consent-store.ts: one current state per
 * contact, channel and topic, replaced by each change, and an append-only ledger; a write with
 * `once` happens at most once per key and answers 'duplicate' after that.
 */
export class MemoryConsentStore implements ConsentStore {
  /** Every event recorded, in the order they were written. */
  readonly events: ConsentEvent[] = [];
  private readonly current = new Map<string, ConsentState>();
  private readonly once = new Set<string>();

  async states(contactId: string, channel: Channel): Promise<ConsentState[]> {
    return [...this.current.entries()]
      .filter(([key]) => key.startsWith(`${contactId}|${channel}|`))
      .map(([, state]) => state);
  }

  async statesForMany(
    contactIds: readonly string[],
    channel: Channel,
    topic: string,
  ): Promise<Map<string, ConsentState[]>> {
    const topics = [...new Set([topic, ALL_TOPICS])];
    return new Map(
      contactIds.map((id) => [
        id,
        topics.flatMap((each) => this.current.get(stateKey(id, channel, each)) ?? []),
      ]),
    );
  }

  async record(event: ConsentEvent, options: { readonly once?: string } = {}): Promise<ConsentRecordResult> {
    const marker = options.once === undefined ? undefined : `${event.contactId}|${options.once}`;
    if (marker !== undefined && this.once.has(marker)) return 'duplicate';
    if (this.events.some((e) => e.contactId === event.contactId && e.at === event.at && e.id === event.id)) {
      throw new Error(`Consent event ${event.id} exists`);
    }
    if (marker !== undefined) this.once.add(marker);
    this.events.push(event);
    const state = stateAfter(event);
    if (state) this.current.set(stateKey(event.contactId, event.channel, event.topic), state);
    return 'recorded';
  }

  async history(contactId: string): Promise<ConsentEvent[]> {
    // The ledger's sort key is `event#<at>#<id>`.
    return this.events
      .filter((event) => event.contactId === contactId)
      .sort((a, b) => `${a.at}#${a.id}`.localeCompare(`${b.at}#${b.id}`));
  }
}
