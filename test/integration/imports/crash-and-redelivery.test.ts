import { type DynamoDBDocumentClient, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../shared/domain/import-job';
import type { ImportedContactWriter, ImportFiles, ImportStore } from '../../../shared/ports';
import { type RunImportDeps, runImport } from '../../../shared/use-cases/import-contacts';
import { createImport } from '../../../shared/use-cases/imports';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let client: DynamoDBDocumentClient;
let base: Omit<RunImportDeps, 'files'>;
let imports: ImportStore;

/** Files kept in memory, handed out in small chunks as S3 would stream them. */
class MemoryFiles implements ImportFiles {
  readonly files = new Map<string, Uint8Array>();
  async uploadUrl(key: string): Promise<string> {
    return `memory://${key}`;
  }
  async head(key: string) {
    const file = this.files.get(key);
    return file ? { size: file.length, etag: `"${file.length}"` } : undefined;
  }
  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const file = this.files.get(key) ?? new Uint8Array();
    return (async function* () {
      for (let i = 0; i < file.length; i += 1024) yield file.subarray(i, i + 1024);
    })();
  }
}

let nextBase = 1_000_000;

/** 400 rows of phones no other test uses: 4 invalid, 8 repeating an earlier row's phone in another form. */
function messyCsv(prefix: string): string {
  const base = nextBase;
  nextBase += 10_000;
  const lines = ['mobile,name,email,city'];
  for (let i = 0; i < 400; i++) {
    if (i % 100 === 99) lines.push(`0912${i},Bad ${i},,x`);
    else if (i % 50 === 25) lines.push(`+98 913 ${base + i - 20},Again ${i},,y`);
    else lines.push(`0913${base + i},Person ${i},${prefix}-${i}@example.com,city-${i % 7}`);
  }
  return `${lines.join('\n')}\n`;
}

async function newImport(files: MemoryFiles, csv: string): Promise<ImportJob> {
  const { id } = await createImport(
    // These imports name no list: a list store that knows none.
    { imports, files, now: () => new Date(), lists: { exists: async () => false, add: async () => 0 } },
    {
      format: 'csv',
      consent: { basis: 'implied' },
    },
  );
  const job = (await imports.get(id)) as ImportJob;
  files.files.set(job.objectKey, new TextEncoder().encode(csv));
  return job;
}

async function contactsWithEmailPrefix(prefix: string): Promise<number> {
  let count = 0;
  for await (const page of paginateScan({ client }, { TableName: emulators.names.tables.contacts })) {
    count += (page.Items ?? []).filter((item) => String(item.email ?? '').startsWith(`${prefix}-`)).length;
  }
  return count;
}

async function ledgerNotes(contactId: string): Promise<number> {
  let count = 0;
  for await (const page of paginateQuery(
    { client },
    {
      TableName: emulators.names.tables.consent,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': contactId, ':e': 'event#' },
    },
  )) {
    count += (page.Items ?? []).filter((item) => item.action === 'imported').length;
  }
  return count;
}

const EXPECTED = { processed: 400, created: 388, invalid: 4, duplicatesInFile: 8, updated: 0, unchanged: 0 };

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  client = (await import('../../../shared/adapters/dynamodb/client')).dynamoDocumentClient();
  imports = factory.importStore(names.tables.imports);
  base = {
    imports,
    writer: factory.importedContactWriter({ contacts: names.tables.contacts, consent: names.tables.consent }),
    matcher: factory.contactStore(names.tables.contacts),
    consent: factory.consentStore(names.tables.consent),
    suppressions: factory.suppressionStore(names.tables.suppressions),
    erasureKey: async () => 'test-erasure-key',
    queue: { continueImport: async () => undefined },
    now: () => new Date(),
    chunkSize: 100,
  };
});

