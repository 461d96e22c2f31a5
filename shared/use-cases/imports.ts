/**
 * The API side of contact imports: create one with its presigned upload URL, follow it, and
 * read its invalid rows as CSV. Running the import is import-contacts.ts (the file readers
 * stay out of the API's bundle).
 */
import * as z from 'zod/mini';
import { type FieldIssue, NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import { type ImportJob, importRequestSchema, ZERO_COUNTS } from '../domain/import-job';
import type { ImportFiles, ImportStore, ListMembership } from '../ports';

/** Upload URLs are valid this long. */
export const UPLOAD_URL_SECONDS = 3600;
const IMPORT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface CreateImportDeps {
  readonly imports: ImportStore;
  readonly files: ImportFiles;
  /** The lists an import may fill (`listId`). */
  readonly lists: ListMembership;
  readonly now: () => Date;
}

function parseRequest(body: unknown) {
  const result = z.safeParse(importRequestSchema, body);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));
  throw new ValidationError(
    `Invalid import: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}`,
    issues,
  );
}

/** Creates a waiting import and the URL its file is PUT to. */
export async function createImport(
  deps: CreateImportDeps,
  body: unknown,
): Promise<{ id: string; uploadUrl: string; expiresAt: string }> {
  const request = parseRequest(body);
  if (request.listId !== undefined) {
    if (!(await deps.lists.exists(request.listId))) {
      throw new ValidationError(`Invalid import: listId names no list (${request.listId})`, [
        { field: 'listId', message: 'names no list' },
      ]);
    }
  }
  const now = deps.now();
  const id = newId(now.getTime());
  const job: ImportJob = {
    id,
    format: request.format,
    status: 'waiting_upload',
    ...(request.listId ? { listId: request.listId } : {}),
    updateExisting: request.updateExisting,
    consent: {
      basis: request.consent.basis,
      ...(request.consent.reference ? { reference: request.consent.reference } : {}),
    },
    mapping: request.mapping,
    objectKey: `uploads/${id}.${request.format}`,
    createdAt: now.toISOString(),
    counts: ZERO_COUNTS,
    checkpoint: 0,
  };
  await deps.imports.create(job);
  const uploadUrl = await deps.files.uploadUrl(job.objectKey, UPLOAD_URL_SECONDS);
  return { id, uploadUrl, expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString() };
}

/** @throws NotFoundError for an unknown or malformed id. */
export async function getImport(deps: { imports: ImportStore }, id: string): Promise<ImportJob> {
  const job = IMPORT_ID.test(id) ? await deps.imports.get(id) : undefined;
  if (!job) throw new NotFoundError(`Import ${id} not found`);
  return job;
}

const CSV_ROWS_PER_ANSWER = 10_000;

function csvField(value: string | number): string {
  let text = String(value);
  // A spreadsheet would run a cell that starts like a formula: keep it text.
  if (/^[=@\t\r]/.test(text) || /^[+-].*[^\d\s().+-]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The invalid rows of an import as CSV (line, column, value as written, reason), a page at a time. */
export async function importErrorsCsv(
  deps: { imports: ImportStore },
  id: string,
  cursor?: string,
): Promise<{ csv: string; cursor?: string }> {
  await getImport(deps, id);
  const lines = ['line,column,value,reason'];
  let next = cursor;
  let count = 0;
  do {
    const page = await deps.imports.problems(id, {
      cursor: next,
      limit: Math.min(1000, CSV_ROWS_PER_ANSWER - count),
    });
    for (const problem of page.items) {
      lines.push([problem.line, problem.column, problem.value, problem.reason].map(csvField).join(','));
    }
    count += page.items.length;
    next = page.cursor;
  } while (next && count < CSV_ROWS_PER_ANSWER);
  return { csv: `\ufeff${lines.join('\r\n')}\r\n`, ...(next ? { cursor: next } : {}) };
}
