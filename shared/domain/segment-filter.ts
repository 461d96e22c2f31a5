/**
 * The segment filter language: a JSON tree of `{all}`, `{any}` and `{not}` over conditions on a
 * contact's fields, its lists, its addresses and its consent, validated by zod and evaluated by
 * a pure function (no store is read here: the caller hands in what the filter needs).
 */
import * as z from 'zod/mini';
import { type ConsentState, isSuppressed } from './consent';
import { type FieldIssue, ValidationError } from './errors';
import { describeIssue, schema } from './mini-validation';
import { CHANNELS, type Channel, type Contact } from './types';

/** How deep `all`/`any`/`not` may nest, and how many nodes a filter may hold in all. */
export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_NODES = 200;
/** Values an `in` condition may list. */
export const MAX_IN_VALUES = 100;
/** Lists a filter may name (each is one membership read per contact). */
export const MAX_FILTER_LISTS = 20;

export const FIELD_OPS = ['eq', 'ne', 'in', 'contains', 'exists', 'gt', 'gte', 'lt', 'lte'] as const;
export type FieldOp = (typeof FIELD_OPS)[number];

/** Top-level fields a condition may name; `attributes.<key>` names an attribute in any script. */
const PLAIN_FIELDS = ['locale', 'name', 'createdAt'] as const;
const ATTRIBUTE_PREFIX = 'attributes.';
const MAX_ATTRIBUTE_KEY = 128;
/** List ids are ULIDs (see shared/domain/list.ts); kept loose here so a filter names any id. */
const LIST_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const TOPIC = /^([a-z][a-z0-9-]{1,39}|\*)$/;

type Scalar = string | number | boolean;

export type FieldCondition =
  | { readonly field: string; readonly op: 'eq' | 'ne'; readonly value: Scalar }
  | { readonly field: string; readonly op: 'in'; readonly value: readonly Scalar[] }
  | { readonly field: string; readonly op: 'contains'; readonly value: string }
  | { readonly field: string; readonly op: 'exists'; readonly value?: boolean }
  | { readonly field: string; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number | string };

export type SegmentFilter =
  | { readonly all: readonly SegmentFilter[] }
  | { readonly any: readonly SegmentFilter[] }
  | { readonly not: SegmentFilter }
  | FieldCondition
  | { readonly inList: string }
  | { readonly notInList: string }
  | { readonly hasPhone: boolean }
  | { readonly hasEmail: boolean }
  | { readonly subscribed: { readonly channel: Channel; readonly topic: string } };

const scalar = /* @__PURE__ */ schema(() =>
  z.union([z.string().check(z.maxLength(1000, 'must be at most 1000 characters')), z.number(), z.boolean()], {
    error: 'must be a string, a number or a boolean',
  }),
);
const bool = /* @__PURE__ */ schema(() => z.boolean('must be true or false'));
const fieldName = /* @__PURE__ */ schema(() =>
  z
    .string()
    .check(
      z.refine(
        (field) =>
          (PLAIN_FIELDS as readonly string[]).includes(field) ||
          (field.startsWith(ATTRIBUTE_PREFIX) &&
            field.length > ATTRIBUTE_PREFIX.length &&
            field.length <= ATTRIBUTE_PREFIX.length + MAX_ATTRIBUTE_KEY &&
            field.trim() === field),
        { message: 'must be locale, name, createdAt or attributes.<key>' },
      ),
    ),
);
const comparable = /* @__PURE__ */ schema(() =>
  z.union(
    [
      z.number(),
      z
        .string()
        .check(z.refine((value) => isoTime(value) !== undefined, 'must be a number or an ISO-8601 date')),
    ],
    {
      error: 'must be a number or an ISO-8601 date',
    },
  ),
);
const listId = /* @__PURE__ */ schema(() =>
  z.string('must be a list id').check(z.regex(LIST_ID, 'must be a list id')),
);

