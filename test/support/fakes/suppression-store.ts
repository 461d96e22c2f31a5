import type { SuppressionStore } from '../../../shared/ports';

/** SuppressionStore in memory: the set of tombstoned hashes, as shared/adapters/dynamodb/suppression-store.ts keeps them. */
export class MemorySuppressionStore implements SuppressionStore {
  readonly hashes = new Set<string>();

  async add(hashes: readonly string[], _now: Date): Promise<void> {
    for (const hash of hashes) this.hashes.add(hash);
  }

  async find(hashes: readonly string[]): Promise<Set<string>> {
    return new Set(hashes.filter((hash) => this.hashes.has(hash)));
  }

  async remove(hashes: readonly string[]): Promise<void> {
    for (const hash of hashes) this.hashes.delete(hash);
  }
}
