import { reputationLimitsFor, reputationTrip } from '../domain/email-sending';
import type { Alarms, CampaignStore, SendingCampaigns } from '../ports';

export interface EmailPauseDeps {
  readonly campaigns: Pick<CampaignStore, 'transition' | 'getWithStats'> & SendingCampaigns;
  readonly alarms: Alarms;
  readonly now: () => Date;
}

/**
 * SES stopped the account (SendingPaused, AccountSuspended, GetAccount's sending disabled):
 * every sending campaign that has email pauses with `reason` and raises the CampaignPaused
 * alarm, as a stop answer pauses one campaign. Their queued messages are then dropped by the
 * senders and `resume` dispatches what is left, each delivery skipped once it has ended.
 * Answers the campaigns this call paused (one that paused meanwhile is not counted twice).
 */
export async function pauseEmailCampaigns(deps: EmailPauseDeps, reason: string): Promise<string[]> {
  const sending = await deps.campaigns.listSending('email');
  const paused: string[] = [];
  for (const campaign of sending) {
    const moved = await deps.campaigns.transition(campaign.id, 'paused', ['sending'], deps.now(), {
      pausedReason: reason,
    });
    if (!moved) continue;
    deps.alarms.campaignPaused(campaign.id, reason);
    paused.push(campaign.id);
  }
  return paused;
}

/**
 * The reputation breaker: pauses a sending campaign whose bounce or complaint rate has passed
 * its limit (shared/domain/email-sending.ts) with the figures as its reason, and raises the
 * alarm. Answers the reason when the campaign is past its limit (paused now or by someone else
 * first), undefined otherwise.
 */
export async function tripReputationBreaker(
  deps: Omit<EmailPauseDeps, 'campaigns'> & {
    readonly campaigns: Pick<CampaignStore, 'transition' | 'getWithStats'>;
  },
  campaignId: string,
): Promise<string | undefined> {
  const found = await deps.campaigns.getWithStats(campaignId);
  if (found?.campaign.status !== 'sending') return undefined;
  const reason = reputationTrip(found.stats, reputationLimitsFor(found.campaign.round));
  if (!reason) return undefined;
  const moved = await deps.campaigns.transition(campaignId, 'paused', ['sending'], deps.now(), {
    pausedReason: reason,
  });
  if (moved) deps.alarms.campaignPaused(campaignId, reason);
  return reason;
}
