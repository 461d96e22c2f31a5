import type { Campaign } from '../domain/campaign';
import type { Recipient, SendResult } from '../domain/delivery';
import {
  ACCOUNT_STOPS,
  accountStop,
  type EmailAccountState,
  reputationLimitsFor,
  reputationTrip,
  sendRatePerSecond,
} from '../domain/email-sending';
import { ProviderError } from '../domain/errors';
import { signUnsubscribeToken, type TokenKeyring } from '../domain/unsubscribe-token';
import type {
  CampaignStore,
  ChannelSender,
  EmailAccount,
  EmailProvider,
  Reachability,
  TemplateSource,
} from '../ports';
import { resultForError } from './deliver-recipients';
import { type RenderedEmail, renderCampaignEmail } from './render-email';

/** Units of the shared rate held for one slice of SES calls. */
export interface SendRateLease {
  readonly units: number;
  /**
   * Epoch milliseconds before which the slice's calls must not start: a lease asked `early`
   * may be granted ahead of the moment it is measured at. Absent or past: at once.
   */
  readonly notBefore?: number;
  /** The slice's calls answered: the units leave the window a second from now. */
  release(): Promise<void>;
}

/**
 * The shared limiter as the email sender uses it: units held from the grant until a second
 * after the slice's answers, so however late a call reaches SES, no sliding second there sees
 * more than the rate (the shape of PartialRateLimiter's lease).
 */
export interface SendRate {
  /**
   * 1 to `max` units; with `least`, none until that many (capped at the limit) are free at
   * once. 0 units when `deadline` came first. With `early` the lease may resolve before its
   * `notBefore` (by `prepareMs`, the caller's re-check before its calls, up to 250 ms): the
   * caller prepares then and starts its calls at `notBefore`.
   */
  lease(
    max: number,
    options?: { deadline?: number; least?: number; early?: boolean; prepareMs?: number },
  ): Promise<SendRateLease>;
}

/** SES's pace: the account's MaxSendRate held by the limiter every email sender shares. */
export interface EmailPacing {
  readonly account: EmailAccount;
  /** The shared limiter for `perSecond` recipients a second (one budget, whatever the rate). */
  readonly limiter: (perSecond: number) => SendRate;
  /**
   * Longest one queue message waits for its budget and its throttled retries; what is still
   * unsent then comes back through the queue (a receive spent). Default 30 s.
   */
  readonly maxWaitMs?: number;
  /**
   * Epoch milliseconds by which this invocation's sends must be over (the Lambda's remaining
   * time less a margin for the ends): no wait runs past it, whatever `maxWaitMs` says.
   */
  readonly deadline?: () => number | undefined;
  /** Epoch milliseconds. Default Date.now. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface EmailChannelDeps {
  readonly email: EmailProvider;
  readonly keyring: () => Promise<TokenKeyring>;
  /** https root of the public API; unsubscribe links are `<root>/u/<token>`. */
  readonly publicBaseUrl: string;
  readonly templates: TemplateSource;
  /** SES calls in flight at once from one message's sends (a grant may cover more, sent in turn). */
  readonly concurrency: number;
  /** Without it the channel sends as fast as `concurrency` allows and a throttle is retried by the queue. */
  readonly pacing?: EmailPacing;
  /** Pauses every email campaign when SES stops the account (see pauseEmailCampaigns). */
  readonly pauseAll?: (reason: string) => Promise<void>;
  /** The reputation breaker before a message's sends: the pause reason when it tripped. */
  readonly reputation?: (campaign: Campaign) => Promise<string | undefined>;
}

const DEFAULT_MAX_WAIT_MS = 30_000;
/** The SESv2 answers that mean "past the account's rate": surely not sent, sent again soon. */
const THROTTLES = new Set(['TooManyRequestsException', 'ThrottlingException']);
const MAX_THROTTLE_BACKOFF_MS = 1_000;

/** Builds the signed unsubscribe URL for one recipient of a campaign. */
export function unsubscribeUrl(
  base: string,
  keyring: TokenKeyring,
  campaign: Campaign,
  recipient: Recipient,
): string {
  const token = signUnsubscribeToken(
    {
      ref: recipient.contact.ref,
      channel: recipient.key.channel,
      topic: campaign.topic,
      campaignId: campaign.id,
    },
    keyring,
  );
  return `${base.replace(/\/+$/, '')}/u/${token}`;
}

/**
 * A campaign's reputation read through its stats, kept `ttlMs` per campaign so a sender reads
 * them every few seconds, not once per message. Feedback trips the breaker as it arrives
 * (ses-feedback.ts); this catches a campaign whose bounces came before its 500th send.
 */
