import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PartialRateLimiter, RateLease } from '../../ports';
import { isConditionFailure } from './client';

/** An idle limiter's item outlives its last grant by an hour, then DynamoDB's TTL sweeps it away. */
const IDLE_TTL_SECONDS = 3_600;
/** Waiters wake up spread over a few milliseconds, not all at once. */
const DEFAULT_JITTER_MS = 5;
/**
 * Added to a fixed grant's one-second window: a fixed grant reaches the provider a little
 * after it is written (the write's answer, then the call), and a send late after one grant
 * must not meet a send early after the next within one of the provider's seconds.
 */
const DEFAULT_GUARD_MS = 100;
/**
 * Added to the second a lease holds after its answer: how far two senders' clocks may
 * disagree (Lambda clocks are NTP-synced to about a millisecond). Nothing else is needed:
 * the lease already covers the whole call.
 */
export const DEFAULT_SKEW_MS = 10;
/**
 * Longest a lease holds its units when its release never comes (a sender that died in the
 * call): at least the sender's own timeout, so no call can still reach the provider after.
 */
const DEFAULT_MAX_HOLD_MS = 60_000;
/** The sliding window every limit is counted in. */
export const WINDOW_MS = 1_000;
/** Longest a lease is written ahead of the moment it is measured at (see #leadMs). */
const MAX_LEAD_MS = 100;
/** Longest a lease's caller may ask to prepare its call inside the lead (see LeaseOptions.prepareMs). */
const MAX_PREPARE_MS = 250;
/** Longest a lease may wait for a fuller grant (see LeaseOptions.fill). */
const MAX_FILL_WAIT_MS = 250;
/**
 * After a provider throttled a call (Kavenegar's 451), the call limit is one lower, and climbs
 * back by one call a second each this long: a real limit below the configured one is found
 * again within a few throttles, and a passing one costs a few minutes at one call less.
 */
const CALL_RAISE_MS = 60_000;
/**
 * Throttles this close together lower the call limit once: the calls in flight when the limit
 * was passed answer together, and they all tell of the same moment.
 */
const CALL_LOWER_GAP_MS = 2_000;
/** How long after its last priority grant the reserved share stays kept from other grants. */
const DEFAULT_RESERVE_IDLE_MS = 5_000;

/** How to build a {@link DynamoRateLimiter}. */
export interface DynamoRateLimiterOptions {
  readonly client: DynamoDBDocumentClient;
  /** The `rateLimits` table: partition key `pk`, TTL attribute `expiresAt`. */
  readonly tableName: string;
  /** Names the budget: one item, `pk` = name, shared by every process using that name. */
  readonly name: string;
  /** Units granted in any one second, across every process sharing `name`. */
  readonly limitPerSecond: number;
  /** Added to a fixed grant's one-second window (see DEFAULT_GUARD_MS). Default 100 ms. */
  readonly guardMs?: number;
  /** Added to the second a lease holds after its answer (see DEFAULT_SKEW_MS). Default 10 ms. */
  readonly skewMs?: number;
  /** How long an unreleased lease holds its units (see DEFAULT_MAX_HOLD_MS). Default 60 s. */
  readonly maxHoldMs?: number;
  /** Largest random delay added to a wait. Default 5 ms. */
  readonly jitterMs?: number;
  /**
   * Share of the limit (0 to 1) kept for priority leases (transactional messages) while they
   * flow: other grants leave it free for `reserveIdleMs` after the last priority grant, and use
   * the whole limit otherwise. Priority leases may use the whole limit. Default 0.
   */
  readonly reservedShare?: number;
  /** How long the reserve stays kept after the last priority grant. Default 5 s. */
  readonly reserveIdleMs?: number;
  /**
   * Provider calls granted in any one second across every process sharing `name`, for a
   * provider that throttles calls as well as messages (Kavenegar's 451). Each grant is one call
   * (or one per `unitsPerCall` of its units), held exactly as its units are, so no sliding second
   * at the provider sees more calls than this either. While the reserve is kept, other grants
   * leave one call free for priority leases. Default: calls are not limited.
   */
  readonly callsPerSecond?: number;
  /** Most units one provider call carries: a grant of more counts as that many calls. Default: no cap. */
  readonly unitsPerCall?: number;
  /** Epoch milliseconds. Default Date.now (Lambda clocks are NTP-synced to a few ms). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Default Math.random. */
  readonly random?: () => number;
}

