import {
  type Campaign,
  type CampaignInput,
  type CampaignStats,
  campaignInputSchema,
  isComplete,
  sendAtProblem,
  statusesAllowing,
} from '../domain/campaign';
import { type PreviewWarning, smsTiming } from '../domain/campaign-view';
import { DISPATCH_LEASE_MS } from '../domain/dispatch';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { QuietHours } from '../domain/quiet-hours';
import { analyseSms, type SmsAnalysis } from '../domain/sms-segments';
import { type SmsLayout, sampleSms } from '../domain/sms-text';
import { type EmptyPlaceholderWarning, emptyPlaceholderCounter } from '../domain/template';
import { parseWith } from '../domain/validation';
import type { CampaignStore, TemplateStore, WorkQueue } from '../ports';
import {
  type AudienceCatalog,
  type AudienceReach,
  assertAudienceExists,
  audienceReach,
  type ReachDeps,
} from './audience-preview';
import {
  type CampaignCost,
  type CampaignCostDeps,
  checkCampaignCost,
  costedCampaign,
  costOf,
  takeAllowPartial,
} from './campaign-cost';
import { resolveCampaignContent } from './templates';

export interface CampaignDeps {
  readonly campaigns: CampaignStore;
  readonly queue: WorkQueue;
  readonly now: () => Date;
  /** Lists and segments: an audience naming one that does not exist is refused. */
  readonly audiences?: AudienceCatalog;
  /** Templates a campaign's content may name (`templateId`). */
  readonly templates?: TemplateStore;
  /** Pre-flight cost: without it no campaign is refused for want of SMS credit. */
  readonly cost?: CampaignCostDeps;
}

/**
 * Creates a campaign. It is stored as scheduled; one due now is also handed to the dispatcher
 * at once (the every-minute sweep is the safety net if that enqueue fails).
 */
