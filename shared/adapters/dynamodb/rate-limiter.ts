import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../../ports';
import { isConditionFailure } from './client';

/** An idle limiter's item outlives its last grant by an hour, then DynamoDB's TTL sweeps it away. */
const IDLE_TTL_SECONDS = 3_600;
/** Waiters wake up spread over a few milliseconds, not all at once. */
const DEFAULT_JITTER_MS = 25;
/**
 * The window is a second plus this margin: a grant reaches the provider a little after it is
 * written (the write's answer, then the HTTPS call), and a send late after one grant must not
 * meet a send early after the next within one of the provider's seconds.
 */
const DEFAULT_GUARD_MS = 100;

/** How to build a {@link DynamoRateLimiter}. */
export interface DynamoRateLimiterOptions {
  readonly client: DynamoDBDocumentClient;
  /** The `rateLimits` table: partition key `pk`, TTL attribute `expiresAt`. */
  readonly tableName: string;
  /** Names the budget: one item, `pk` = name, shared by every process using that name. */
  readonly name: string;
  /** Units granted in any one second, across every process sharing `name`. */
  readonly limitPerSecond: number;
  /** Added to the one-second window (see DEFAULT_GUARD_MS). Default 100 ms. */
  readonly guardMs?: number;
  /** Largest random delay added to a wait. Default 25 ms. */
  readonly jitterMs?: number;
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

/** One grant in the log: when (epoch ms, the granting process's clock), how many, and a tag. */
export interface RateGrant {
  readonly at: number;
  readonly units: number;
  readonly id: string;
}

/**
 * A rate shared by every concurrent sender (all Lambda instances), held in any sliding
 * second, not only in clock seconds: the limiter keeps the log of the grants of the last
 * window (a second plus a guard) in one DynamoDB item, and a grant is written only when the
 * log's units plus its own stay within the limit. The write is conditional on the version it
 * read, so two senders can never spend the same unit; a full log means waiting until its
 * oldest grants leave the window.
 *
 * A fixed window per clock second would let two seconds' budgets out within one sliding
 * second (the end of one and the start of the next); a provider that counts in a sliding
 * window answers that burst with 451. The log rules it out. It costs a read and a write per
 * grant, and a grant is a whole provider call (up to 200 receptors), so a few a second.
 *
 * The guard bounds how much later than its grant a call may reach the provider: a grant whose
 * own write took longer is left spent and taken again, and the rest (the HTTPS call) must fit
 * in what is left of it.
 *
 * Partial grants are spent, not wasted: {@link acquireUpTo} grants whatever room the window
 * has, and the caller sends exactly that many. {@link acquire} is all-or-wait: its caller
 * sends all `units` at once.
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly limitPerSecond: number;
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #name: string;
  readonly #windowMs: number;
  readonly #guardMs: number;
  readonly #jitterMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: DynamoRateLimiterOptions) {
    if (!Number.isInteger(options.limitPerSecond) || options.limitPerSecond < 1) {
      throw new RangeError(`limitPerSecond must be a positive integer, got ${options.limitPerSecond}`);
    }
    const guardMs = options.guardMs ?? DEFAULT_GUARD_MS;
    if (!(guardMs >= 0)) throw new RangeError(`guardMs must be zero or more, got ${guardMs}`);
    this.limitPerSecond = options.limitPerSecond;
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#name = options.name;
    this.#guardMs = guardMs;
    this.#windowMs = 1000 + guardMs;
    this.#jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
  }

  /**
   * Waits until `units` can be spent at once, and spends them. More than the limit is split
   * into limit-sized parts, each a window after the last; it returns once all are spent.
   */
  async acquire(units: number): Promise<void> {
    for (let left = units; left > 0; ) {
      const part = Math.min(left, this.limitPerSecond);
      await this.#grant(part, part, undefined);
      left -= part;
    }
  }

  /**
   * Spends between 1 and `max` units (at most the limit) now, waiting only while the window
   * is full. Answers how many were granted; 0 when `deadline` came first (nothing was spent).
   */
  async acquireUpTo(max: number, options: AcquireOptions = {}): Promise<number> {
    if (max < 1) return 0;
    return this.#grant(Math.min(max, this.limitPerSecond), 1, options.deadline);
  }

  /** The grants still inside the window, oldest first (what the next grant is measured against). */
  async grants(): Promise<RateGrant[]> {
    const { grants } = await this.#read();
    return live(grants, this.#now() - this.#windowMs);
  }

  /** Grants `want` units, or as few as `least` when the window has only that much room. */
  async #grant(want: number, least: number, deadline: number | undefined): Promise<number> {
    for (;;) {
      if (deadline !== undefined && this.#now() > deadline) return 0;
      const { grants, version } = await this.#read();
      const now = this.#now();
      const inWindow = live(grants, now - this.#windowMs);
      const room = this.limitPerSecond - sum(inWindow);
      if (room >= least && room > 0) {
        const units = Math.min(want, room);
        const grant: RateGrant = { at: now, units, id: randomBytes(4).toString('hex') };
        // Another sender wrote first: measure again against its grant.
        if (!(await this.#write([...inWindow, grant], version, now))) continue;
        // A write that came back later than the guard leaves the call no margin: the units
        // stay spent (the log holds them) and a fresh grant is measured from now.
        if (this.#now() - now <= this.#guardMs) return units;
        continue;
      }
      const wakeAt = this.#roomAt(inWindow, least) + this.#random() * this.#jitterMs;
      if (deadline !== undefined && wakeAt > deadline) return 0;
      await this.#sleep(Math.max(0, wakeAt - now));
    }
  }

  /** When enough of the oldest grants have left the window for `least` units (and at least one). */
  #roomAt(inWindow: readonly RateGrant[], least: number): number {
    let used = sum(inWindow);
    for (const grant of inWindow) {
      used -= grant.units;
      if (this.limitPerSecond - used >= Math.max(1, least)) return grant.at + this.#windowMs;
    }
    return this.#now();
  }

  async #read(): Promise<{ grants: RateGrant[]; version: number }> {
    const answer = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: { pk: this.#name }, ConsistentRead: true }),
    );
    const item = answer.Item as { grants?: RateGrant[]; version?: number } | undefined;
    return { grants: item?.grants ?? [], version: item?.version ?? 0 };
  }

  /** Writes the log if nobody changed it since `version`; false when somebody did. */
  async #write(grants: readonly RateGrant[], version: number, now: number): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            pk: this.#name,
            grants,
            version: version + 1,
            expiresAt: Math.floor(now / 1000) + IDLE_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

/** Grants after `since`, oldest first. */
function live(grants: readonly RateGrant[], since: number): RateGrant[] {
  return grants.filter((grant) => grant.at > since).sort((a, b) => a.at - b.at);
}

function sum(grants: readonly RateGrant[]): number {
  return grants.reduce((total, grant) => total + grant.units, 0);
}