/** Options of one grant. */
export interface AcquireOptions {
  /** Epoch milliseconds after which the limiter stops waiting and grants nothing. */
  readonly deadline?: number;
}

/** Options of one lease. */
export interface LeaseOptions extends AcquireOptions {
  /** Resolve as soon as the lease is written, even ahead of its `notBefore`. */
  readonly early?: boolean;
  /** A priority lease (a transactional message): it may use the reserved share. */
  readonly priority?: boolean;
  /**
   * Fewest units worth granting (capped at what is asked, within the limit): the lease waits
   * until that much room is free rather than take a sliver of it. Freed room then comes back
   * whole, not in the pieces earlier grants left it in. Default 1.
   */
  readonly least?: number;
  /**
   * How long the caller's preparation of its call takes (the consent re-check), up to 250 ms:
   * a lease whose room comes at a known moment is written that much further ahead, and with
   * `early` resolves that much before its `notBefore`, so the preparation runs while the room
   * is still held by others instead of while this lease holds its own units. The lease is
   * measured at the same moment as without it, so nothing at the provider changes. Default 0.
   */
  readonly prepareMs?: number;
  /**
   * When the room there is now is less than `units` (and than `max`), and room for them is
   * known to come within `withinMs` (up to 250 ms), wait for it once instead of taking the
   * smaller piece: fewer, fuller calls when the window frees in pieces (a provider's call
   * throttle counts calls, not messages). The rate given away is at most the piece's units
   * for `withinMs`.
   */
  readonly fill?: { readonly units: number; readonly withinMs: number };
}

/**
 * One grant in the log: when (epoch ms, the granting process's clock), how many, a tag, and
 * when its units leave the window. A lease is `open` until its call answers: then `until` is
 * only its expiry, and its units are held at least a window from any moment it is read.
 */
export interface RateGrant {
  readonly at: number;
  readonly units: number;
  readonly id: string;
  readonly until: number;
  readonly open?: boolean;
  /** Granted to a priority lease: it counts against the reserved share. */
  readonly priority?: boolean;
}

type GrantKind =
  | { readonly lease: false }
  | {
      readonly lease: true;
      /** One call and no units: a provider call that sends nothing (a status poll). */
      readonly callOnly?: boolean;
      readonly priority?: boolean;
      readonly prepareMs?: number;
      readonly fill?: LeaseOptions['fill'];
    };

/**
 * A rate shared by every concurrent sender (all Lambda instances), held in any sliding
 * second at the provider: the limiter keeps its live grants in one DynamoDB item, and a grant
 * is written only when the live units plus its own stay within the limit. The write is
 * conditional on the version it read, so two senders can never spend the same unit.
 *
 * A lease ({@link lease}) holds its units from its grant until a second (plus the clock
 * skew) after its call answered ({@link RateLease.release}). The call reached the provider
 * somewhere between the two, so any calls that meet in one of the provider's sliding seconds
 * were all held at once when the last of them was granted, and that grant counted them all:
 * no sliding second at the provider sees more than the limit, whatever the call latencies.
 * The rate given away is only each call's own duration, not a fixed guard.
 *
 * {@link acquire} and {@link acquireUpTo} are fixed grants: their units leave the window a
 * second plus the guard after the grant, whatever the call does, so the guard must cover the
 * call (a grant whose own write took longer than the guard is left spent and taken again).
 *
 * A release never bumps the version: it only shortens a hold, so a grant decided on the log
 * before it was conservative, and it touches only its own entry (grants are a map by id), so
 * it costs one UpdateItem and no read, and never fails a concurrent grant.
 */