describe('queue-import-contacts across crashes and redeliveries', { timeout: 240_000 }, () => {
  it('a crash in the middle of a chunk, then the redelivered event: no row lost, none counted twice', async () => {
    // Prepare: a writer that dies after 250 contact writes (in the third chunk of 100)
    const files = new MemoryFiles();
    const job = await newImport(files, messyCsv('crash'));
    let writes = 0;
    const dying: ImportedContactWriter = {
      stamped: (ids) => base.writer.stamped(ids),
      writeNotes: (events) => base.writer.writeNotes(events),
      write: async (write, now) => {
        if (++writes > 250) throw new Error('the container died');
        return base.writer.write(write, now);
      },
    };
    const trigger = { kind: 'upload', key: job.objectKey } as const;

    // Act
    await expect(runImport({ ...base, files, writer: dying }, trigger, () => 300_000)).rejects.toThrow(
      'died',
    );
    const midway = await imports.get(job.id);
    const outcome = await runImport({ ...base, files }, trigger, () => 300_000);
    const redelivered = await runImport({ ...base, files }, trigger, () => 300_000);

    // Assess
    expect(midway?.status).toBe('processing');
    expect(midway?.counts.processed).toBe(200);
    expect(outcome).toBe('done');
    expect(redelivered).toBe('ignored');
    const done = await imports.get(job.id);
    expect(done).toMatchObject({ status: 'done', rows: 400, counts: EXPECTED });
    expect(await contactsWithEmailPrefix('crash')).toBe(388);
  });

  it('a crash after the writes but before the checkpoint: the chunk is counted once, with its first outcomes', async () => {
    // Prepare: the second chunk's save dies once, after its contacts were written
    const files = new MemoryFiles();
    const job = await newImport(files, messyCsv('save'));
    let saves = 0;
    const flaky: ImportStore = Object.create(imports) as ImportStore;
    flaky.saveChunk = async (id, chunk, now) => {
      if (++saves === 2) throw new Error('lost the connection');
      return imports.saveChunk(id, chunk, now);
    };
    const trigger = { kind: 'upload', key: job.objectKey } as const;

    // Act
    await expect(runImport({ ...base, files, imports: flaky }, trigger, () => 300_000)).rejects.toThrow(
      'lost',
    );
    await runImport({ ...base, files }, trigger, () => 300_000);

    // Assess: the re-read rows found their own stamps: created, not unchanged
    expect(await imports.get(job.id)).toMatchObject({ status: 'done', counts: EXPECTED });
    expect(await contactsWithEmailPrefix('save')).toBe(388);
  });

  it('two receivers of the same event at once, and continuations across invocations, count each row once', async () => {
    // Prepare
    const files = new MemoryFiles();
    const job = await newImport(files, messyCsv('twice'));
    const continued: string[] = [];
    const deps = { ...base, files, queue: { continueImport: async (id: string) => void continued.push(id) } };
    const trigger = { kind: 'upload', key: job.objectKey } as const;

    // Act: both start together; each hands over after every chunk (no time left)
    const first = await Promise.all([runImport(deps, trigger, () => 0), runImport(deps, trigger, () => 0)]);
    let outcome = first.includes('continued') ? 'continued' : 'done';
    for (let i = 0; outcome === 'continued' && i < 50; i++) {
      outcome = await runImport(deps, { kind: 'continue', importId: job.id }, () => 0);
    }

    // Assess
    expect(first).toContain('continued');
    expect(outcome).toBe('done');
    expect(continued.length).toBeGreaterThanOrEqual(3);
    expect(await imports.get(job.id)).toMatchObject({ status: 'done', counts: EXPECTED });
    expect(await contactsWithEmailPrefix('twice')).toBe(388);
  });

  it('importing the same file again creates nothing and leaves one ledger note per import', async () => {
    // Prepare
    const files = new MemoryFiles();
    const csv = messyCsv('again').split('\n').slice(0, 31).join('\n');
    const first = await newImport(files, csv);
    await runImport({ ...base, files }, { kind: 'upload', key: first.objectKey }, () => 300_000);
    const second = await newImport(files, csv);

    // Act
    await runImport({ ...base, files }, { kind: 'upload', key: second.objectKey }, () => 300_000);
    await runImport({ ...base, files }, { kind: 'upload', key: second.objectKey }, () => 300_000);

    // Assess
    expect(await imports.get(second.id)).toMatchObject({
      status: 'done',
      counts: { processed: 30, created: 0, unchanged: 29, duplicatesInFile: 1 },
    });
    expect(await contactsWithEmailPrefix('again')).toBe(29);
    const ids = (await base.matcher.idsByEmail(['again-0@example.com'])).get('again-0@example.com') ?? [];
    expect(ids).toHaveLength(1);
    // Two imports, two channels each: four notes, however often each ran.
    expect(await ledgerNotes(ids[0] as string)).toBe(4);
  });
});
