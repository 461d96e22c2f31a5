/** A contact import: what was asked for, where it stands, and what it counted. */
import * as z from 'zod/mini';
import { CONTACT_ID } from './campaign';
import { IMPORT_FIELDS, type ImportField, type ImportMapping } from './import-headers';
import { schema } from './mini-validation';

export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_STATUSES = ['waiting_upload', 'processing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** The legal ground the marketer relies on for the imported people (kept in their ledger). */
export const CONSENT_BASES = ['implied', 'explicit'] as const;
export type ConsentBasis = (typeof CONSENT_BASES)[number];

/** Files up to 100 MB (10^8 bytes) are imported; a larger upload fails with that reason. */
export const MAX_IMPORT_BYTES = 100 * 1000 * 1000;

/** What the counters of an import hold; `processed` is every data row read so far. */
export interface ImportCounts {
  readonly processed: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly invalid: number;
  readonly duplicatesInFile: number;
}

export const ZERO_COUNTS: ImportCounts = {
  processed: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  invalid: 0,
  duplicatesInFile: 0,
};

export function addCounts(a: ImportCounts, b: ImportCounts): ImportCounts {
  return {
    processed: a.processed + b.processed,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    invalid: a.invalid + b.invalid,
    duplicatesInFile: a.duplicatesInFile + b.duplicatesInFile,
  };
}

export interface ImportJob {
  readonly id: string;
  readonly format: ImportFormat;
  readonly status: ImportStatus;
  readonly listId?: string;
  readonly updateExisting: boolean;
  readonly consent: { readonly basis: ConsentBasis; readonly reference?: string };
  readonly mapping: ImportMapping;
  /** Where the file is uploaded to (object key in the imports bucket). */
  readonly objectKey: string;
  readonly createdAt: string;
  /** Data rows in the file, known once it was validated. */
  readonly rows?: number;
  readonly counts: ImportCounts;
  /** Records read after the header row and saved (invalid and empty ones too): where a resume starts. */
  readonly checkpoint: number;
  /** The file version being imported (its ETag): a replaced upload is not mixed in. */
  readonly etag?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly failureReason?: string;
}

/** The import as GET /v1/imports/{id} shows it. */
export function importView(job: ImportJob) {
  const { processed, ...counts } = job.counts;
  const progress =
    job.status === 'done' ? 1 : job.rows ? Math.min(1, Math.round((processed / job.rows) * 1000) / 1000) : 0;
  return {
    id: job.id,
    format: job.format,
    status: job.status,
    ...(job.listId ? { listId: job.listId } : {}),
    rows: job.rows ?? 0,
    ...counts,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    progress,
    ...(job.failureReason ? { reason: job.failureReason } : {}),
  };
}

const headerName = /* @__PURE__ */ schema(() =>
  z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters')),
);

/** The body of POST /v1/imports. */
export const importRequestSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    format: z.enum(IMPORT_FORMATS, 'must be "csv" or "xlsx"'),
    listId: z.optional(z.string().check(z.regex(CONTACT_ID, 'must be 1-128 letters, digits or . _ : @ + -'))),
    updateExisting: z._default(z.boolean('must be true or false'), true),
    consent: z.strictObject({
      basis: z.enum(CONSENT_BASES, 'must be "implied" or "explicit"'),
      reference: z.optional(
        z
          .string()
          .check(
            z.trim(),
            z.minLength(1, 'must not be empty'),
            z.maxLength(256, 'must be at most 256 characters'),
          ),
      ),
    }),
    mapping: z._default(
      z.partialRecord(z.enum(IMPORT_FIELDS, `keys must be ${IMPORT_FIELDS.join(', ')}`), headerName),
      {},
    ),
  }),
);
export type ImportRequest = z.output<typeof importRequestSchema>;

export type { ImportField };
