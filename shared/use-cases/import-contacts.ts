/**
 * Contact imports: POST /v1/imports creates one and hands out a presigned upload URL; the
 * upload's S3 event starts {@link runImport}, which validates the whole file before writing
 * anything, then imports it chunk by chunk from a saved checkpoint, across invocations.
 *
 * Exactly once, whatever SQS redelivers: each row's contact write stamps the contact with
 * `<importId>#<line>#<outcome>`, so a row read again finds its own stamp and counts the same
 * outcome without writing; a new contact of a row without id gets an id derived from import
 * and line, so a re-run cannot create a second one; ledger notes have ids fixed by import and
 * channel and are written before their contact; and a chunk's counters move with its
 * checkpoint in one conditional write.
 */
import { createHash } from 'node:crypto';
import type { ConsentEvent, ImportConsentEvidence } from '../domain/consent';
import { NotFoundError } from '../domain/errors';
import { type ColumnPlan, planColumns } from '../domain/import-headers';
import {
  addCounts,
  type ImportCounts,
  type ImportJob,
  MAX_IMPORT_BYTES,
  ZERO_COUNTS,
} from '../domain/import-job';
import { type FileRecord, ImportFileError, readImportFile } from '../domain/import-reader';
import { type ImportRow, type RowProblem, readRow } from '../domain/import-row';
import { ALL_TOPICS, type Channel, type Contact, type ContactFields } from '../domain/types';
import type {
  ContactMatcher,
  ImportedContactWriter,
  ImportFiles,
  ImportQueue,
  ImportStore,
  ListMembership,
} from '../ports';
import { honourTombstones, type TombstoneDeps, tombstoneHashes } from './contact-consent';

const IMPORT_ID_IN_KEY = /^uploads\/([0-9A-HJKMNP-TV-Z]{26})\.(csv|xlsx)$/;

/** What running an import needs. */
export interface RunImportDeps extends TombstoneDeps {
  readonly imports: ImportStore;
  readonly files: ImportFiles;
  readonly writer: ImportedContactWriter;
  readonly matcher: ContactMatcher;
  readonly queue: ImportQueue;
  readonly lists?: ListMembership;
  /** Records per chunk: one checkpoint each. Default 200. */
  readonly chunkSize?: number;
  /** Rows written at once. Default 16. */
  readonly concurrency?: number;
}

/** What started an invocation: an upload (S3 event) or the import's own continuation. */
export type ImportTrigger =
  | { readonly kind: 'upload'; readonly key: string; readonly etag?: string }
  | { readonly kind: 'continue'; readonly importId: string };

export type RunOutcome = 'ignored' | 'failed' | 'done' | 'continued' | 'yielded';

/** The import id an upload key names (`uploads/<id>.<format>`). */
export function importIdOfKey(key: string): string | undefined {
  return IMPORT_ID_IN_KEY.exec(key)?.[1];
}

/**
 * Runs an import from an upload event or a continuation until it is done, failed, or
 * `timeLeft()` falls under `reserveMs`: then it queues its own continuation.
 */
export async function runImport(
  deps: RunImportDeps,
  trigger: ImportTrigger,
  timeLeft: () => number,
  reserveMs = 60_000,
): Promise<RunOutcome> {
  const id = trigger.kind === 'continue' ? trigger.importId : importIdOfKey(trigger.key);
  if (!id) return 'ignored';
  let job = await deps.imports.get(id);
  if (!job) return 'ignored';
  if (job.status === 'waiting_upload') {
    const started = await startImport(deps, job);
    if (started === 'failed') return 'failed';
    job = started ?? (await deps.imports.get(id));
    if (!job) return 'ignored';
  }
  if (job.status !== 'processing') return 'ignored';
  return continueImport(deps, job, timeLeft, reserveMs);
}

