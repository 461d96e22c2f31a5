/**
 * How long a queue message waits before its next try after a passing provider failure, and
 * when a provider counts as down. Pure: the channel handler and deliverRecipients apply it.
 */

/**
 * Waits after the 1st, 2nd, 3rd ... receive: seconds first (a blip heals fast), then minutes.
 * Past the list the last figure repeats.
 */
export const RETRY_BACKOFF_SECONDS: readonly number[] = [10, 30, 120, 360];

export interface BackoffOptions {
  /** Multiplies the figures (tests use a fraction so a retry takes milliseconds); default 1. */
  readonly scale?: number;
  /**
   * Set when a recipient of the message was left with an unknown outcome: its claim is kept
   * and a held claim is skipped, so the message must not come back before the lease has run
   * out (else the recipient would be skipped and its message deleted).
   */
  readonly unknownLeaseMs?: number;
}

/**
 * Seconds to hold a message back after its `receiveCount`-th receive failed for a passing
 * reason (SQS's ApproximateReceiveCount, 1 on the first receive).
 */
export function retryDelaySeconds(receiveCount: number, options: BackoffOptions = {}): number {
  const count = Number.isFinite(receiveCount) ? Math.max(1, Math.floor(receiveCount)) : 1;
  const index = Math.min(count, RETRY_BACKOFF_SECONDS.length) - 1;
  const base = (RETRY_BACKOFF_SECONDS[index] ?? 0) * (options.scale ?? 1);
  const lease = options.unknownLeaseMs === undefined ? 0 : options.unknownLeaseMs / 1000;
  return Math.ceil(Math.max(base, lease));
}

/** Consecutive failed calls after which a provider counts as down. */
export const PROVIDER_DOWN_FAILURES = 10;
/** How long a provider may keep failing, whatever the count, before it counts as down. */
export const PROVIDER_DOWN_MS = 5 * 60 * 1000;

/** A provider's run of failed calls with no success between them, shared by every sender. */
export interface FailureStreak {
  readonly failures: number;
  /** When the first failure of the run happened. */
  readonly since: Date;
}

/** Whether a provider with this streak should stop being retried (the campaign pauses). */
export function isProviderDown(streak: FailureStreak, now: Date): boolean {
  return (
    streak.failures >= PROVIDER_DOWN_FAILURES || now.getTime() - streak.since.getTime() >= PROVIDER_DOWN_MS
  );
}

/** Why a campaign paused when its provider kept failing. */
export const PROVIDER_UNAVAILABLE = 'provider_unavailable';
/** Why a campaign paused when SES's daily sending quota ran out; it resumes by itself. */
export const SES_DAILY_QUOTA = 'ses_daily_quota';
/** How long a quota pause lasts before the sweep resumes the campaign (SES's window slides). */
export const QUOTA_PAUSE_MS = 60 * 60 * 1000;