/** One branch per op, so an error names the op's own rule for `value`. */
const field = { kind: z.literal('field'), field: fieldName };
const conditionSchema = /* @__PURE__ */ schema(() =>
  z.discriminatedUnion(
    'op',
    [
      z.strictObject({ ...field, op: z.literal('eq'), value: scalar }),
      z.strictObject({ ...field, op: z.literal('ne'), value: scalar }),
      z.strictObject({
        ...field,
        op: z.literal('in'),
        value: z
          .array(scalar)
          .check(
            z.minLength(1, 'must list at least one value'),
            z.maxLength(MAX_IN_VALUES, `may list at most ${MAX_IN_VALUES} values`),
          ),
      }),
      z.strictObject({
        ...field,
        op: z.literal('contains'),
        value: z
          .string('must be text')
          .check(z.minLength(1, 'must not be empty'), z.maxLength(1000, 'must be at most 1000 characters')),
      }),
      z.strictObject({ ...field, op: z.literal('exists'), value: z.optional(bool) }),
      z.strictObject({ ...field, op: z.literal('gt'), value: comparable }),
      z.strictObject({ ...field, op: z.literal('gte'), value: comparable }),
      z.strictObject({ ...field, op: z.literal('lt'), value: comparable }),
      z.strictObject({ ...field, op: z.literal('lte'), value: comparable }),
    ],
    { error: `must be one of ${FIELD_OPS.join(', ')}` },
  ),
);

/** The key that says what a node is; a node has exactly one of them. */
const NODE_KEYS = [
  'all',
  'any',
  'not',
  'field',
  'inList',
  'notInList',
  'hasPhone',
  'hasEmail',
  'subscribed',
] as const;

const filterSchema: z.ZodMiniType<SegmentFilter> = /* @__PURE__ */ schema(() =>
  z.lazy(() =>
    z.pipe(
      z.pipe(
        z.transform((input: unknown) => withKind(input)),
        z.discriminatedUnion(
          'kind',
          [
            z.strictObject({
              kind: z.literal('all'),
              all: z
                .array(filterSchema, 'must be an array of filters')
                .check(z.minLength(1, 'must hold at least one filter')),
            }),
            z.strictObject({
              kind: z.literal('any'),
              any: z
                .array(filterSchema, 'must be an array of filters')
                .check(z.minLength(1, 'must hold at least one filter')),
            }),
            z.strictObject({ kind: z.literal('not'), not: filterSchema }),
            conditionSchema,
            z.strictObject({ kind: z.literal('inList'), inList: listId }),
            z.strictObject({ kind: z.literal('notInList'), notInList: listId }),
            z.strictObject({ kind: z.literal('hasPhone'), hasPhone: bool }),
            z.strictObject({ kind: z.literal('hasEmail'), hasEmail: bool }),
            z.strictObject({
              kind: z.literal('subscribed'),
              subscribed: z.strictObject(
                {
                  channel: z.enum(CHANNELS, 'must be sms or email'),
                  topic: z
                    .string('must be a topic slug or *')
                    .check(z.regex(TOPIC, 'must be a topic slug or *')),
                },
                'must be {channel, topic}',
              ),
            }),
          ],
          {
            error: `must be an object with exactly one of ${NODE_KEYS.join(', ')}`,
          },
        ),
      ),
      z.transform((node) => {
        if (!node || typeof node !== 'object' || !('kind' in node)) return node as SegmentFilter;
        const { kind: _kind, ...rest } = node as Record<string, unknown>;
        return rest as SegmentFilter;
      }),
    ),
  ),
);

/** Tags a node with the one key that says what it is (none or two: no tag, zod refuses it). */
function withKind(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const present = NODE_KEYS.filter((key) => key in input);
  const kind = present.length === 1 ? present[0] : undefined;
  return kind === undefined ? input : { ...input, kind };
}

/** The depth and node count of a raw filter, and where the first excess sits. */
function sizeProblem(input: unknown): FieldIssue | undefined {
  let nodes = 0;
  const walk = (node: unknown, depth: number, path: (string | number)[]): FieldIssue | undefined => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    nodes += 1;
    const at = path.length > 0 ? path.join('.') : '(filter)';
    if (nodes > MAX_FILTER_NODES)
      return { field: at, message: `a filter may hold at most ${MAX_FILTER_NODES} conditions and groups` };
    if (depth > MAX_FILTER_DEPTH)
      return { field: at, message: `all, any and not may nest at most ${MAX_FILTER_DEPTH} deep` };
    const record = node as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) {
      const children = record[key];
      if (!Array.isArray(children)) continue;
      for (const [index, child] of children.entries()) {
        const problem = walk(child, depth + 1, [...path, key, index]);
        if (problem) return problem;
      }
    }
    return 'not' in record ? walk(record.not, depth + 1, [...path, 'not']) : undefined;
  };
  return walk(input, 1, []);
}