export class DynamoRateLimiter implements PartialRateLimiter {
  readonly limitPerSecond: number;
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #name: string;
  readonly #windowMs: number;
  readonly #guardMs: number;
  /** How long a released lease still holds its units: a second plus the skew. */
  readonly #afterAnswerMs: number;
  readonly #maxHoldMs: number;
  readonly #jitterMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  /** Units kept for priority leases while they flow (see reservedShare). */
  readonly #reserve: number;
  readonly #reserveIdleMs: number;
  /** Calls granted in any one second (see callsPerSecond); Infinity when not limited. */
  readonly #callLimit: number;
  readonly #unitsPerCall: number;
  /**
   * How long a grant's write takes here (a moving average). A lease whose room comes at a
   * known moment (a released lease ending) is written that much ahead, measured at that
   * moment, and its call waits for it: the write no longer stands between two calls. Measuring
   * at a later moment than the write is safe: the call starts after it, and the check counted
   * every grant that holds units then.
   */
  #leadMs = 0;

  constructor(options: DynamoRateLimiterOptions) {
    if (!Number.isInteger(options.limitPerSecond) || options.limitPerSecond < 1) {
      throw new RangeError(`limitPerSecond must be a positive integer, got ${options.limitPerSecond}`);
    }
    const guardMs = options.guardMs ?? DEFAULT_GUARD_MS;
    if (!(guardMs >= 0)) throw new RangeError(`guardMs must be zero or more, got ${guardMs}`);
    const skewMs = options.skewMs ?? DEFAULT_SKEW_MS;
    if (!(skewMs >= 0)) throw new RangeError(`skewMs must be zero or more, got ${skewMs}`);
    const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
    if (!(maxHoldMs > 0)) throw new RangeError(`maxHoldMs must be positive, got ${maxHoldMs}`);
    this.limitPerSecond = options.limitPerSecond;
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#name = options.name;
    this.#guardMs = guardMs;
    this.#windowMs = WINDOW_MS + guardMs;
    this.#afterAnswerMs = WINDOW_MS + skewMs;
    this.#maxHoldMs = maxHoldMs;
    this.#jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    const share = options.reservedShare ?? 0;
    if (!(share >= 0 && share <= 1))
      throw new RangeError(`reservedShare must be within 0 and 1, got ${share}`);
    this.#reserve =
      share === 0 ? 0 : Math.min(this.limitPerSecond, Math.max(1, Math.round(share * this.limitPerSecond)));
    this.#reserveIdleMs = options.reserveIdleMs ?? DEFAULT_RESERVE_IDLE_MS;
    const calls = options.callsPerSecond ?? Number.POSITIVE_INFINITY;
    if (!(calls === Number.POSITIVE_INFINITY || (Number.isInteger(calls) && calls >= 1)))
      throw new RangeError(`callsPerSecond must be a positive integer, got ${calls}`);
    this.#callLimit = calls;
    const perCall = options.unitsPerCall ?? Number.POSITIVE_INFINITY;
    if (!(perCall >= 1)) throw new RangeError(`unitsPerCall must be 1 or more, got ${perCall}`);
    this.#unitsPerCall = perCall;
  }

  /**
   * Waits until `units` can be spent at once, and spends them for a fixed window. More than
   * the limit is split into limit-sized parts, each a window after the last.
   */
  async acquire(units: number): Promise<void> {
    for (let left = units; left > 0; ) {
      const part = Math.min(left, this.limitPerSecond);
      await this.#grant(part, part, undefined, { lease: false });
      left -= part;
    }
  }