export async function createCampaign(
  deps: CampaignDeps,
  body: unknown,
): Promise<Campaign & { readonly warnings?: readonly string[] }> {
  const now = deps.now();
  const { body: campaignBody, allowPartial } = takeAllowPartial(body);
  const input = parseCampaignInput(campaignBody, now);
  await assertAudienceExists(deps.audiences, input.audience);
  const { content, used } = await resolveCampaignContent(deps.templates, input);
  const warnings = deps.cost
    ? await checkCampaignCost(deps.cost, costedCampaign(input, content), allowPartial)
    : [];
  const sendAt = input.sendAt ? new Date(input.sendAt) : now;
  const campaign: Campaign = {
    id: newId(now.getTime()),
    name: input.name,
    topic: input.topic,
    channels: input.channels,
    audience: input.audience,
    ...content,
    sendAt: sendAt.toISOString(),
    status: 'scheduled',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  // Before the campaign exists: a use whose campaign was never stored holds nothing back.
  for (const templateId of used) await deps.templates?.recordUse(templateId, campaign.id);
  await deps.campaigns.create(campaign);
  if (sendAt.getTime() <= now.getTime()) {
    await deps.queue.sendDispatch([{ v: 1, campaignId: campaign.id, cursor: null }]);
  }
  return warnings.length > 0 ? { ...campaign, warnings } : campaign;
}

/** @throws ValidationError naming each field that is wrong, sendAt included. */
export function parseCampaignInput(body: unknown, now: Date): CampaignInput {
  const input = parseWith(campaignInputSchema, body, 'campaign');
  if (input.sendAt) {
    const problem = sendAtProblem(input.sendAt, now);
    if (problem)
      throw new ValidationError(`Invalid campaign: sendAt ${problem}`, [
        { field: 'sendAt', message: problem },
      ]);
  }
  return input;
}

/** What a campaign would send, before it is created. */
export interface CampaignPreview {
  /** The final SMS for a representative contact (placeholders empty, a link of the real length). */
  readonly sms?: SmsAnalysis & { readonly sample: string };
  /**
   * Contacts in the audience (distinct named ids when no stores are wired), and with the
   * stores, per channel how many have an address and are not opted out of the topic.
   */
  readonly audience?: number;
  readonly reach?: AudienceReach['channels'];
  /** Present (false) when the audience was too large to read whole: the figures are lower bounds. */
  readonly audienceComplete?: false;
  /** When the SMS will actually go: sendAt (or now), or the end of quiet hours it falls in. */
  readonly smsStartsAt?: string;
  /**
   * What the marketer should know before creating it: a sendAt in quiet hours, placeholders
   * that render empty for some of the audience (a field those contacts lack).
   */
  readonly warnings?: readonly (PreviewWarning | EmptyPlaceholderWarning)[];
  /** The SMS cost in Rial against the provider's remaining credit (with the cost deps). */
  readonly cost?: CampaignCost;
}

/** Previews a campaign body exactly as POST /v1/campaigns would take it; stores nothing. */
export async function previewCampaign(
  deps: Pick<CampaignDeps, 'now' | 'templates' | 'cost'> & {
    readonly smsLayout: SmsLayout;
    readonly reach?: ReachDeps;
    /** The senders' quiet hours: a sendAt inside them is warned about. */
    readonly quietHours?: QuietHours;
  },
  body: unknown,
): Promise<CampaignPreview> {
  const now = deps.now();
  const input = parseCampaignInput(takeAllowPartial(body).body, now);
  const { content } = await resolveCampaignContent(deps.templates, input);
  const sample = content.sms ? sampleSms(deps.smsLayout, content.sms.text) : undefined;
  const timing =
    deps.quietHours && input.channels.includes('sms')
      ? smsTiming(deps.quietHours, input.sendAt ? new Date(input.sendAt) : now)
      : undefined;
  const quiet = timing?.warning ? [timing.warning] : [];
  const sms = {
    ...(sample === undefined ? {} : { sms: { ...analyseSms(sample), sample } }),
    ...(timing ? { smsStartsAt: timing.smsStartsAt } : {}),
  };
  if (!deps.reach) {
    return {
      ...sms,
      ...(quiet.length > 0 ? { warnings: quiet } : {}),
      ...('contactIds' in input.audience ? { audience: new Set(input.audience.contactIds).size } : {}),
    };
  }
  await assertAudienceExists(deps.reach, input.audience);
  const empty = emptyPlaceholderCounter(content);
  const reach = await audienceReach(deps.reach, input.audience, input.topic, input.channels, empty.add);
  const warnings = [...quiet, ...empty.warnings()];
  return {
    ...sms,
    ...(warnings.length > 0 ? { warnings } : {}),
    audience: reach.size,
    reach: reach.channels,
    ...(reach.complete ? {} : { audienceComplete: false as const }),
    ...(deps.cost ? { cost: await costOf(deps.cost, costedCampaign(input, content), reach) } : {}),
  };
}

/** Campaign ids are ULIDs: anything else names no campaign (and never reaches DynamoDB's key limits). */
const CAMPAIGN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function assertCampaignId(id: string): void {
  if (!CAMPAIGN_ID.test(id)) throw new NotFoundError(`Campaign ${id.slice(0, 40)} not found`);
}

export async function getCampaign(
  deps: Pick<CampaignDeps, 'campaigns'>,
  id: string,
): Promise<{ campaign: Campaign; stats: CampaignStats; failures?: Readonly<Record<string, number>> }> {
  assertCampaignId(id);
  const found = await deps.campaigns.getWithStats(id);
  if (!found) throw new NotFoundError(`Campaign ${id} not found`);
  return found;
}

/** Cancels a scheduled, sending or paused campaign: senders drop its remaining messages. */
export async function cancelCampaign(
  deps: Pick<CampaignDeps, 'campaigns' | 'now'>,
  id: string,
): Promise<Campaign> {
  assertCampaignId(id);
  const cancelled = await deps.campaigns.transition(
    id,
    'cancelled',
    statusesAllowing('cancelled'),
    deps.now(),
  );
  if (cancelled) return cancelled;
  const current = await deps.campaigns.get(id);
  if (!current) throw new NotFoundError(`Campaign ${id} not found`);
  throw new ConflictError(`Campaign ${id} is ${current.status} and can no longer be cancelled`);
}

/**
 * Continues a paused campaign where it stopped: the audience is dispatched again as a new
 * round, and every delivery that already ended is skipped by its claim, so nobody gets a
 * second copy and whoever was waiting gets theirs.
 */
export async function resumeCampaign(deps: CampaignDeps, id: string, leaseMs: number): Promise<Campaign> {
  assertCampaignId(id);
  const now = deps.now();
  const resumed = await deps.campaigns.transition(id, 'sending', ['paused'], now, {
    leaseUntil: new Date(now.getTime() + leaseMs),
    newRound: true,
  });
  if (!resumed) {
    const current = await deps.campaigns.get(id);
    if (!current) throw new NotFoundError(`Campaign ${id} not found`);
    throw new ConflictError(`Campaign ${id} is ${current.status}; only a paused campaign can be resumed`);
  }
  await deps.queue.sendDispatch([{ v: 1, campaignId: id, cursor: null, round: resumed.round ?? 1 }]);
  return resumed;
}

/** Marks a sending campaign sent once dispatch is over and every delivery has ended. */
export async function completeIfDone(
  deps: Pick<CampaignDeps, 'campaigns' | 'now'>,
  id: string,
): Promise<boolean> {
  const found = await deps.campaigns.getWithStats(id);
  if (found?.campaign.status !== 'sending' || !isComplete(found.campaign, found.stats)) return false;
  return (await deps.campaigns.transition(id, 'sent', ['sending'], deps.now())) !== undefined;
}

/**
 * The sweep: hands every due campaign to the dispatcher, revives a dispatch whose page chain
 * went quiet, and resumes a campaign paused until a time that has come (SES's daily quota).
 * Safe to run twice: the dispatcher ignores pages already saved, and only one resume of a
 * paused campaign wins its transition.
 */
export async function dispatchDueCampaigns(deps: CampaignDeps, limit = 100): Promise<number> {
  const due = await deps.campaigns.listDue(deps.now(), limit);
  const dispatch = due.filter((entry) => !entry.resume);
  if (dispatch.length > 0) {
    await deps.queue.sendDispatch(
      dispatch.map(({ campaignId, cursor, round }) => ({ v: 1 as const, campaignId, cursor, round })),
    );
  }
  let resumed = 0;
  for (const { campaignId } of due.filter((entry) => entry.resume)) {
    try {
      await resumeCampaign(deps, campaignId, DISPATCH_LEASE_MS);
      resumed += 1;
    } catch (error) {
      // Resumed or cancelled meanwhile (an operator, another sweep): nothing left to do.
      if (!(error instanceof ConflictError || error instanceof NotFoundError)) throw error;
    }
  }
  return dispatch.length + resumed;
}