/**
 * Parses a filter, or throws a ValidationError naming the path of each problem, prefixed
 * with `prefix` (the filter's place in the request body, e.g. `filter`).
 */
export function parseSegmentFilter(input: unknown, prefix = 'filter'): SegmentFilter {
  const join = (field: string) => (field === '(filter)' ? prefix : `${prefix}.${field}`);
  const tooBig = sizeProblem(input);
  if (tooBig) {
    const issue = { field: join(tooBig.field), message: tooBig.message };
    throw new ValidationError(`Invalid filter: ${issue.field} ${issue.message}`, [issue]);
  }
  const result = z.safeParse(filterSchema, input);
  if (result.success) {
    const lists = referencedLists(result.data);
    if (lists.length > MAX_FILTER_LISTS) {
      const issue = { field: prefix, message: `may name at most ${MAX_FILTER_LISTS} lists` };
      throw new ValidationError(`Invalid filter: ${prefix} ${issue.message}`, [issue]);
    }
    return result.data;
  }
  const issues: FieldIssue[] = result.error.issues.map((issue) => {
    const described = filterIssue(issue, input);
    return { field: join(described.field), message: described.message };
  });
  throw new ValidationError(
    `Invalid filter: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
    issues,
  );
}

/** A zod issue in the API's words: `kind` is ours, so its problems sit on the node itself. */
function filterIssue(issue: z.core.$ZodIssue, input: unknown): FieldIssue {
  const path = issue.path.at(-1) === 'kind' ? issue.path.slice(0, -1) : issue.path;
  return describeIssue({ ...issue, path } as z.core.$ZodIssue, input, '(filter)');
}

/** The zod schema itself, for composing into request bodies (segments, campaigns). */
export const segmentFilterSchema = filterSchema;

/** What evaluating a filter needs about one contact, besides the contact itself. */
export interface FilterSubject {
  readonly contact: Contact;
  /** Ids of the lists the contact is on (at least those the filter names). */
  readonly lists: ReadonlySet<string>;
  /** The contact's consent states on a channel (at least those the filter's topics need). */
  readonly consent: (channel: Channel) => readonly ConsentState[];
}

/** What a filter reads beyond the contact item: which lists and which channels' consent. */
export interface FilterNeeds {
  readonly lists: readonly string[];
  readonly consent: readonly { readonly channel: Channel; readonly topic: string }[];
}

export function filterNeeds(filter: SegmentFilter): FilterNeeds {
  const consent = new Map<string, { channel: Channel; topic: string }>();
  visit(filter, (node) => {
    if ('subscribed' in node)
      consent.set(`${node.subscribed.channel}#${node.subscribed.topic}`, node.subscribed);
  });
  return { lists: referencedLists(filter), consent: [...consent.values()] };
}

/** Every list id the filter names, once each. */
export function referencedLists(filter: SegmentFilter): string[] {
  const lists = new Set<string>();
  visit(filter, (node) => {
    if ('inList' in node) lists.add(node.inList);
    if ('notInList' in node) lists.add(node.notInList);
  });
  return [...lists];
}

function visit(filter: SegmentFilter, see: (node: SegmentFilter) => void): void {
  see(filter);
  if ('all' in filter) for (const child of filter.all) visit(child, see);
  else if ('any' in filter) for (const child of filter.any) visit(child, see);
  else if ('not' in filter) visit(filter.not, see);
}

/** Whether a contact passes a filter. Pure: everything it reads is in `subject`. */
export function matchesFilter(filter: SegmentFilter, subject: FilterSubject): boolean {
  if ('all' in filter) return filter.all.every((child) => matchesFilter(child, subject));
  if ('any' in filter) return filter.any.some((child) => matchesFilter(child, subject));
  if ('not' in filter) return !matchesFilter(filter.not, subject);
  if ('inList' in filter) return subject.lists.has(filter.inList);
  if ('notInList' in filter) return !subject.lists.has(filter.notInList);
  if ('hasPhone' in filter) return (subject.contact.phone !== undefined) === filter.hasPhone;
  if ('hasEmail' in filter) return (subject.contact.email !== undefined) === filter.hasEmail;
  if ('subscribed' in filter) {
    const { channel, topic } = filter.subscribed;
    return !isSuppressed(subject.consent(channel), topic);
  }
  return matchesCondition(filter, fieldValue(subject.contact, filter.field));
}

