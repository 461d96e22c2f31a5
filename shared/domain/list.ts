/**
 * Contact lists: named sets of contacts a campaign can aim at. Membership is spread over
 * shards (each its own DynamoDB partition) so a list of a million never heats one partition.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { contactIdProblem } from './ids';
import { schema } from './mini-validation';

/** List ids are ULIDs made by Chapar. */
export const LIST_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Contacts one POST /v1/lists/{id}/members may add, and as many it may remove. */
export const MAX_MEMBER_CHANGES = 1000;
/**
 * Partitions a list's members are spread over. 16 partitions take 16 × 1,000 writes per
 * second, far above what an import or the API sends, and each shard of a million-member list
 * holds about 62,500 members, read by the dispatcher in parallel.
 */
export const LIST_SHARDS = 16;

export interface ContactList {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** Exact member count (conditional writes: a retried add or remove counts once). */
  readonly members: number;
  readonly createdAt: string;
}

const CONTACT_ID = /^[A-Za-z0-9._:@+-]{1,128}$/;

const contactId = /* @__PURE__ */ schema(() =>
  z.string('must be a contact id').check(
    z.regex(CONTACT_ID, 'must be 1-128 letters, digits or . _ : @ + -'),
    z.refine(
      (id) => contactIdProblem(id) === undefined,
      'must be an opaque contact id, not a phone or email',
    ),
  ),
);

export const listInputSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    name: z
      .string('must be text')
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(200, 'must be at most 200 characters'),
      ),
    description: z.optional(
      z.string('must be text').check(z.trim(), z.maxLength(1000, 'must be at most 1000 characters')),
    ),
  }),
);
export type ListInput = z.output<typeof listInputSchema>;

const memberIds = /* @__PURE__ */ schema(() =>
  z
    .array(contactId, 'must be an array of contact ids')
    .check(z.maxLength(MAX_MEMBER_CHANGES, `may name at most ${MAX_MEMBER_CHANGES} contacts per call`)),
);

export const memberChangesSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({ add: z.optional(memberIds), remove: z.optional(memberIds) }).check(
    z.refine((body) => (body.add?.length ?? 0) + (body.remove?.length ?? 0) > 0, {
      message: 'must add or remove at least one contact',
      path: [],
    }),
    z.refine(
      (body) => {
        const added = new Set(body.add ?? []);
        return !(body.remove ?? []).some((id) => added.has(id));
      },
      { message: 'must not add and remove the same contact', path: ['remove'] },
    ),
  ),
);
export type MemberChanges = z.output<typeof memberChangesSchema>;

/** The shard a contact's membership of any list lives on: stable, spread evenly. */
export function memberShard(contactId: string, shards = LIST_SHARDS): number {
  return createHash('sha256').update(contactId).digest().readUInt32BE(0) % shards;
}