/** Validates the whole file (readable, a phone or email column), then marks the import processing. */
async function startImport(deps: RunImportDeps, job: ImportJob): Promise<ImportJob | 'failed' | undefined> {
  const head = await deps.files.head(job.objectKey);
  if (!head) return undefined;
  const fail = async (reason: string) => {
    await deps.imports.fail(job.id, reason, deps.now());
    return 'failed' as const;
  };
  if (head.size > MAX_IMPORT_BYTES)
    return fail(`the file has ${head.size} bytes; at most ${MAX_IMPORT_BYTES} (100 MB) are imported`);
  let rows = 0;
  try {
    let plan: ColumnPlan | undefined;
    for await (const record of readImportFile(await deps.files.open(job.objectKey, head.etag), job.format)) {
      if (!plan) {
        const planned = planColumns(
          record.cells.map((cell) => (cell == null ? '' : String(cell))),
          job.mapping,
        );
        if (!planned.ok) return fail(planned.reason);
        plan = planned.plan;
      } else if (readRow(record.cells, plan, record.line).kind !== 'empty') rows += 1;
    }
    if (!plan) return fail('the file has no header row');
  } catch (error) {
    if (error instanceof ImportFileError) return fail(error.message);
    throw error;
  }
  return deps.imports.start(job.id, { rows, etag: head.etag }, deps.now());
}

