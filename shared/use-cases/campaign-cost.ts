/**
 * Pre-flight cost: what a campaign's SMS would cost in Rial, against the provider account's
 * remaining credit. Previews show it; creation refuses a campaign that cannot be paid for.
 */
import type { Audience, CampaignInput } from '../domain/campaign';
import { ConflictError, ValidationError } from '../domain/errors';
import { analyseSms } from '../domain/sms-segments';
import { type SmsLayout, sampleSms } from '../domain/sms-text';
import type { Channel } from '../domain/types';
import type { ProviderAccount } from '../ports';
import { type AudienceReach, audienceReach, type ReachDeps } from './audience-preview';

export interface CampaignCostDeps {
  readonly account: ProviderAccount;
  /** Rial per SMS part on the verified line's type (CHAPAR_SMS_PRICE_RIAL). */
  readonly priceRial: number;
  readonly smsLayout: SmsLayout;
  /** What counts the audience's reach (creation reads it; a preview passes its own figures). */
  readonly reach: ReachDeps;
}

/** The SMS part of a campaign's cost. */
export interface SmsCost {
  /** Contacts with a phone who are not opted out of the topic. */
  readonly recipients: number;
  /** Parts in all: recipients × the parts of the final text for a representative contact. */
  readonly segments: number;
  readonly rial: number;
}

export interface CampaignCost {
  readonly sms: SmsCost;
  /** The account's remaining credit; null when the provider could not be asked. */
  readonly creditRial: number | null;
  /** Whether the credit covers the cost; null when the credit is unknown. */
  readonly enough: boolean | null;
  /** Present (false) when the audience was too large to read whole: the cost is a lower bound. */
  readonly complete?: false;
  /** Why the figures are not the whole story (credit unreadable). */
  readonly warning?: string;
}

/** What the cost reads of a campaign: its SMS text once any template is resolved. */
export interface CostedCampaign {
  readonly channels: readonly Channel[];
  readonly topic: string;
  readonly audience: Audience;
  readonly sms?: { readonly text: string };
}

/** The campaign as costed: the parsed body with its resolved content's SMS. */
export function costedCampaign(
  input: Pick<CampaignInput, 'channels' | 'topic' | 'audience'>,
  content: { readonly sms?: { readonly text: string } },
): CostedCampaign {
  return {
    channels: input.channels,
    topic: input.topic,
    audience: input.audience,
    ...(content.sms ? { sms: { text: content.sms.text } } : {}),
  };
}

export const CREDIT_UNAVAILABLE = 'The SMS credit could not be read from Kavenegar: the cost was not checked';

/**
 * The body without `allowPartial`, which only creation reads: the campaign schema itself
 * stays strict. @throws ValidationError when `allowPartial` is not a boolean.
 */
export function takeAllowPartial(body: unknown): { body: unknown; allowPartial: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('allowPartial' in body))
    return { body, allowPartial: false };
  const { allowPartial, ...rest } = body as Record<string, unknown>;
  if (typeof allowPartial !== 'boolean') {
    const message = 'must be true or false';
    throw new ValidationError(`Invalid campaign: allowPartial ${message}`, [
      { field: 'allowPartial', message },
    ]);
  }
  return { body: rest, allowPartial };
}

/** Segments and Rial for `recipients` each sent `segmentsEach` parts. */
export function smsCost(priceRial: number, recipients: number, segmentsEach: number): SmsCost {
  const segments = recipients * segmentsEach;
  return { recipients, segments, rial: Math.ceil(segments * priceRial) };
}

/** The parts a campaign's SMS takes for a representative contact (0 without SMS). */
function segmentsEach(layout: SmsLayout, input: CostedCampaign): number {
  if (!input.channels.includes('sms') || !input.sms) return 0;
  return analyseSms(sampleSms(layout, input.sms.text)).segments;
}

/**
 * The cost from reach figures already counted (a preview's), compared with the credit.
 * An unreadable credit is no failure: the figures come back with `creditRial: null`.
 */
export async function costOf(
  deps: Pick<CampaignCostDeps, 'account' | 'priceRial' | 'smsLayout'>,
  input: CostedCampaign,
  reach: Pick<AudienceReach, 'channels' | 'complete'>,
): Promise<CampaignCost> {
  return costAgainst(deps, input, reach, await readCredit(deps.account));
}

/** The remaining credit in Rial, or null when the provider cannot be asked. */
async function readCredit(account: ProviderAccount): Promise<number | null> {
  try {
    return (await account.smsCredit()).rial;
  } catch {
    return null;
  }
}

function costAgainst(
  deps: Pick<CampaignCostDeps, 'priceRial' | 'smsLayout'>,
  input: CostedCampaign,
  reach: Pick<AudienceReach, 'channels' | 'complete'>,
  credit: number | null,
): CampaignCost {
  const recipients = input.channels.includes('sms') ? (reach.channels.sms?.notOptedOut ?? 0) : 0;
  const sms = smsCost(deps.priceRial, recipients, segmentsEach(deps.smsLayout, input));
  const partial = reach.complete ? {} : { complete: false as const };
  if (credit === null)
    return { sms, creditRial: null, enough: null, ...partial, warning: CREDIT_UNAVAILABLE };
  return { sms, creditRial: credit, enough: sms.rial <= credit, ...partial };
}

/**
 * Creation's check: a campaign whose SMS cost more than the remaining credit is refused with
 * both figures (409), unless `allowPartial` (it then sends until the credit runs out and pauses
 * as `kavenegar:418`). An unreadable credit lets it through with a warning, without reading the
 * audience. A cost counted on part of a large audience is a lower bound: it refuses only what
 * surely cannot be paid for.
 * @returns warnings for the creator.
 */
export async function checkCampaignCost(
  deps: CampaignCostDeps,
  input: CostedCampaign,
  allowPartial: boolean,
): Promise<readonly string[]> {
  if (segmentsEach(deps.smsLayout, input) === 0) return [];
  const credit = await readCredit(deps.account);
  if (credit === null) return [CREDIT_UNAVAILABLE];
  // Reading the reach costs seconds on a large audience: skip it when even everyone is paid for.
  const most = await audienceBound(deps.reach, input.audience);
  if (most !== undefined && smsCost(deps.priceRial, most, segmentsEach(deps.smsLayout, input)).rial <= credit)
    return [];
  const reach = await audienceReach(deps.reach, input.audience, input.topic, ['sms']);
  const cost = costAgainst(deps, input, reach, credit);
  if (cost.enough !== false) return [];
  const figures = `costs ${cost.sms.rial} Rial (${cost.sms.segments} SMS parts) and the credit is ${credit} Rial`;
  if (allowPartial) return [`The SMS ${figures}: sending pauses when the credit runs out`];
  throw new ConflictError(`The campaign's SMS ${figures}; top up, or send allowPartial: true`, {
    context: { details: { cost: cost.sms, creditRial: credit } },
  });
}

/** The most contacts an audience can hold, when that is cheap to know (ids, list counters). */
async function audienceBound(deps: ReachDeps, audience: Audience): Promise<number | undefined> {
  if ('contactIds' in audience) return new Set(audience.contactIds).size;
  if (!('listIds' in audience)) return undefined;
  const lists = await Promise.all(audience.listIds.map((id) => deps.lists.get(id)));
  return lists.reduce((sum, list) => sum + (list?.members ?? 0), 0);
}
