import type { Campaign, CampaignInput, CampaignStatus } from '../domain/campaign';
import { ConfigError, ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { PageRequest } from '../domain/paging';
import {
  type EmailVariant,
  MAX_TEMPLATE_VERSION,
  parseTemplateInput,
  pickVariant,
  type SmsVariant,
  TEMPLATE_ID,
  type Template,
  type TemplateSummary,
  type TemplateUse,
} from '../domain/template';
import type { Locale } from '../domain/types';
import type { CampaignStore, TemplateStore } from '../ports';
import { mapWithConcurrency } from './concurrency';

export interface TemplateDeps {
  readonly templates: TemplateStore;
  readonly now: () => Date;
}

function assertTemplateId(id: string): void {
  if (!TEMPLATE_ID.test(id)) throw new NotFoundError(`Template ${id.slice(0, 40)} not found`);
}

/** Creates a template at version 1. */
export async function createTemplate(deps: TemplateDeps, body: unknown): Promise<Template> {
  const input = parseTemplateInput(body);
  const now = deps.now().toISOString();
  const template = {
    id: newId(deps.now().getTime()),
    ...input,
    version: 1,
    createdAt: now,
    updatedAt: now,
  } as Template;
  await deps.templates.create(template);
  return template;
}

/**
 * The template's latest version, or `version`: what another area (transactional messages)
 * renders from. Campaigns keep their own copy instead.
 * @throws NotFoundError when the template, or that version, does not exist.
 */
export async function resolveTemplate(store: TemplateStore, id: string, version?: number): Promise<Template> {
  assertTemplateId(id);
  const template = await store.get(id, version);
  if (!template) {
    throw new NotFoundError(
      version === undefined ? `Template ${id} not found` : `Template ${id} has no version ${version}`,
    );
  }
  return template;
}

export async function listTemplates(
  deps: Pick<TemplateDeps, 'templates'>,
  page: PageRequest,
): Promise<{ items: TemplateSummary[]; cursor?: string }> {
  return deps.templates.list(page);
}

/**
 * Writes a new version: the body is a whole template (`channel`, when given, must stay the
 * same). Campaigns made from an earlier version keep theirs.
 */
export async function updateTemplate(deps: TemplateDeps, id: string, body: unknown): Promise<Template> {
  const current = await resolveTemplate(deps.templates, id);
  const withChannel =
    body && typeof body === 'object' && !Array.isArray(body) && !('channel' in body)
      ? { ...body, channel: current.channel }
      : body;
  const input = parseTemplateInput(withChannel);
  if (input.channel !== current.channel) {
    throw new ValidationError(`Invalid template: channel is ${current.channel} and cannot change`, [
      { field: 'channel', message: `is ${current.channel} and cannot change; create another template` },
    ]);
  }
  if (current.version >= MAX_TEMPLATE_VERSION) {
    throw new ConflictError(`Template ${id} has reached ${MAX_TEMPLATE_VERSION} versions; create another`);
  }
  const template = {
    ...input,
    id,
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: deps.now().toISOString(),
  } as Template;
  await deps.templates.putVersion(template);
  return template;
}

/** Statuses in which a campaign may still send: its template may not be deleted then. */
const ACTIVE: readonly CampaignStatus[] = ['scheduled', 'sending', 'paused'];
const USE_READS = 16;

/**
 * Deletes a template and every version, unless a campaign that may still send (scheduled,
 * sending or paused) was made from it: then 409 naming them. The uses recorded at campaign
 * creation are read with their campaigns' statuses, so a campaign that ended or was cancelled
 * no longer holds the template, with no hook on those moves. A campaign keeps its own copy, so
 * one created while a delete runs still sends what it was created with.
 */
export async function deleteTemplate(
  deps: TemplateDeps & { readonly campaigns: Pick<CampaignStore, 'get'> },
  id: string,
): Promise<void> {
  assertTemplateId(id);
  if (!(await deps.templates.get(id))) throw new NotFoundError(`Template ${id} not found`);
  const uses = await deps.templates.uses(id);
  const campaigns = await mapWithConcurrency(uses, USE_READS, (campaignId) => deps.campaigns.get(campaignId));
  const active = campaigns.filter(
    (campaign): campaign is Campaign => campaign !== undefined && ACTIVE.includes(campaign.status),
  );
  if (active.length > 0) {
    const named = active.slice(0, 10).map((campaign) => `${campaign.id} (${campaign.status})`);
    throw new ConflictError(
      `Template ${id} is used by ${active.length} campaign(s) that may still send: ${named.join(', ')}; cancel them or wait until they are sent`,
      { context: { campaignIds: active.map((campaign) => campaign.id) } },
    );
  }
  await deps.templates.delete(id);
}

/** A campaign's content with each template resolved into the copy the campaign keeps. */
export type CampaignContent = Pick<Campaign, 'sms' | 'email'>;

/**
 * Resolves `sms.templateId` / `email.templateId` of a campaign body into the content the
 * campaign stores: the template's first variant (fa, else en) in place, and the copy of the
 * latest version under `template`. Inline content passes as it is.
 * @throws ValidationError when a template does not exist or is of the other channel.
 */
export async function resolveCampaignContent(
  templates: TemplateStore | undefined,
  input: Pick<CampaignInput, 'sms' | 'email'>,
): Promise<{ content: CampaignContent; used: string[] }> {
  const used: string[] = [];
  const load = async (channel: 'sms' | 'email', id: string): Promise<Template> => {
    if (!templates) throw new ConfigError('Templates are not wired to this function');
    const template = TEMPLATE_ID.test(id) ? await templates.get(id) : undefined;
    if (!template) {
      throw new ValidationError(`Invalid campaign: ${channel}.templateId names no template`, [
        { field: `${channel}.templateId`, message: 'names no template' },
      ]);
    }
    if (template.channel !== channel) {
      throw new ValidationError(
        `Invalid campaign: ${channel}.templateId names an ${template.channel} template`,
        [
          {
            field: `${channel}.templateId`,
            message: `names a template for ${template.channel}, not for ${channel}`,
          },
        ],
      );
    }
    used.push(template.id);
    return template;
  };
  let sms: Campaign['sms'];
  if (input.sms?.templateId !== undefined) {
    const template = await load('sms', input.sms.templateId);
    const copy = templateUse<SmsVariant>(template);
    sms = { ...pickVariant(copy.variants, 'fa').variant, template: copy };
  } else if (input.sms?.text !== undefined) {
    sms = { text: input.sms.text };
  }
  let email: Campaign['email'];
  if (input.email?.templateId !== undefined) {
    const template = await load('email', input.email.templateId);
    const copy = templateUse<EmailVariant>(template);
    email = { ...pickVariant(copy.variants, 'fa').variant, template: copy };
  } else if (input.email?.subject !== undefined && input.email.html !== undefined) {
    const { subject, html, text } = input.email;
    email = { subject, html, ...(text === undefined ? {} : { text }) };
  }
  return { content: { ...(sms ? { sms } : {}), ...(email ? { email } : {}) }, used };
}

function templateUse<V>(template: Template): TemplateUse<V> {
  return {
    id: template.id,
    version: template.version,
    variants: template.variants as TemplateUse<V>['variants'],
  };
}

/** A template's variant for `locale` (or the other), and the locale it is in. */
export function templateVariant(
  template: Template,
  locale: Locale,
): { variant: SmsVariant | EmailVariant; locale: Locale } {
  return pickVariant<SmsVariant | EmailVariant>(template.variants, locale);
}