function fieldValue(contact: Contact, field: string): Scalar | undefined {
  if (field.startsWith(ATTRIBUTE_PREFIX)) {
    const key = field.slice(ATTRIBUTE_PREFIX.length);
    return Object.hasOwn(contact.attributes, key) ? contact.attributes[key] : undefined;
  }
  if (field === 'locale') return contact.locale;
  if (field === 'name') return contact.name;
  if (field === 'createdAt') return contact.createdAt;
  return undefined;
}

/**
 * One condition on one value. Missing values (and empty strings) match only `ne`, `exists:
 * false` and the negations built with `not`; numbers and ISO dates compare as such, whether the
 * contact holds them as numbers or as text (an import stores `"1500"` or `"۱۵۰۰"`).
 */
function matchesCondition(condition: FieldCondition, actual: Scalar | undefined): boolean {
  const present = actual !== undefined && actual !== '';
  switch (condition.op) {
    case 'exists':
      return present === (condition.value ?? true);
    case 'eq':
      return present && same(actual, condition.value);
    case 'ne':
      return !present || !same(actual, condition.value);
    case 'in':
      return present && condition.value.some((value) => same(actual, value));
    case 'contains':
      return present && foldText(String(actual)).includes(foldText(condition.value));
    default: {
      if (!present) return false;
      const order = compare(actual, condition.value);
      if (order === undefined) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

function same(actual: Scalar, expected: Scalar): boolean {
  if (typeof expected === 'boolean')
    return actual === expected || String(actual).toLowerCase() === String(expected);
  if (typeof expected === 'number') return asNumber(actual) === expected;
  if (typeof actual === 'number') return asNumber(expected) === actual;
  const times = [isoTime(String(actual)), isoTime(expected)];
  if (times[0] !== undefined && times[1] !== undefined) return times[0] === times[1];
  return foldText(String(actual)) === foldText(expected);
}

/** The sign of actual − expected, or undefined when they cannot be compared. */
function compare(actual: Scalar, expected: number | string): number | undefined {
  if (typeof expected === 'number') {
    const number = asNumber(actual);
    return number === undefined ? undefined : Math.sign(number - expected);
  }
  const [left, right] = [typeof actual === 'string' ? isoTime(actual) : undefined, isoTime(expected)];
  return left === undefined || right === undefined ? undefined : Math.sign(left - right);
}

const PERSIAN_DIGITS = /[۰-۹]/g;
const ARABIC_DIGITS = /[٠-٩]/g;
const NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

/** A number, or text that is one (Persian and Arabic-Indic digits, thousands separators). */
export function asNumber(value: Scalar): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const latin = value
    .trim()
    .replace(PERSIAN_DIGITS, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(ARABIC_DIGITS, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[,٬]/g, '')
    .replace('٫', '.');
  return NUMBER.test(latin) ? Number(latin) : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds of an ISO-8601 date or date-time (a bare date is midnight UTC). */
export function isoTime(value: string): number | undefined {
  if (!ISO_DATE.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Text as compared: Unicode NFC, case folded, Arabic yeh and kaf read as their Persian
 * letters (both are typed for the same word), spaces trimmed.
 */
function foldText(text: string): string {
  return text.normalize('NFC').replace(/ي/g, 'ی').replace(/ى/g, 'ی').replace(/ك/g, 'ک').trim().toLowerCase();
}

/** A saved filter. */
export interface Segment {
  readonly id: string;
  readonly name: string;
  readonly filter: SegmentFilter;
  readonly createdAt: string;
}

const segmentName = /* @__PURE__ */ schema(() =>
  z
    .string('must be text')
    .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters')),
);

/** The body of POST /v1/segments: the filter is checked by {@link parseSegmentFilter}. */
export const segmentInputSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({ name: segmentName, filter: z.unknown() }),
);