export function cachedReputation(
  campaigns: Pick<CampaignStore, 'getWithStats'>,
  options: { ttlMs?: number; now?: () => number } = {},
): (campaign: Campaign) => Promise<string | undefined> {
  const ttlMs = options.ttlMs ?? 15_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; reason: string | undefined }>();
  return async (campaign) => {
    const hit = cache.get(campaign.id);
    if (hit && now() - hit.at < ttlMs) return hit.reason;
    const found = await campaigns.getWithStats(campaign.id);
    const reason = found ? reputationTrip(found.stats, reputationLimitsFor(found.campaign.round)) : undefined;
    if (cache.size > 1_000) cache.clear();
    cache.set(campaign.id, { at: now(), reason });
    return reason;
  };
}

/**
 * Campaign email through SES with RFC 8058 one-click unsubscribe headers, at SES's own rate:
 * each slice of recipients (as many of the message's as the limiter grants at once) is sent
 * right after the shared limiter granted it, `concurrency` calls in flight, so the
 * account's MaxSendRate holds in any sliding second across every sender. A throttling answer
 * (surely not sent) refreshes the rate and is sent again within `maxWaitMs`, without spending
 * an SQS receive; SendingPaused, AccountSuspended or GetAccount's sending disabled pause every
 * email campaign.
 */
export class EmailChannel implements ChannelSender {
  readonly channel = 'email' as const;
  /**
   * How long the re-check before a slice's first calls takes (a moving average), asked of the
   * limiter as `prepareMs`: the re-check runs while the room is still others', so the lease
   * holds its units for the calls, not for the reads and the attempt record before them.
   */
  #prepareMs: number | undefined;

  constructor(private readonly deps: EmailChannelDeps) {}

