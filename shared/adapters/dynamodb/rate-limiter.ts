import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../../ports';
import { isConditionFailure } from './client';

/**
 * Window items outlive their second by an hour (long enough to look at a campaign's windows
 * afterwards), then DynamoDB's TTL sweeps them away: at most 3,600 tiny items per limit.
 */
const WINDOW_TTL_SECONDS = 3_600;
/** Waiters wake up spread over the first milliseconds of the next second, not all at once. */
const DEFAULT_JITTER_MS = 25;

/** How to build a {@link DynamoRateLimiter}. */
export interface DynamoRateLimiterOptions {
  readonly client: DynamoDBDocumentClient;
  /** The `rateLimits` table: partition key `pk`, TTL attribute `expiresAt`. */
  readonly tableName: string;
  /** Names the budget; its windows are the items `<name>#<epoch second>`. */
  readonly name: string;
  /** Units granted in one clock second, across every process sharing `name`. */
  readonly limitPerSecond: number;
  /** Largest random delay added after a second boundary before trying again. Default 25 ms. */
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

/**
 * A per-second budget in DynamoDB shared by every concurrent sender (all Lambda instances):
 * a fixed window per clock second, one item each. A grant is one UpdateItem that ADDs its
 * units under the condition that the window stays at or under the limit, so two senders can
 * never spend the same unit; a full window means waiting for the next second (plus jitter).
 *
 * Partial windows are spent, not wasted: {@link acquireUpTo} grants whatever is left of the
 * current second (the failed condition returns the window's count, so no extra read), and the
 * caller sends exactly that many. With a fixed rate of 300 and calls of 200, whole-call grants
 * would send 200 a second; partial grants send 300. {@link acquire} is all-or-wait: its caller
 * sends all `units` at once, so taking half of them from an earlier window would let more than
 * the limit out in the next one.
 *
 * A fixed window can let two seconds' budgets out within one sliding second (the end of one
 * second and the start of the next): a provider that counts in a sliding window must allow
 * that burst, or the rate must be set below its limit.
 */
export class DynamoRateLimiter implements RateLimiter {
  readonly limitPerSecond: number;
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #name: string;
  readonly #jitterMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;

  constructor(options: DynamoRateLimiterOptions) {
    if (!Number.isInteger(options.limitPerSecond) || options.limitPerSecond < 1) {
      throw new RangeError(`limitPerSecond must be a positive integer, got ${options.limitPerSecond}`);
    }
    this.limitPerSecond = options.limitPerSecond;
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#name = options.name;
    this.#jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
  }

  /**
   * Waits until `units` can be spent in one second, and spends them. More than the limit is
   * split into limit-sized parts taken in successive seconds; it returns once all are spent.
   */
  async acquire(units: number): Promise<void> {
    for (let left = units; left > 0; ) {
      const part = Math.min(left, this.limitPerSecond);
      await this.#grant(part, part, undefined);
      left -= part;
    }
  }

  /**
   * Spends between 1 and `max` units (at most the limit) from the current second, waiting
   * only while the window is full. Answers how many were granted; 0 when `deadline` came
   * first (nothing was spent then).
   */
  async acquireUpTo(max: number, options: AcquireOptions = {}): Promise<number> {
    if (max < 1) return 0;
    return this.#grant(Math.min(max, this.limitPerSecond), 1, options.deadline);
  }

  /** Grants `want` units, or as few as `least` when the current window has only that much left. */
  async #grant(want: number, least: number, deadline: number | undefined): Promise<number> {
    let ask = want;
    for (;;) {
      const second = Math.floor(this.#now() / 1000);
      const used = await this.#tryAdd(second, ask);
      if (used === undefined) return ask;
      const room = this.limitPerSecond - used;
      if (room >= least && room > 0) {
        ask = Math.min(want, room);
        continue;
      }
      const wakeAt = (second + 1) * 1000 + this.#random() * this.#jitterMs;
      if (deadline !== undefined && wakeAt > deadline) return 0;
      await this.#sleep(Math.max(0, wakeAt - this.#now()));
      ask = want;
    }
  }

  /** Adds `units` to the window of `second`; undefined when granted, else the window's count. */
  async #tryAdd(second: number, units: number): Promise<number | undefined> {
    const pk = `${this.#name}#${second}`;
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { pk },
          UpdateExpression: 'ADD #units :units SET #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#units) OR #units <= :room',
          ExpressionAttributeNames: { '#units': 'units', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: {
            ':units': units,
            ':room': this.limitPerSecond - units,
            ':expiresAt': second + WINDOW_TTL_SECONDS,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return unitsOf((error as { Item?: unknown }).Item) ?? (await this.#read(pk));
    }
  }

  /** The window's count, for a DynamoDB that does not return the item with a failed condition. */
  async #read(pk: string): Promise<number> {
    const answer = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: { pk }, ConsistentRead: true }),
    );
    return unitsOf(answer.Item) ?? this.limitPerSecond;
  }
}

/** `units` of an item, marshalled (`{N: '12'}`, as exceptions carry it) or not. */
function unitsOf(item: unknown): number | undefined {
  const units = (item as { units?: unknown } | undefined)?.units;
  if (typeof units === 'number') return units;
  const marshalled = (units as { N?: unknown } | undefined)?.N;
  return typeof marshalled === 'string' ? Number(marshalled) : undefined;
}
