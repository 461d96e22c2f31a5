import { createHmac } from 'node:crypto';
import type { Channel } from '../domain/types';
import type { SuppressionStore } from '../ports';

/**
 * Why an address is kept from a channel, whoever holds it: `opted_out` (unsubscribe-all,
 * status 14, a complaint), lifted by an opt-in or resubscribe for the channel; `hard_bounce`,
 * lifted only by an explicit opt-in with evidence.
 */
export type AddressSuppressionKind = 'opted_out' | 'hard_bounce';

/** What binds opt-outs to a person's address: keyed hashes in the Suppressions table. */
export interface AddressSuppressionDeps {
  readonly suppressions: SuppressionStore;
  /** The `erasureKey` secret, the HMAC key of the erasure tombstones too. */
  readonly erasureKey: () => Promise<string>;
  readonly now: () => Date;
}

const KINDS: readonly AddressSuppressionKind[] = ['opted_out', 'hard_bounce'];

/** The normalised form two spellings of one address share (emails are case-blind here). */
function normalised(channel: Channel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address.trim();
}

/**
 * The keyed hash (HMAC-SHA256) of an address's suppression of one kind on one channel. Its
 * prefix keeps it apart from the erasure tombstones in the same table: lifting one never lifts
 * the other.
 */
export function addressSuppressionHash(
  key: string,
  kind: AddressSuppressionKind,
  channel: Channel,
  address: string,
): string {
  return createHmac('sha256', key)
    .update(`suppression:${kind}:${channel}:${normalised(channel, address)}`)
    .digest('base64url');
}

/** Keeps `address` from `channel` whatever contact holds it. */
export async function suppressAddress(
  deps: AddressSuppressionDeps,
  channel: Channel,
  address: string | undefined,
  kind: AddressSuppressionKind,
): Promise<void> {
  if (!address) return;
  const key = await deps.erasureKey();
  await deps.suppressions.add([addressSuppressionHash(key, kind, channel, address)], deps.now());
}

/** Lifts the address's suppressions of these kinds on `channel` (an explicit choice for it). */
export async function liftAddressSuppressions(
  deps: AddressSuppressionDeps,
  channel: Channel,
  address: string | undefined,
  kinds: readonly AddressSuppressionKind[],
): Promise<void> {
  if (!address || kinds.length === 0) return;
  const key = await deps.erasureKey();
  await deps.suppressions.remove(kinds.map((kind) => addressSuppressionHash(key, kind, channel, address)));
}

/** The addresses among these that are suppressed on `channel`, of any kind. */
export async function suppressedAddresses(
  deps: Pick<AddressSuppressionDeps, 'suppressions' | 'erasureKey'>,
  channel: Channel,
  addresses: readonly string[],
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const key = await deps.erasureKey();
  const hashes = addresses.flatMap((address) =>
    KINDS.map((kind) => [address, addressSuppressionHash(key, kind, channel, address)] as const),
  );
  const found = await deps.suppressions.find(hashes.map(([, hash]) => hash));
  return new Set(hashes.filter(([, hash]) => found.has(hash)).map(([address]) => address));
}