async function continueImport(
  deps: RunImportDeps,
  job: ImportJob,
  timeLeft: () => number,
  reserveMs: number,
): Promise<RunOutcome> {
  const chunkSize = deps.chunkSize ?? 200;
  let records: AsyncGenerator<FileRecord>;
  try {
    records = readImportFile(await deps.files.open(job.objectKey, job.etag ?? ''), job.format);
  } catch (error) {
    if ((error as Error).name === 'PreconditionFailed' || (error as Error).name === 'NoSuchKey') {
      await deps.imports.fail(job.id, 'the file was replaced or removed while it was imported', deps.now());
      return 'failed';
    }
    throw error;
  }
  let plan: ColumnPlan | undefined;
  let position = 0;
  let checkpoint = job.checkpoint;
  let batch: FileRecord[] = [];
  const flush = async (): Promise<boolean> => {
    if (!plan) return true;
    const counts = await importChunk(deps, job, plan, batch);
    const saved = await deps.imports.saveChunk(
      job.id,
      { from: checkpoint, to: checkpoint + batch.length, counts: counts.counts, problems: counts.problems },
      deps.now(),
    );
    checkpoint += batch.length;
    batch = [];
    return saved;
  };
  try {
    for await (const record of records) {
      if (!plan) {
        const planned = planColumns(
          record.cells.map((cell) => (cell == null ? '' : String(cell))),
          job.mapping,
        );
        if (!planned.ok) throw new ImportFileError(planned.reason);
        plan = planned.plan;
        continue;
      }
      position += 1;
      if (position <= checkpoint) continue;
      batch.push(record);
      if (batch.length < chunkSize) continue;
      // Another receiver saved this chunk first: it is ahead, and this one stops.
      if (!(await flush())) return 'yielded';
      if (timeLeft() < reserveMs) {
        await deps.queue.continueImport(job.id);
        return 'continued';
      }
    }
    if (batch.length > 0 && !(await flush())) return 'yielded';
  } catch (error) {
    if (error instanceof ImportFileError) {
      await deps.imports.fail(job.id, error.message, deps.now());
      return 'failed';
    }
    throw error;
  } finally {
    await records.return(undefined);
  }
  await deps.imports.finish(job.id, deps.now());
  return 'done';
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** A valid row and what it will do. */
interface Planned {
  readonly row: ImportRow;
  readonly outcome: Outcome | 'duplicate';
  readonly contactId: string;
  /** Written already by an earlier attempt at this row: count it, write nothing. */
  readonly done: boolean;
  readonly create: boolean;
  readonly fields?: ContactFields;
}

/** A contact id for a new contact of a row without one: the same for every attempt at the row. */
export function generatedContactId(importId: string, line: number): string {
  const digest = createHash('sha256').update(`${importId}#${line}`).digest();
  // Letters only: an id with ten digits in a row would read as a phone number.
  let id = 'ct-';
  for (const byte of digest.subarray(0, 20)) id += String.fromCharCode(97 + (byte % 26));
  return id;
}

const stampOf = (importId: string, line: number, outcome: Outcome) => `${importId}#${line}#${outcome}`;

function parseStamp(
  stamp: string | undefined,
  importId: string,
): { line: number; outcome: Outcome } | undefined {
  if (!stamp?.startsWith(`${importId}#`)) return undefined;
  const [, line, outcome] = stamp.split('#');
  return { line: Number(line), outcome: outcome as Outcome };
}

function merged(existing: Contact, row: ImportRow): ContactFields {
  const phone = row.phone ?? existing.phone;
  const email = row.email ?? existing.email;
  const name = row.name ?? existing.name;
  return {
    locale: row.locale ?? existing.locale,
    attributes: { ...existing.attributes, ...row.attributes },
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
  };
}

function sameFields(a: ContactFields, b: Contact): boolean {
  const attributes = (x: Readonly<Record<string, unknown>>) =>
    JSON.stringify(Object.entries(x).sort(([k1], [k2]) => k1.localeCompare(k2)));
  return (
    a.phone === b.phone &&
    a.email === b.email &&
    a.name === b.name &&
    a.locale === b.locale &&
    attributes(a.attributes) === attributes(b.attributes)
  );
}

/** Decides what each valid row does, in file order, from fresh reads of the contacts it may touch. */
async function planRows(deps: RunImportDeps, job: ImportJob, rows: readonly ImportRow[]): Promise<Planned[]> {
  const generated = rows.map((row) => generatedContactId(job.id, row.line));
  const byId = await deps.writer.stamped([...rows.flatMap((row) => (row.id ? [row.id] : [])), ...generated]);
  const [phones, emails] = await Promise.all([
    deps.matcher.idsByPhone(rows.flatMap((row) => (row.phone ? [row.phone] : []))),
    deps.matcher.idsByEmail(rows.flatMap((row) => (row.email ? [row.email] : []))),
  ]);
  const matchedIds = [...phones.values(), ...emails.values()].flat().filter((id) => !byId.has(id));
  const found = new Map([...byId, ...(await deps.writer.stamped(matchedIds))]);

  const claimed = new Set<string>();
  const planned: Planned[] = [];
  rows.forEach((row, index) => {
    const own = generated[index] as string;
    const keys = [
      row.id && `id:${row.id}`,
      row.phone && `phone:${row.phone}`,
      row.email && `email:${row.email}`,
    ].filter((key): key is string => Boolean(key));
    const fromOwnId = found.get(own);
    const targetId =
      (fromOwnId && own) ||
      (row.id && found.has(row.id) && row.id) ||
      (row.phone && phones.get(row.phone)?.[0]) ||
      (row.email && emails.get(row.email)?.[0]) ||
      undefined;
    const target = targetId ? found.get(targetId) : undefined;
    const claim = () => {
      for (const key of keys) claimed.add(key);
      if (targetId) claimed.add(`contact:${targetId}`);
    };
    const stamp = parseStamp(target?.stamp, job.id);
    if (target && targetId && stamp) {
      const done = stamp.line === row.line;
      planned.push({
        row,
        outcome: done ? stamp.outcome : 'duplicate',
        contactId: targetId,
        done,
        create: false,
      });
      claim();
      return;
    }
    if (keys.some((key) => claimed.has(key)) || (targetId && claimed.has(`contact:${targetId}`))) {
      planned.push({ row, outcome: 'duplicate', contactId: targetId ?? own, done: true, create: false });
      return;
    }
    claim();
    if (!target || !targetId) {
      const fields: ContactFields = {
        locale: row.locale ?? 'fa',
        attributes: row.attributes,
        ...(row.phone ? { phone: row.phone } : {}),
        ...(row.email ? { email: row.email } : {}),
        ...(row.name ? { name: row.name } : {}),
      };
      planned.push({ row, outcome: 'created', contactId: row.id ?? own, done: false, create: true, fields });
      return;
    }
    const fields = merged(target.contact, row);
    if (!job.updateExisting || sameFields(fields, target.contact)) {
      planned.push({ row, outcome: 'unchanged', contactId: targetId, done: false, create: false });
    } else planned.push({ row, outcome: 'updated', contactId: targetId, done: false, create: false, fields });
  });
  return planned;
}

/**
 * The ledger notes of a row's contact: one per channel it is reachable on, their id and time
 * fixed by the import (its id, its start), so an attempt again writes the same notes.
 */
function notesFor(job: ImportJob, contactId: string, channels: readonly Channel[]): ConsentEvent[] {
  const evidence: ImportConsentEvidence = {
    importId: job.id,
    basis: job.consent.basis,
    ...(job.consent.reference ? { reference: job.consent.reference } : {}),
  };
  return channels.map((channel) => ({
    id: `${job.id}.${channel}`,
    contactId,
    action: 'imported',
    channel,
    topic: ALL_TOPICS,
    source: 'import',
    at: job.startedAt ?? job.createdAt,
    evidence,
  }));
}

/** Keeps erased people unreachable, as PUT does: a tombstoned address is opted out before it is stored. */
async function honourChunkTombstones(deps: RunImportDeps, writes: readonly Planned[]): Promise<void> {
  const withAddresses = writes.filter((plan) => plan.fields && (plan.fields.phone || plan.fields.email));
  if (withAddresses.length === 0) return;
  const key = await deps.erasureKey();
  const hashes = withAddresses.map((plan) => tombstoneHashes(key, plan.fields ?? {}));
  const found = await deps.suppressions.find(hashes.flatMap((hash) => Object.values(hash)));
  for (const [index, plan] of withAddresses.entries()) {
    if (Object.values(hashes[index] ?? {}).some((hash) => found.has(hash))) {
      await honourTombstones(deps, plan.contactId, plan.fields ?? {});
    }
  }
}

async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** Imports one chunk of records; answers what it counted and the invalid rows' problems. */
async function importChunk(
  deps: RunImportDeps,
  job: ImportJob,
  plan: ColumnPlan,
  records: readonly FileRecord[],
): Promise<{ counts: ImportCounts; problems: RowProblem[] }> {
  const problems: RowProblem[] = [];
  const rows: ImportRow[] = [];
  let counts = ZERO_COUNTS;
  for (const record of records) {
    const result = readRow(record.cells, plan, record.line);
    if (result.kind === 'empty') continue;
    if (result.kind === 'invalid') {
      problems.push(...result.problems);
      counts = addCounts(counts, { ...ZERO_COUNTS, processed: 1, invalid: 1 });
    } else rows.push(result.row);
  }

  let pending = rows;
  const settled: Planned[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt === 3) throw new Error(`Import ${job.id}: rows kept conflicting with concurrent writes`);
    const planned = await planRows(deps, job, pending);
    const writes = planned.filter((p) => !p.done && p.outcome !== 'duplicate');
    await honourChunkTombstones(deps, writes);
    const conflicted = new Set<number>();
    const now = deps.now();
    const channelsOf = (p: Planned): Channel[] => {
      const reach = p.fields ?? { phone: p.row.phone, email: p.row.email };
      return [...(reach.phone ? ['sms' as const] : []), ...(reach.email ? ['email' as const] : [])];
    };
    await deps.writer.writeNotes(writes.flatMap((p) => notesFor(job, p.contactId, channelsOf(p))));
    await inParallel(writes, deps.concurrency ?? 16, async (p) => {
      const result = await deps.writer.write(
        {
          contactId: p.contactId,
          create: p.create,
          ...(p.fields ? { fields: p.fields } : {}),
          stamp: stampOf(job.id, p.row.line, p.outcome as Outcome),
        },
        now,
      );
      if (result === 'conflict') conflicted.add(p.row.line);
    });
    settled.push(...planned.filter((p) => !conflicted.has(p.row.line)));
    pending = pending.filter((row) => conflicted.has(row.line));
  }

  for (const p of settled) {
    const key = p.outcome === 'duplicate' ? 'duplicatesInFile' : p.outcome;
    counts = addCounts(counts, { ...ZERO_COUNTS, processed: 1, [key]: 1 });
  }
  if (job.listId && deps.lists) {
    const members = [...new Set(settled.filter((p) => p.outcome !== 'duplicate').map((p) => p.contactId))];
    try {
      if (members.length > 0) await deps.lists.add(job.listId, members, deps.now());
    } catch (error) {
      // The list was deleted while the file was imported: the contacts stay imported, on no list.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return { counts, problems };
}
