/**
 * How long a campaign's dispatch lease lasts. Every dispatch page and a resume
 * (POST /v1/campaigns/{id}/resume) set `leaseUntil` this far ahead, and the every-minute
 * sweep revives a chain whose lease has run out from its saved cursor. Both writers must use
 * the same figure: a shorter one on either side makes the sweep revive a chain that is still
 * running (a second page message, skipped by the cursor check but wasted), a longer one
 * delays the revival of a chain that has died.
 */
export const DISPATCH_LEASE_MS = 2 * 60 * 1000;

/**
 * Contacts per dispatch page: a multiple of the 200 recipients one SMS message (one Kavenegar
 * call) carries, so only a campaign's last page sends a short SMS message. A page must be
 * read, fanned out and saved well within {@link DISPATCH_LEASE_MS} (the dispatcher's timeout is
 * 60 s).
 */
export const DISPATCH_PAGE_SIZE = 1000;

/**
 * How long a sender's claim protects a delivery from a second sender. Well under the channel
 * queues' visibility timeout (6 min), so a message that comes back finds the claim of a
 * crashed sender expired and can take it over, and over a sender's 60 s timeout, so a live
 * sender is never overtaken.
 */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

/**
 * Scan segments an `{all: true}` audience is split into (DynamoDB parallel Scan's
 * `TotalSegments`). Each segment is a dispatch unit with its own cursor, lease and queue
 * message, so N units run at once; the dispatch queue's maximumConcurrency lets all of them.
 * 16 units of 1,000-contact pages enqueue a million contacts in about a minute on AWS (see
 * `npm run bench:dispatch` and the README).
 */
export const DISPATCH_SCAN_SEGMENTS = 16;

/** Most units one campaign round may have (the message schema's bound, a round's Query size). */
export const MAX_DISPATCH_UNITS = 1000;

/** What a dispatch unit has done in one round, as its item records it. */
export interface DispatchUnitState {
  readonly unit: number;
  /** Where its next page starts; null before its first page. */
  readonly cursor: string | null;
  readonly done: boolean;
  /** Until then a run holds its page, or its next page message is expected to start. */
  readonly leaseUntil?: string;
  /** Recipients enqueued by the unit in this round, and their expected SMS segments. */
  readonly added: number;
  readonly segments: number;
}

/**
 * The units of a round that need a page message now: those not started yet (no item) and
 * those unfinished whose lease ran out (their chain died between pages or mid-page). A unit
 * whose chain is alive is left alone; a duplicate would be refused by its lease anyway.
 */
export function unitsToRun(
  units: number,
  states: readonly DispatchUnitState[],
  now: Date,
): { unit: number; cursor: string | null }[] {
  const byUnit = new Map(states.map((state) => [state.unit, state]));
  const run: { unit: number; cursor: string | null }[] = [];
  for (let unit = 0; unit < units; unit++) {
    const state = byUnit.get(unit);
    if (!state) run.push({ unit, cursor: null });
    else if (!state.done && (state.leaseUntil === undefined || state.leaseUntil < now.toISOString()))
      run.push({ unit, cursor: state.cursor });
  }
  return run;
}

/** Whether every one of a round's `units` has enqueued its last page. */
export function roundDispatched(units: number, states: readonly DispatchUnitState[]): boolean {
  const done = new Set(states.filter((state) => state.done).map((state) => state.unit));
  for (let unit = 0; unit < units; unit++) if (!done.has(unit)) return false;
  return true;
}

/**
 * A campaign's audience size and expected SMS segments from its units' counts. Every round
 * walks the whole audience again (a resume re-enqueues what the pause dropped; ended
 * deliveries are skipped by their claims), so the figures are those of the round that has
 * enqueued the most: a round cut short by a pause is overtaken by the round that resumed it,
 * and nobody is counted twice.
 */
export function dispatchTotals(
  units: readonly { readonly round: number; readonly added: number; readonly segments: number }[],
): { total: number; segments: number } {
  const rounds = new Map<number, { total: number; segments: number }>();
  for (const { round, added, segments } of units) {
    const sum = rounds.get(round) ?? { total: 0, segments: 0 };
    rounds.set(round, { total: sum.total + added, segments: sum.segments + segments });
  }
  let best = { total: 0, segments: 0 };
  for (const sum of rounds.values()) if (sum.total > best.total) best = sum;
  return best;
}
