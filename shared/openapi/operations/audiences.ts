/** The list and segment routes: who a campaign can aim at. */
import * as z from 'zod/mini';
import { listInputSchema, memberChangesSchema } from '../../domain/list';
import { parseMini } from '../../domain/mini-validation';
import { parseSegmentFilter, segmentInputSchema } from '../../domain/segment-filter';
import {
  listPageSchema,
  listSchema,
  memberChangeResultSchema,
  memberPageSchema,
  segmentFilterSchema,
  segmentPageSchema,
  segmentPreviewSchema,
  segmentSchema,
} from '../schemas/audiences';
import { pageQuery } from '../schemas/common';
import type { OperationDoc } from '../types';

const LIST_ID = 'The list id (a ULID Chapar made).';
const SEGMENT_ID = 'The segment id (a ULID Chapar made).';

const list = {
  id: '01JEC0Y7B3D5F7H9K1M3P5R7T9',
  name: 'مشتریان وفادار',
  description: 'خریدهای بیش از یک میلیون ریال',
  members: 1250,
  createdAt: '2026-11-20T08:00:00.000Z',
} as const;

const filter = {
  all: [
    { field: 'attributes.شهر', op: 'eq', value: 'تهران' },
    { field: 'attributes.spent', op: 'gte', value: 1000000 },
    { notInList: '01JEC0Y7B3D5F7H9K1M3P5R7T9' },
    { subscribed: { channel: 'sms', topic: 'promotions' } },
  ],
} as const;

const segment = {
  id: '01JEC0YZ9X8W7V6T5S4R3Q2P1N',
  name: 'تهرانی‌های پرخرید',
  filter,
  createdAt: '2026-11-21T08:00:00.000Z',
};

/** A segment body as POST /v1/segments reads it: the schema, then the filter's own parser. */
const segmentRequestSchema = z.strictObject({
  name: segmentInputSchema.shape.name,
  filter: segmentFilterSchema,
});

export const audienceOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/lists',
    operationId: 'createList',
    summary: 'Create a contact list',
    tags: ['lists'],
    auth: 'bearer',
    request: { schema: listInputSchema, example: { name: list.name, description: list.description } },
    responses: {
      201: { description: 'The new, empty list.', schema: listSchema, example: { ...list, members: 0 } },
    },
  },
  {
    method: 'GET',
    path: '/v1/lists',
    operationId: 'listLists',
    summary: 'Page through lists',
    tags: ['lists'],
    auth: 'bearer',
    query: pageQuery,
    responses: {
      200: {
        description: 'A page of lists (at most 100).',
        schema: listPageSchema,
        example: { items: [list] },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/lists/{listId}',
    operationId: 'getList',
    summary: 'A list with its exact member count',
    tags: ['lists'],
    auth: 'bearer',
    pathParameters: { listId: LIST_ID },
    responses: {
      200: { description: 'The list.', schema: listSchema, example: list },
      404: { description: 'No such list.' },
    },
  },
  {
    method: 'DELETE',
    path: '/v1/lists/{listId}',
    operationId: 'deleteList',
    summary: 'Delete a list',
    description: 'The list is gone at once (404 afterwards); its members are purged in the request.',
    tags: ['lists'],
    auth: 'bearer',
    pathParameters: { listId: LIST_ID },
    responses: { 204: { description: 'Deleted.' }, 404: { description: 'No such list.' } },
  },
  {
    method: 'POST',
    path: '/v1/lists/{listId}/members',
    operationId: 'changeListMembers',
    summary: 'Add and remove members (at most 1,000 each)',
    description:
      'Only existing contacts are added; a member added twice or a non-member removed changes nothing, so a retried call keeps the count exact.',
    tags: ['lists'],
    auth: 'bearer',
    pathParameters: { listId: LIST_ID },
    request: { schema: memberChangesSchema, example: { add: ['c1', 'c2', 'shop:42'], remove: ['c9'] } },
    responses: {
      200: {
        description: 'What changed and the count after it.',
        schema: memberChangeResultSchema,
        example: { added: 2, removed: 1, members: 1251, unknownContacts: ['shop:42'] },
      },
      404: { description: 'No such list.' },
    },
  },
  {
    method: 'GET',
    path: '/v1/lists/{listId}/members',
    operationId: 'listListMembers',
    summary: 'Page through the contact ids on a list',
    tags: ['lists'],
    auth: 'bearer',
    pathParameters: { listId: LIST_ID },
    query: pageQuery,
    responses: {
      200: {
        description: 'A page of contact ids.',
        schema: memberPageSchema,
        example: { items: ['c1', 'c2'], cursor: 'eyJrIjoiYzIifQ' },
      },
      404: { description: 'No such list.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/segments',
    operationId: 'createSegment',
    summary: 'Save a filter as a segment',
    description: 'A list the filter names must exist. A bad filter is a 400 naming the path of each problem.',
    tags: ['segments'],
    auth: 'bearer',
    request: {
      schema: segmentRequestSchema,
      example: { name: segment.name, filter },
      check: (body) => parseSegmentFilter(parseMini(segmentInputSchema, body, 'segment').filter),
    },
    responses: { 201: { description: 'The segment.', schema: segmentSchema, example: segment } },
  },
  {
    method: 'GET',
    path: '/v1/segments',
    operationId: 'listSegments',
    summary: 'Page through segments',
    tags: ['segments'],
    auth: 'bearer',
    query: pageQuery,
    responses: {
      200: { description: 'A page of segments.', schema: segmentPageSchema, example: { items: [segment] } },
    },
  },
  {
    method: 'GET',
    path: '/v1/segments/{segmentId}',
    operationId: 'getSegment',
    summary: 'A segment',
    tags: ['segments'],
    auth: 'bearer',
    pathParameters: { segmentId: SEGMENT_ID },
    responses: {
      200: { description: 'The segment.', schema: segmentSchema, example: segment },
      404: { description: 'No such segment.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/segments/preview',
    operationId: 'previewSegment',
    summary: 'Count the contacts a filter picks, nothing stored',
    description: 'Reads at most 10,000 contacts; beyond that `complete` is false and `count` a lower bound.',
    tags: ['segments'],
    auth: 'bearer',
    request: {
      schema: z.strictObject({ filter: segmentFilterSchema }),
      example: { filter: { any: [{ hasEmail: true }, { field: 'locale', op: 'eq', value: 'en' }] } },
      check: (body) => parseSegmentFilter((body as { filter: unknown }).filter),
    },
    responses: {
      200: {
        description: 'The count, a sample of up to 10, how many were read.',
        schema: segmentPreviewSchema,
        example: {
          count: 1,
          sample: [
            {
              id: 'c1',
              email: 'sara@example.com',
              locale: 'fa',
              attributes: {},
              createdAt: '2026-12-01T09:30:00.000Z',
              updatedAt: '2026-12-01T09:30:00.000Z',
            },
          ],
          scanned: 3,
          complete: true,
        },
      },
    },
  },
];
