/**
 * The rules of sending email at SES's pace and within its reputation: the account's state
 * (GetAccount), what pauses every email campaign, and the reputation breaker. Pure.
 */

/** What GetAccount says about sending, in Chapar's terms. */
export interface EmailAccountState {
  /** Recipients SES admits per second (SendQuota.MaxSendRate; fractional in the sandbox). */
  readonly maxSendRate: number;
  /** SendingEnabled: false when SES (or the account's owner) paused sending. */
  readonly sendingEnabled: boolean;
  /** EnforcementStatus: HEALTHY, PROBATION or SHUTDOWN. */
  readonly enforcementStatus?: string;
}

/** How long a healthy account's answer is trusted before GetAccount is asked again. */
export const ACCOUNT_REFRESH_MS = 5 * 60 * 1000;

/** Why every email campaign paused: SES paused sending for the account. */
export const SES_SENDING_PAUSED = 'ses_sending_paused';
/** Why every email campaign paused: SES shut the account down. */
export const SES_ACCOUNT_SUSPENDED = 'ses_account_suspended';

/** The SESv2 errors that stop the whole account, not one campaign, with the pause each means. */
export const ACCOUNT_STOPS: Readonly<Record<string, string>> = {
  SendingPausedException: SES_SENDING_PAUSED,
  AccountSuspendedException: SES_ACCOUNT_SUSPENDED,
};

/** The pause reason an account state calls for, or undefined while SES may be sent to. */
export function accountStop(state: EmailAccountState): string | undefined {
  if (state.enforcementStatus === 'SHUTDOWN')
    return `${SES_ACCOUNT_SUSPENDED}: GetAccount EnforcementStatus SHUTDOWN`;
  if (!state.sendingEnabled) return `${SES_SENDING_PAUSED}: GetAccount SendingEnabled false`;
  return undefined;
}

/** The whole recipients per second a limiter may grant for SES's MaxSendRate (at least 1). */
export function sendRatePerSecond(state: EmailAccountState): number {
  return Math.max(1, Math.floor(state.maxSendRate));
}

/** Reputation thresholds: a rate past one pauses the campaign once it has `minSends`. */
export interface ReputationLimits {
  readonly minSends: number;
  readonly bounceRate: number;
  readonly complaintRate: number;
}

/**
 * Chapar's breaker, below SES's own review thresholds (5 % bounces, 0.1 % complaints; 10 % and
 * 0.5 % pause the account): one bad list pauses its campaign before it can put the account
 * under review.
 */
export const REPUTATION_LIMITS: ReputationLimits = {
  minSends: 500,
  bounceRate: 0.025,
  complaintRate: 0.0008,
};

/**
 * After a resume (a later dispatch round) the operator chose to go on: the campaign is then
 * held to SES's review thresholds themselves, so it still cannot put the account under review.
 */
export const RESUMED_REPUTATION_LIMITS: ReputationLimits = {
  minSends: 500,
  bounceRate: 0.05,
  complaintRate: 0.001,
};

/** Why a reputation pause happened: `reputation: bounce 3.1 % (16/512)`. */
export const REPUTATION_PAUSE = 'reputation';

/** The limits a campaign in dispatch round `round` (1 at first) is held to. */
export function reputationLimitsFor(round: number | undefined): ReputationLimits {
  return (round ?? 1) > 1 ? RESUMED_REPUTATION_LIMITS : REPUTATION_LIMITS;
}

/**
 * The pause reason when a campaign's bounce or complaint rate has passed its limit, with the
 * figures (`reputation: bounce 3.1 % (16/512)`); undefined below `minSends` or within limits.
 */
export function reputationTrip(
  stats: { readonly sent: number; readonly bounced: number; readonly complained: number },
  limits: ReputationLimits = REPUTATION_LIMITS,
): string | undefined {
  if (stats.sent < limits.minSends || stats.sent <= 0) return undefined;
  const bounce = stats.bounced / stats.sent;
  if (bounce > limits.bounceRate)
    return `${REPUTATION_PAUSE}: bounce ${percent(bounce, limits.bounceRate, 1)} % (${stats.bounced}/${stats.sent})`;
  const complaint = stats.complained / stats.sent;
  if (complaint > limits.complaintRate)
    return `${REPUTATION_PAUSE}: complaint ${percent(complaint, limits.complaintRate, 2)} % (${stats.complained}/${stats.sent})`;
  return undefined;
}

/** The rate in percent with `digits` decimals, or one more when that much would not show it past the limit. */
function percent(rate: number, limit: number, digits: number): string {
  const shown = (rate * 100).toFixed(digits);
  return Number(shown) > limit * 100 ? shown : (rate * 100).toFixed(digits + 1);
}