  async send(
    campaign: Campaign,
    recipients: readonly Recipient[],
    reachable?: Reachability,
  ): Promise<SendResult[]> {
    const results = new Array<SendResult | undefined>(recipients.length);
    // SES cannot tell whether an earlier attempt went out: never risk a second copy.
    recipients.forEach((recipient, index) => {
      if (recipient.takeover) results[index] = { kind: 'failed', reason: 'outcome_unknown' };
    });
    const queue = recipients.flatMap((_, index) => (results[index] === undefined ? [index] : []));
    const settle = (indices: readonly number[], result: SendResult) => {
      for (const index of indices) results[index] = result;
    };
    const done = (): SendResult[] =>
      results.map((result): SendResult => result ?? { kind: 'retry', reason: 'not attempted' });
    if (queue.length === 0) return done();

    const pacing = this.deps.pacing;
    let account: EmailAccountState | undefined;
    if (pacing) {
      const checked = await this.checkAccount(pacing.account);
      if (checked.kind !== 'ok') {
        settle(queue, checked.result);
        return done();
      }
      account = checked.state;
    }
    // The breaker is also checked as feedback arrives: a failed read here skips it this time
    // rather than fail the message (its claims are marked: a throw would leave them unknown).
    const tripped = await this.deps.reputation?.(campaign).catch(() => undefined);
    if (tripped) {
      settle(queue, { kind: 'stop', reason: tripped });
      return done();
    }

    const keyring = await this.deps.keyring();
    const rendered = new Map<number, { url: string; email: RenderedEmail }>();
    for (const index of queue) {
      const recipient = recipients[index] as Recipient;
      const url = unsubscribeUrl(this.deps.publicBaseUrl, keyring, campaign, recipient);
      rendered.set(index, {
        url,
        email: renderCampaignEmail(campaign, recipient.contact, url, this.deps.templates),
      });
    }

    const now = pacing?.now ?? Date.now;
    const sleep = pacing?.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const deadline = Math.min(
      now() + (pacing?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS),
      pacing?.deadline?.() ?? Number.POSITIVE_INFINITY,
    );
    let throttles = 0;
    let stop: SendResult | undefined;
    while (queue.length > 0) {
      if (stop) {
        settle(queue.splice(0), stop);
        break;
      }
      // The whole rest of the message (the limiter caps it at its rate): one grant for as many
      // recipients as the rate allows at once, sent in groups of `concurrency` below. It
      // takes whatever room is free (no `least`): waiting for whole room would serialise the
      // re-check before each slice's calls with the second its units are held (bench:email at
      // 8/s: 85.7 % of the rate with it, 96.0 % without).
      const want = queue.length;
      const lease =
        pacing && account
          ? await pacing.limiter(sendRatePerSecond(account)).lease(want, {
              deadline,
              early: true,
              ...(reachable && this.#prepareMs !== undefined
                ? { prepareMs: Math.ceil(this.#prepareMs) }
                : {}),
            })
          : { units: want, release: async () => undefined };
      if (lease.units < 1) {
        settle(queue.splice(0), { kind: 'retry', reason: 'ses:rate_limited no send budget in time' });
        break;
      }
      const slice = queue.splice(0, lease.units);
      const throttled: number[] = [];
      let accountStopReason: string | undefined;
      const sendIndex = async (index: number, still: ReadonlySet<Recipient> | undefined) => {
        const recipient = recipients[index] as Recipient;
        if (still && !still.has(recipient)) {
          results[index] = { kind: 'suppressed', reason: 'opted_out' };
          return;
        }
        const { url, email } = rendered.get(index) as { url: string; email: RenderedEmail };
        try {
          results[index] = await this.sendOne(campaign, recipient, url, email);
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          // SES may have accepted it and cannot be asked: fail it now rather than risk a second copy.
          if (error.outcomeUnknown) {
            results[index] = { kind: 'failed', reason: 'outcome_unknown' };
          } else if (pacing && THROTTLES.has(error.code)) {
            throttled.push(index);
          } else if (ACCOUNT_STOPS[error.code]) {
            accountStopReason ??= `${ACCOUNT_STOPS[error.code]}: ${error.message}`;
            results[index] = { kind: 'stop', reason: accountStopReason };
          } else {
            const result = resultForError(error);
            results[index] = result;
            if (result.kind === 'stop') stop ??= result;
          }
        }
      };
      // The slice goes out `concurrency` calls at a time, each group right after its own consent
      // (and campaign status) re-check: an opt-out or a pause recorded while earlier emails of the
      // slice were going out holds for the next ones.
      const sending = (async () => {
        const width = Math.max(1, this.deps.concurrency);
        for (let from = 0; from < slice.length; from += width) {
          const group = slice.slice(from, from + width);
          const halt =
            stop ?? (accountStopReason ? { kind: 'stop' as const, reason: accountStopReason } : undefined);
          if (halt) {
            settle(slice.slice(from), halt);
            return;
          }
          let still: ReadonlySet<Recipient> | undefined;
          if (reachable) {
            try {
              const checkStarted = now();
              still = await reachable(group.map((index) => recipients[index] as Recipient));
              if (from === 0) {
                const took = now() - checkStarted;
                this.#prepareMs = this.#prepareMs === undefined ? took : 0.8 * this.#prepareMs + 0.2 * took;
              }
            } catch (error) {
              settle(slice.slice(from), {
                kind: 'retry',
                reason: `consent re-check: ${(error as Error).message}`,
              });
              return;
            }
          }
          // Granted early: the calls start at the moment the lease was measured at, not before.
          const ahead = (lease.notBefore ?? 0) - now();
          if (ahead > 0) await sleep(ahead);
          await Promise.all(group.map((index) => sendIndex(index, still)));
        }
      })();
      // Every call of the slice answered (or failed): its units leave the window a second on.
      // A failed release only keeps them held longer.
      await sending.finally(() => lease.release().catch(() => undefined));
      if (accountStopReason) {
        stop ??= { kind: 'stop', reason: accountStopReason };
        settle(throttled, stop);
        await this.pauseAll(accountStopReason);
        continue;
      }
      if (throttled.length > 0 && pacing) {
        throttles += 1;
        // The rate may have changed (a new account, a lowered quota): ask SES before the next grant.
        account = await pacing.account.state({ fresh: true }).catch(() => account);
        const backoff = Math.min(MAX_THROTTLE_BACKOFF_MS, 50 * 2 ** throttles);
        if (now() + backoff < deadline) {
          queue.unshift(...throttled.sort((a, b) => a - b));
          await sleep(backoff);
        } else settle(throttled, { kind: 'retry', reason: 'ses:TooManyRequestsException' });
      }
    }
    return done();
  }

  /** GetAccount before a message's sends: a stopped account pauses every email campaign. */
  private async checkAccount(
    account: EmailAccount,
  ): Promise<{ kind: 'ok'; state: EmailAccountState } | { kind: 'stop' | 'retry'; result: SendResult }> {
    let state: EmailAccountState;
    try {
      state = await account.state();
      // A stopped account is never acted on from the cache: an operator may just have fixed it.
      if (accountStop(state)) state = await account.state({ fresh: true });
    } catch (error) {
      return {
        kind: 'retry',
        result: { kind: 'retry', reason: `ses:GetAccount ${(error as Error).message}` },
      };
    }
    const reason = accountStop(state);
    if (!reason) return { kind: 'ok', state };
    await this.pauseAll(reason);
    return { kind: 'stop', result: { kind: 'stop', reason } };
  }

  /**
   * Pauses every email campaign; a failure is swallowed: this message's campaign still pauses
   * through its stop results, and the others when their own senders meet the stop.
   */
  private async pauseAll(reason: string): Promise<void> {
    await this.deps.pauseAll?.(reason).catch(() => undefined);
  }

  private async sendOne(
    campaign: Campaign,
    recipient: Recipient,
    url: string,
    rendered: RenderedEmail,
  ): Promise<SendResult> {
    const { messageId } = await this.deps.email.send({
      to: recipient.address,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      // SES publishes these with its bounce and complaint events (ses-feedback.ts finds the
      // delivery by them): ids only, since tags land in logs and event streams.
      tags: {
        campaign: campaign.id,
        topic: campaign.topic,
        channel: recipient.key.channel,
        ref: recipient.contact.ref,
      },
    });
    return { kind: 'sent', content: rendered.subject, providerMessageId: messageId };
  }
}
