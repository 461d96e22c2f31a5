/** What the import routes answer. */
import * as z from 'zod/mini';
import { IMPORT_FORMATS, IMPORT_STATUSES } from '../../domain/import-job';
import { isoTime, named } from './common';

const count = z.number().check(z.int(), z.nonnegative());

export const importCreatedSchema = z.object({
  id: z.string(),
  uploadUrl: z.url(),
  expiresAt: isoTime,
});

export const importSchema = named(
  z.object({
    id: z.string(),
    format: z.enum(IMPORT_FORMATS),
    status: z.enum(IMPORT_STATUSES),
    listId: z.optional(z.string()),
    rows: count,
    created: count,
    updated: count,
    unchanged: count,
    invalid: count,
    duplicatesInFile: count,
    startedAt: z.nullable(isoTime),
    finishedAt: z.nullable(isoTime),
    progress: z.number().check(z.gte(0), z.lte(1)),
    reason: z.optional(z.string()),
  }),
  'Import',
  'An import and its counts, updated after every chunk of 200 rows.',
);