  /**
   * Spends between 1 and `max` units (at most the limit) for a fixed window, waiting only
   * while the window is full. Answers how many; 0 when `deadline` came first (nothing spent).
   */
  async acquireUpTo(max: number, options: AcquireOptions = {}): Promise<number> {
    if (max < 1) return 0;
    return (await this.#grant(Math.min(max, this.limitPerSecond), 1, options.deadline, { lease: false }))
      .units;
  }

  /**
   * Holds between 1 (or `least`) and `max` units (at most the limit) for one call, waiting only
   * while the window is full: they stay held until a window after `release()`, which the caller makes
   * as soon as the call answered (or failed). 0 units when `deadline` came first. A lease
   * written ahead (see #leadMs) resolves at its `notBefore`, or at once with `early`: then the
   * caller may prepare the call (the consent re-check) but must not start it before then.
   */
  async lease(max: number, options: LeaseOptions = {}): Promise<RateLease> {
    const none: RateLease = { units: 0, notBefore: 0, release: async () => {} };
    if (max < 1) return none;
    const want = Math.min(max, this.limitPerSecond);
    const least = Math.max(1, Math.min(want, Math.floor(options.least ?? 1)));
    const grant = await this.#grant(want, least, options.deadline, {
      lease: true,
      ...(options.priority ? { priority: true } : {}),
      ...(options.prepareMs === undefined ? {} : { prepareMs: options.prepareMs }),
      ...(options.fill === undefined ? {} : { fill: options.fill }),
    });
    if (grant.units === 0 || grant.id === undefined) return none;
    const id = grant.id;
    const notBefore = grant.at ?? 0;
    const ahead = notBefore - this.#now();
    if (!options.early && ahead > 0) await this.#sleep(ahead);
    let released = false;
    return {
      units: grant.units,
      notBefore,
      release: async () => {
        if (released) return;
        released = true;
        // Measured when the answer came, not when this write lands: the hold ends a window on.
        await this.#release(id, this.#now() + this.#afterAnswerMs);
      },
    };
  }

  /**
   * Holds one provider call and no units (a call that sends nothing, such as a status poll),
   * exactly as a lease holds its call: until a second after `release()`. Resolves at its
   * `notBefore` (never early). Undefined when `deadline` came first. Without a call limit it is granted at once and written nowhere.
   */
  async callLease(options: AcquireOptions = {}): Promise<RateLease | undefined> {
    if (this.#callLimit === Number.POSITIVE_INFINITY)
      return { units: 0, notBefore: this.#now(), release: async () => {} };
    const grant = await this.#grant(0, 0, options.deadline, { lease: true, callOnly: true });
    if (grant.id === undefined) return undefined;
    const id = grant.id;
    const notBefore = grant.at ?? 0;
    // Written ahead (see #leadMs): the call must not start before the moment it was measured at.
    const ahead = notBefore - this.#now();
    if (ahead > 0) await this.#sleep(ahead);
    let released = false;
    return {
      units: 0,
      notBefore,
      release: async () => {
        if (released) return;
        released = true;
        await this.#release(id, this.#now() + this.#afterAnswerMs);
      },
    };
  }

  /**
   * The provider throttled a call (Kavenegar's 451): the calls per second it takes are fewer
   * than the limit. Lowers the call limit by one for every sharer (not below one a second; once
   * for throttles within 2 s of each other), then it climbs back by one a minute. Bumps the
   * version, so a grant decided on the higher limit measures again. Nothing without a call limit.
   */
  async throttled(): Promise<void> {
    if (this.#callLimit === Number.POSITIVE_INFINITY) return;
    for (let round = 0; round < 5; round++) {
      const log = await this.#read();
      const now = this.#now();
      if (log.version === 0 || (log.callCap && now - log.callCap.at < CALL_LOWER_GAP_MS)) return;
      const callCap = Math.max(1, this.#callLimitAt(log, now) - 1);
      // Another sharer changed the log meanwhile (a grant, or this same lowering): read again.
      if (await this.#setIfUnchanged(log, { callCap, callCapAt: now })) return;
    }
  }

  /** The call limit every sharer measures against now (lower for a while after a throttle). */
  async callLimit(): Promise<number> {
    return this.#callLimitAt(await this.#read(), this.#now());
  }

  /** The grants still holding units, oldest first (what the next grant is measured against). */
  async grants(): Promise<RateGrant[]> {
    const { grants } = await this.#read();
    return live(grants, this.#now());
  }

  /** Grants `want` units, or as few as `least` when the window has only that much room. */
  async #grant(
    want: number,
    least: number,
    deadline: number | undefined,
    kind: GrantKind,
  ): Promise<{ units: number; id?: string; at?: number }> {
    // The log read before a wait: a release never bumps the version, so once the wait is over
    // the grant can be written on it (conditional on its version) without reading again.
    let log: Log | undefined;
    // A lease decided ahead, at the moment its room comes: see #leadMs.
    let decideAt: number | undefined;
    const priority = kind.lease && kind.priority === true && this.#reserve > 0;
    const prepareMs = kind.lease ? Math.min(MAX_PREPARE_MS, Math.max(0, kind.prepareMs ?? 0)) : 0;
    const fill = kind.lease ? kind.fill : undefined;
    const callOnly = kind.lease && kind.callOnly === true;
    const fillUnits = fill ? Math.min(want, Math.floor(fill.units)) : 0;
    const fillWithinMs = fill ? Math.min(MAX_FILL_WAIT_MS, Math.max(0, fill.withinMs)) : 0;
    // A lease waits for a fuller grant at most once.
    let filled = fillUnits <= least || fillWithinMs === 0;
    for (;;) {
      if (deadline !== undefined && this.#now() > deadline) return { units: 0 };
      let fresh = log === undefined;
      log ??= await this.#read();
      if (priority && !this.#reserveKept(log, this.#now())) {
        // Announced before any wait: from this version on, other grants leave the reserve free,
        // and one decided on an older log fails its version check and measures again.
        await this.#announcePriority(log);
        log = undefined;
        continue;
      }
      let now = Math.max(this.#now(), decideAt ?? 0);
      let held = live(log.grants, now);
      let capacity = this.#capacity(log, held, now, priority);
      if (!fresh && (capacity - sum(held) < least || this.#callsFree(log, held, now, priority) < 1)) {
        // The stale log shows no room (an open lease may have answered since): read it again.
        log = await this.#read();
        fresh = true;
        now = Math.max(this.#now(), decideAt ?? 0);
        held = live(log.grants, now);
        capacity = this.#capacity(log, held, now, priority);
      }
      const callsFree = this.#callsFree(log, held, now, priority);
      // Units this grant may take: the room, and no more than its free calls carry.
      const room = Math.min(capacity - sum(held), callsFree < 1 ? 0 : callsFree * this.#unitsPerCall);
      const unitsOk = callOnly || (room >= least && room > 0);
      const callsOk = callsFree >= 1;
      if (unitsOk && callsOk && !callOnly && !filled && room < fillUnits) {
        filled = true;
        const fuller = this.#roomAt(held, fillUnits, now, capacity);
        if (fuller.known && fuller.at - now <= fillWithinMs) {
          // The log stays: at that moment the grant is decided on it, as after any wait.
          decideAt = fuller.at;
          await this.#sleep(
            Math.max(0, fuller.at - Math.min(this.#leadMs, MAX_LEAD_MS) - prepareMs - this.#now()),
          );
          continue;
        }
      }
      if (unitsOk && callsOk) {
        const units = callOnly ? 0 : Math.min(want, room);
        const grant: RateGrant = {
          at: now,
          units,
          id: randomBytes(6).toString('hex'),
          until: now + (kind.lease ? this.#maxHoldMs + this.#afterAnswerMs : this.#windowMs),
          ...(kind.lease ? { open: true } : {}),
          ...(priority ? { priority: true } : {}),
        };
        const current = log;
        // Pruned only once ended by the clock, not by a moment decided ahead: until then a
        // sender deciding now must still count them.
        const clock = this.#now();
        const dead = current.grants.filter((entry) => entry.until <= clock);
        log = undefined;
        decideAt = undefined;
        // Another sender wrote first: measure again against its grant.
        if (!(await this.#write(current, grant, dead, now))) continue;
        // A fixed grant whose write came back later than the guard leaves the call no margin:
        // the units stay spent (the log holds them) and a fresh grant is measured from now.
        if (!kind.lease && this.#now() - now > this.#guardMs) continue;
        return { units, id: grant.id, at: now };
      }
      const unitsCome = unitsOk ? { at: now, known: true } : this.#roomAt(held, least, now, capacity);
      const callsCome = callsOk ? { at: now, known: true } : this.#callRoomAt(log, held, now, priority);
      // Both must have come: the later moment, known only when both are.
      const comes = {
        at: Math.max(unitsCome.at, callsCome.at),
        known: unitsCome.known && callsCome.known,
      };
      const wakeAt = comes.at + this.#random() * this.#jitterMs;
      if (deadline !== undefined && wakeAt > deadline) return { units: 0 };
      const lead = kind.lease ? Math.min(this.#leadMs, MAX_LEAD_MS) + prepareMs : 0;
      // Known room is decided ahead, at its moment. Room behind an open lease is read again
      // that much ahead of the earliest moment it may come, so a lease that answered meanwhile
      // can still be written ahead of its end (the read decides nothing by itself).
      decideAt = lead > 0 && comes.known ? wakeAt : undefined;
      await this.#sleep(Math.max(0, wakeAt - lead - this.#now()));
    }
  }

  /**
   * The earliest moment enough held units may have left for `least` (and at least one): a
   * closed grant leaves at its `until`; an open lease not before a window from now (its call
   * may answer this instant), so a waiter reads again then and finds when it really ends.
   */
  #roomAt(
    held: readonly RateGrant[],
    least: number,
    now: number,
    capacity: number,
  ): { at: number; known: boolean } {
    const ends = held
      .map((grant) => ({
        units: grant.units,
        end: grant.open ? Math.min(grant.until, now + this.#afterAnswerMs) : grant.until,
        known: grant.open !== true,
      }))
      .sort((a, b) => a.end - b.end);
    let used = sum(held);
    // Room is known to come only when every grant it waits for has a known end.
    let known = true;
    for (const { units, end, known: ended } of ends) {
      used -= units;
      known &&= ended;
      if (capacity - used >= Math.max(1, least)) return { at: end, known };
    }
    return { at: now, known: false };
  }

  /** The calls one grant counts for: one per `unitsPerCall` of its units, and at least one. */
  #callsOf(grant: Pick<RateGrant, 'units'>): number {
    return this.#unitsPerCall === Number.POSITIVE_INFINITY
      ? 1
      : Math.max(1, Math.ceil(grant.units / this.#unitsPerCall));
  }

  /** Calls the limit leaves to this grant now (Infinity without a call limit). */
  #callsFree(log: Log, held: readonly RateGrant[], now: number, priority: boolean): number {
    if (this.#callLimit === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    return this.#callCapacity(log, now, priority) - held.reduce((n, grant) => n + this.#callsOf(grant), 0);
  }

  /** The call limit as this grant sees it: one call stays free for priority leases while the reserve is kept. */
  #callCapacity(log: Log, now: number, priority: boolean): number {
    const limit = this.#callLimitAt(log, now);
    if (priority || this.#reserve === 0 || !this.#reserveKept(log, now) || limit < 2) return limit;
    return limit - 1;
  }

  /** The call limit now: the configured one, or less for a while after a throttle. */
  #callLimitAt(log: Log, now: number): number {
    if (log.callCap === undefined) return this.#callLimit;
    const raised = log.callCap.calls + Math.floor(Math.max(0, now - log.callCap.at) / CALL_RAISE_MS);
    return Math.max(1, Math.min(this.#callLimit, raised));
  }

  /**
   * The earliest moment enough held calls may have left for one more (see #roomAt: an open
   * lease not before a window from now, so the waiter reads again then).
   */
  #callRoomAt(
    log: Log,
    held: readonly RateGrant[],
    now: number,
    priority: boolean,
  ): { at: number; known: boolean } {
    const ends = held
      .map((grant) => ({
        calls: this.#callsOf(grant),
        end: grant.open ? Math.min(grant.until, now + this.#afterAnswerMs) : grant.until,
        known: grant.open !== true,
      }))
      .sort((a, b) => a.end - b.end);
    let free = this.#callsFree(log, held, now, priority);
    let known = true;
    for (const { calls, end, known: ended } of ends) {
      free += calls;
      known &&= ended;
      if (free >= 1) return { at: end, known };
    }
    return { at: now, known: false };
  }

  /** Whether the reserve is kept now: a priority grant (or its announcement) came recently. */
  #reserveKept(log: Log, now: number): boolean {
    return log.priorityAt !== undefined && now - log.priorityAt < this.#reserveIdleMs;
  }

  /**
   * The units a grant may see as the limit: all of it for a priority lease or while the reserve
   * is idle; otherwise the limit less what priority leases do not hold of their reserve.
   */
  #capacity(log: Log, held: readonly RateGrant[], now: number, priority: boolean): number {
    if (priority || this.#reserve === 0 || !this.#reserveKept(log, now)) return this.limitPerSecond;
    const priorityHeld = sum(held.filter((grant) => grant.priority === true));
    return this.limitPerSecond - Math.max(0, this.#reserve - priorityHeld);
  }

  /** Marks priority traffic as flowing (bumps the version, so older decisions are re-measured). */
  async #announcePriority(log: Log): Promise<void> {
    const now = this.#now();
    // Lost to another writer: the caller reads again either way.
    await this.#setIfUnchanged(log, {
      priorityAt: now,
      expiresAt: Math.floor(now / 1000) + IDLE_TTL_SECONDS,
    });
  }

  /**
   * Sets `values` on the item and bumps its version, if nobody changed the log since it was
   * read (so a grant decided on that version measures again); false when somebody did.
   */
  async #setIfUnchanged(log: Log, values: Readonly<Record<string, number>>): Promise<boolean> {
    const names = Object.keys(values);
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { pk: this.#name },
          UpdateExpression: `SET ${names.map((_name, i) => `#s${i} = :s${i}`).join(', ')}, version = :next`,
          ConditionExpression:
            log.version === 0 ? 'attribute_not_exists(version) OR version = :version' : 'version = :version',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#s${i}`, name])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, i) => [`:s${i}`, values[name]])),
            ':next': log.version + 1,
            ':version': log.version,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async #read(): Promise<Log> {
    const answer = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: { pk: this.#name }, ConsistentRead: true }),
    );
    const item = answer.Item as
      | { grants?: unknown; version?: number; priorityAt?: number; callCap?: number; callCapAt?: number }
      | undefined;
    const version = item?.version ?? 0;
    const priorityAt = {
      ...(typeof item?.priorityAt === 'number' ? { priorityAt: item.priorityAt } : {}),
      ...(typeof item?.callCap === 'number' && typeof item.callCapAt === 'number'
        ? { callCap: { calls: item.callCap, at: item.callCapAt } }
        : {}),
    };
    const stored = item?.grants;
    // Grants are a map by id; an item another version of this code wrote as a list is rewritten whole.
    if (Array.isArray(stored)) {
      return {
        grants: stored.map((grant) => fromList(grant, this.#windowMs)),
        version,
        asMap: false,
        ...priorityAt,
      };
    }
    const grants = Object.values((stored ?? {}) as Record<string, RateGrant>);
    return { grants, version, asMap: item !== undefined && stored !== undefined, ...priorityAt };
  }

  /** Adds `grant` if nobody changed the log since it was read; false when somebody did. */
  async #write(log: Log, grant: RateGrant, dead: readonly RateGrant[], now: number): Promise<boolean> {
    const started = this.#now();
    try {
      return await this.#tryWrite(log, grant, dead, now);
    } finally {
      this.#leadMs = 0.8 * this.#leadMs + 0.2 * (this.#now() - started);
    }
  }

  async #tryWrite(log: Log, grant: RateGrant, dead: readonly RateGrant[], now: number): Promise<boolean> {
    const expiresAt = Math.floor(Math.max(now, grant.until) / 1000) + IDLE_TTL_SECONDS;
    try {
      if (log.asMap) {
        const names: Record<string, string> = { '#g': 'grants', '#n': grant.id };
        dead.forEach((entry, i) => {
          names[`#d${i}`] = entry.id;
        });
        const remove = dead.map((_, i) => `#g.#d${i}`);
        await this.#client.send(
          new UpdateCommand({
            TableName: this.#tableName,
            Key: { pk: this.#name },
            UpdateExpression: `SET #g.#n = :grant, version = :next, expiresAt = :expiresAt${
              grant.priority ? ', priorityAt = :at' : ''
            }${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
            ConditionExpression: 'version = :version',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':grant': grant,
              ':next': log.version + 1,
              ':version': log.version,
              ':expiresAt': expiresAt,
              ...(grant.priority ? { ':at': now } : {}),
            },
          }),
        );
      } else {
        const kept = log.grants.filter((entry) => !dead.includes(entry));
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: {
              pk: this.#name,
              grants: Object.fromEntries([...kept, grant].map((entry) => [entry.id, entry])),
              version: log.version + 1,
              expiresAt,
              ...(grant.priority
                ? { priorityAt: now }
                : log.priorityAt !== undefined
                  ? { priorityAt: log.priorityAt }
                  : {}),
              ...(log.callCap ? { callCap: log.callCap.calls, callCapAt: log.callCap.at } : {}),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
            ExpressionAttributeValues: { ':version': log.version },
          }),
        );
      }
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Ends a lease's hold at `until`; a lease already gone from the log (expired) is left alone. */
  async #release(id: string, until: number): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { pk: this.#name },
          UpdateExpression: 'SET #g.#id.#until = :until REMOVE #g.#id.#open',
          // Only ever shortens a hold: an expired lease must not come back to life.
          ConditionExpression: 'attribute_exists(#g.#id) AND #g.#id.#until > :until',
          ExpressionAttributeNames: { '#g': 'grants', '#id': id, '#until': 'until', '#open': 'open' },
          ExpressionAttributeValues: { ':until': until },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

interface Log {
  readonly grants: RateGrant[];
  readonly version: number;
  /** The item exists with its grants as a map, so a grant can be added by path. */
  readonly asMap: boolean;
  /** When the last priority grant (or announcement) was made: the reserve is kept a while after. */
  readonly priorityAt?: number;
  /** The call limit learned from the provider's last throttle, and when (see CALL_RAISE_MS). */
  readonly callCap?: { readonly calls: number; readonly at: number };
}

/** A grant an earlier version stored in a list: fixed, a window after it was made. */
function fromList(grant: unknown, windowMs: number): RateGrant {
  const { at, units, id, until } = grant as Partial<RateGrant>;
  return {
    at: Number(at),
    units: Number(units),
    id: String(id),
    until: typeof until === 'number' ? until : Number(at) + windowMs,
  };
}

/** Grants still holding units at `now`, oldest first. */
function live(grants: readonly RateGrant[], now: number): RateGrant[] {
  return grants.filter((grant) => grant.until > now).sort((a, b) => a.at - b.at);
}

function sum(grants: readonly RateGrant[]): number {
  return grants.reduce((total, grant) => total + grant.units, 0);
}
