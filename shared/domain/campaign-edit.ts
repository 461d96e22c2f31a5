import * as z from 'zod/mini';
import { type Campaign, campaignFieldsSchema } from './campaign';
import { schema } from './mini-validation';
import './zod-english';

/** The names of the fields a marketer writes (those of the create schema). */
export const CAMPAIGN_FIELDS = Object.keys(campaignFieldsSchema.shape) as (keyof Campaign &
  keyof typeof campaignFieldsSchema.shape)[];

const nullableFields = Object.fromEntries(
  Object.entries(campaignFieldsSchema.shape).map(([name, schema]) => [name, z.optional(z.nullable(schema))]),
) as {
  [K in keyof typeof campaignFieldsSchema.shape]: z.ZodMiniOptional<
    z.ZodMiniNullable<(typeof campaignFieldsSchema.shape)[K]>
  >;
};

/**
 * A PATCH of a scheduled campaign, JSON Merge Patch style (RFC 7396): every field of the create
 * schema, each optional; `null` removes an optional one (`sendAt: null` holds the campaign,
 * `sms: null` with `channels: ["email"]` drops its SMS). The campaign it makes is then checked
 * whole, by the create schema's own rules.
 */
export const campaignPatchSchema = /* @__PURE__ */ schema(() =>
  z.strictObject(nullableFields).check(
    z.refine((patch) => Object.keys(patch).length > 0, {
      message: `must change at least one of ${CAMPAIGN_FIELDS.join(', ')}`,
      path: [],
    }),
  ),
);
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

/**
 * The fields of a stored campaign, as the create schema would take them: content made from a
 * template is named by its `templateId` (the stored copy of its version is the campaign's own).
 */
export function campaignFieldsOf(campaign: Campaign): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of CAMPAIGN_FIELDS) {
    if (campaign[name] !== undefined) fields[name] = campaign[name];
  }
  if (campaign.sms) {
    fields.sms = campaign.sms.template
      ? { templateId: campaign.sms.template.id }
      : { text: campaign.sms.text };
  }
  if (campaign.email) {
    const { subject, html, text, template } = campaign.email;
    fields.email = template
      ? { templateId: template.id }
      : { subject, html, ...(text === undefined ? {} : { text }) };
  }
  return fields;
}

/** The fields with the patch applied: a value replaces, `null` removes. */
export function applyPatch(fields: Record<string, unknown>, patch: CampaignPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...fields };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged;
}

/** `campaign` with its writable fields replaced by `fields` (those absent removed). */
export function withFields(campaign: Campaign, fields: Record<string, unknown>): Campaign {
  const kept: Record<string, unknown> = { ...campaign };
  for (const name of CAMPAIGN_FIELDS) delete kept[name];
  return { ...kept, ...fields } as unknown as Campaign;
}

export const MAX_CAMPAIGN_NAME = 200;

/** A copy's default name: the source's with « (copy)», within the name's limit. */
export function copyName(name: string): string {
  const suffix = ' (copy)';
  return `${name.slice(0, MAX_CAMPAIGN_NAME - suffix.length)}${suffix}`;
}

/** `POST /v1/campaigns/{id}/duplicate`: an optional new name, and a sendAt to schedule it at once. */
export const duplicateSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    name: z.optional(campaignFieldsSchema.shape.name),
    sendAt: z.optional(campaignFieldsSchema.shape.sendAt),
  }),
);
export type DuplicateInput = z.infer<typeof duplicateSchema>;

/** Why a campaign in `status` cannot be edited, in words a marketer reads in a 409. */
export function editRefusal(campaign: Pick<Campaign, 'id' | 'status'>): string {
  const reasons: Record<Campaign['status'], string> = {
    scheduled: '',
    sending: 'it is already sending; pause or cancel it, or duplicate it and edit the copy',
    paused: 'it has started sending (it is paused); resume or cancel it, or duplicate it and edit the copy',
    sent: 'it has been sent; duplicate it to send it again',
    cancelled: 'it was cancelled; duplicate it to send it again',
  };
  return `Campaign ${campaign.id} cannot be edited: ${reasons[campaign.status]}`;
}
