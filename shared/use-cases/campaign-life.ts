/**
 * A campaign's life around its sending: listing, editing while scheduled, a marketer's pause,
 * and duplicating.
 */
import { type Campaign, type CampaignStats, statusesAllowing } from '../domain/campaign';
import {
  applyPatch,
  campaignFieldsOf,
  campaignPatchSchema,
  copyName,
  duplicateSchema,
  editRefusal,
  withFields,
} from '../domain/campaign-edit';
import type { CampaignListQuery } from '../domain/campaign-view';
import { ConflictError, NotFoundError } from '../domain/errors';
import { newId } from '../domain/ids';
import { parseWith } from '../domain/validation';
import { assertAudienceExists } from './audience-preview';
import { assertCampaignId, type CampaignDeps, parseCampaignInput } from './campaigns';
import { mapWithConcurrency } from './concurrency';
import { resolveCampaignContent } from './templates';

/** Why a marketer's pause is recorded: beside the automatic reasons (provider, SES, reputation). */
export const PAUSED_BY_MARKETER = 'by_marketer';

/** Campaigns of a page read with their stats at once (each one Query and one BatchGet). */
const LIST_READ_CONCURRENCY = 10;

/** A page of campaigns, newest first, each with its stats. */
export async function listCampaigns(
  deps: Pick<CampaignDeps, 'campaigns'>,
  query: CampaignListQuery,
): Promise<{ items: { campaign: Campaign; stats: CampaignStats }[]; cursor?: string }> {
  const page = await deps.campaigns.list(query);
  const found = await mapWithConcurrency(page.ids, LIST_READ_CONCURRENCY, (id) =>
    deps.campaigns.getWithStats(id),
  );
  // The status index lags a transition a little: one that moved on is left to its new status.
  const items = found.filter(
    (entry): entry is { campaign: Campaign; stats: CampaignStats } =>
      entry !== undefined && (!query.status || entry.campaign.status === query.status),
  );
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

async function existing(deps: Pick<CampaignDeps, 'campaigns'>, id: string): Promise<Campaign> {
  assertCampaignId(id);
  const campaign = await deps.campaigns.get(id);
  if (!campaign) throw new NotFoundError(`Campaign ${id} not found`);
  return campaign;
}

/**
 * Edits a scheduled campaign: the patch's fields replace the stored ones (`null` removes an
 * optional one) and the result is checked as a new campaign would be. A new sendAt moves its
 * place in the due index (`null` holds it); one that has come hands it to the dispatcher now.
 * The dispatcher starts a campaign only if its sendAt has come, so a dispatch message sent for
 * the old time starts nothing, and only one start ever wins (a conditional transition).
 * @throws ConflictError (409) with the reason when it is not scheduled, or was edited meanwhile.
 */
export async function updateCampaign(deps: CampaignDeps, id: string, body: unknown): Promise<Campaign> {
  const current = await existing(deps, id);
  if (current.status !== 'scheduled') throw new ConflictError(editRefusal(current));
  const patch = parseWith(campaignPatchSchema, body, 'campaign change');
  const now = deps.now();
  const merged = applyPatch(campaignFieldsOf(current), patch);
  // A stored sendAt that has passed (the campaign is about to start) is only refused if re-given.
  const keepsSendAt = patch.sendAt === undefined && merged.sendAt !== undefined;
  const { sendAt: storedSendAt, ...rest } = merged;
  const input = parseCampaignInput(keepsSendAt ? rest : merged, now);
  if (patch.audience) await assertAudienceExists(deps.audiences, input.audience);
  const sendAt = keepsSendAt ? String(storedSendAt) : input.sendAt && new Date(input.sendAt).toISOString();
  // updatedAt is the edit's version: always later than the one it replaces, so two edits in
  // the same millisecond cannot both pass the store's condition.
  const updatedAt = new Date(Math.max(now.getTime(), Date.parse(current.updatedAt) + 1)).toISOString();
  // A channel's content the patch names is resolved anew (a template's latest version); one it
  // leaves alone keeps what is stored, the template version it was made with included.
  const { content, used } = await resolveCampaignContent(deps.templates, {
    ...(patch.sms && input.sms ? { sms: input.sms } : {}),
    ...(patch.email && input.email ? { email: input.email } : {}),
  });
  const kept = (channel: 'sms' | 'email') =>
    input[channel] === undefined ? undefined : patch[channel] ? content[channel] : current[channel];
  const updated = withFields(
    { ...current, updatedAt },
    {
      ...input,
      sms: kept('sms'),
      email: kept('email'),
      ...(sendAt ? { sendAt } : { sendAt: undefined }),
    },
  );
  for (const templateId of used) await deps.templates?.recordUse(templateId, id);
  if (!(await deps.campaigns.update(stripUndefined(updated), current.updatedAt))) {
    const latest = await deps.campaigns.get(id);
    if (latest && latest.status !== 'scheduled') throw new ConflictError(editRefusal(latest));
    throw new ConflictError(`Campaign ${id} was changed meanwhile; read it again and retry`);
  }
  if (patch.sendAt !== undefined && sendAt && Date.parse(sendAt) <= now.getTime()) {
    await deps.queue.sendDispatch([{ v: 1, campaignId: id, cursor: null }]);
  }
  return stripUndefined(updated);
}

function stripUndefined(campaign: Campaign): Campaign {
  return Object.fromEntries(Object.entries(campaign).filter(([, value]) => value !== undefined)) as Campaign;
}

/**
 * The marketer's pause of a sending campaign: `paused`, `pausedReason: "by_marketer"`. Nothing
 * more of it goes out (senders drop its messages, the dispatch stops at its next page) until
 * `resume`, which continues with no duplicate.
 */
export async function pauseCampaign(
  deps: Pick<CampaignDeps, 'campaigns' | 'now'>,
  id: string,
): Promise<Campaign> {
  assertCampaignId(id);
  const paused = await deps.campaigns.transition(id, 'paused', statusesAllowing('paused'), deps.now(), {
    pausedReason: PAUSED_BY_MARKETER,
  });
  if (paused) return paused;
  const current = await deps.campaigns.get(id);
  if (!current) throw new NotFoundError(`Campaign ${id} not found`);
  const why: Partial<Record<Campaign['status'], string>> = {
    scheduled: 'it has not started; PATCH its sendAt to null to hold it, or to another time to move it',
    paused: `it is already paused (${current.pausedReason ?? 'paused'})`,
  };
  throw new ConflictError(
    `Campaign ${id} cannot be paused: ${why[current.status] ?? `it is ${current.status}`}`,
  );
}

/**
 * A new campaign with the same fields (content, audience, channels, topic) as `id`, in any
 * status. Without a sendAt the copy is held: `scheduled` with no sendAt, it never goes out
 * until a PATCH schedules it. With one, it is scheduled for then.
 */
export async function duplicateCampaign(deps: CampaignDeps, id: string, body: unknown): Promise<Campaign> {
  const source = await existing(deps, id);
  const options = parseWith(duplicateSchema, body ?? {}, 'duplicate');
  const now = deps.now();
  const { sendAt: _sendAt, ...fields } = campaignFieldsOf(source);
  const input = parseCampaignInput(
    {
      ...fields,
      name: options.name ?? copyName(source.name),
      ...(options.sendAt ? { sendAt: options.sendAt } : {}),
    },
    now,
  );
  await assertAudienceExists(deps.audiences, input.audience);
  const { sendAt, ...copied } = input;
  const copy = stripUndefined({
    ...copied,
    // The same content, a template's kept version included.
    sms: input.sms && source.sms,
    email: input.email && source.email,
    id: newId(now.getTime()),
    ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}),
    status: 'scheduled',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  } as Campaign);
  for (const content of [copy.sms, copy.email]) {
    if (content?.template) await deps.templates?.recordUse(content.template.id, copy.id);
  }
  await deps.campaigns.create(copy);
  if (sendAt && Date.parse(sendAt) <= now.getTime()) {
    await deps.queue.sendDispatch([{ v: 1, campaignId: copy.id, cursor: null }]);
  }
  return copy;
}
