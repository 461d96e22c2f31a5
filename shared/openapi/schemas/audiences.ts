/**
 * Lists and segments as the contract states them. The segment filter is checked by
 * `parseSegmentFilter` (its zod schema tags each node internally); {@link segmentFilterSchema}
 * here is the same language as clients write it, and every example also passes the parser.
 */
import * as z from 'zod/mini';
import { LIST_ID } from '../../domain/list';
import { FIELD_OPS, MAX_IN_VALUES, type SegmentFilter } from '../../domain/segment-filter';
import { CHANNELS } from '../../domain/types';
import { isoTime, named, pageOf } from './common';
import { contactSchema } from './contacts';

export const listSchema = named(
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.optional(z.string()),
    members: z.number().check(z.int()),
    createdAt: isoTime,
  }),
  'List',
  'A contact list with its exact member count.',
);

export const listPageSchema = named(pageOf(listSchema), 'ListPage');

export const memberChangeResultSchema = z.object({
  added: z.number().check(z.int()),
  removed: z.number().check(z.int()),
  members: z.number().check(z.int()),
  unknownContacts: z.array(z.string()),
});

export const memberPageSchema = z.object({ items: z.array(z.string()), cursor: z.optional(z.string()) });

const scalar = z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean()]);
const comparable = z.union([z.number(), z.string()]);
const field = z.string();
const listId = z.string().check(z.regex(LIST_ID));

const condition = z.union([
  z.strictObject({ field, op: z.enum(['eq', 'ne']), value: scalar }),
  z.strictObject({
    field,
    op: z.literal('in'),
    value: z.array(scalar).check(z.minLength(1), z.maxLength(MAX_IN_VALUES)),
  }),
  z.strictObject({
    field,
    op: z.literal('contains'),
    value: z.string().check(z.minLength(1), z.maxLength(1000)),
  }),
  z.strictObject({ field, op: z.literal('exists'), value: z.optional(z.boolean()) }),
  z.strictObject({ field, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: comparable }),
]);

/** The filter language as written (README "Segment filters"): one key per node. */
export const segmentFilterSchema: z.ZodMiniType<SegmentFilter> = named(
  z.lazy(() =>
    z.union([
      z.strictObject({ all: z.array(segmentFilterSchema).check(z.minLength(1)) }),
      z.strictObject({ any: z.array(segmentFilterSchema).check(z.minLength(1)) }),
      z.strictObject({ not: segmentFilterSchema }),
      condition,
      z.strictObject({ inList: listId }),
      z.strictObject({ notInList: listId }),
      z.strictObject({ hasPhone: z.boolean() }),
      z.strictObject({ hasEmail: z.boolean() }),
      z.strictObject({
        subscribed: z.strictObject({ channel: z.enum(CHANNELS), topic: z.string() }),
      }),
    ]),
  ),
  'SegmentFilter',
  `A group ({all}, {any}, {not}), a condition {field, op, value?} (op: ${FIELD_OPS.join(', ')}; field: locale, name, createdAt or attributes.<key>), a membership ({inList}, {notInList}), an address ({hasPhone}, {hasEmail}) or a consent test ({subscribed: {channel, topic}}); at most 8 deep, 200 nodes and 20 lists.`,
);

export const segmentSchema = named(
  z.object({ id: z.string(), name: z.string(), filter: segmentFilterSchema, createdAt: isoTime }),
  'Segment',
  'A saved filter.',
);

export const segmentPageSchema = named(pageOf(segmentSchema), 'SegmentPage');

export const segmentPreviewSchema = z.object({
  count: z.number().check(z.int()),
  sample: z.array(contactSchema),
  scanned: z.number().check(z.int()),
  complete: z.boolean(),
});
