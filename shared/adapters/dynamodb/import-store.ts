import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConsentEvent } from '../../domain/consent';
import { ConflictError } from '../../domain/errors';
import { newRef } from '../../domain/ids';
import type { ImportCounts, ImportJob } from '../../domain/import-job';
import type { RowProblem } from '../../domain/import-row';
import type { Contact } from '../../domain/types';
import type { ImportedContactWrite, ImportedContactWriter, ImportStore } from '../../ports';
import { batchGet } from './batch-get';
import { chunk, decodeCursor, encodeCursor, isConditionFailure } from './client';
import { eventItem } from './consent-store';

const JOB_SK = 'import';
/** Imports and their error rows are kept 30 days (the uploads themselves 7). */
const KEEP_SECONDS = 30 * 24 * 3600;
const COUNTERS = ['processed', 'created', 'updated', 'unchanged', 'invalid', 'duplicatesInFile'] as const;

const problemSk = (line: number, n: number) =>
  `error#${String(line).padStart(10, '0')}#${String(n).padStart(3, '0')}`;

function toJob(item: Record<string, unknown>): ImportJob {
  const counts = Object.fromEntries(
    COUNTERS.map((name) => [name, Number(item[name] ?? 0)]),
  ) as unknown as ImportCounts;
  const { pk, sk: _sk, expiresAt: _expiresAt, ...rest } = item;
  for (const name of COUNTERS) delete (rest as Record<string, unknown>)[name];
  return {
    id: pk as string,
    ...(rest as object),
    checkpoint: Number(item.checkpoint ?? 0),
    counts,
  } as ImportJob;
}

/** Imports in DynamoDB: the job item (sk `import`) and its invalid rows (sk `error#<row>#<n>`). */
export class DynamoImportStore implements ImportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: ImportJob): Promise<void> {
    const { id, counts, checkpoint: _checkpoint, ...rest } = job;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: id,
            sk: JOB_SK,
            ...rest,
            ...counts,
            checkpoint: 0,
            expiresAt: Math.floor(Date.parse(job.createdAt) / 1000) + KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`Import ${id} exists`);
      throw error;
    }
  }

  async get(id: string): Promise<ImportJob | undefined> {
    const item = await this.item(id);
    return item ? toJob(item) : undefined;
  }

  private async item(id: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: id, sk: JOB_SK }, ConsistentRead: true }),
    );
    return result.Item;
  }

  async start(id: string, file: { rows: number; etag: string }, now: Date): Promise<ImportJob | undefined> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: JOB_SK },
          UpdateExpression: 'SET #status = :processing, #rows = :rows, etag = :etag, startedAt = :now',
          ConditionExpression: '#status = :waiting',
          ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
          ExpressionAttributeValues: {
            ':processing': 'processing',
            ':waiting': 'waiting_upload',
            ':rows': file.rows,
            ':etag': file.etag,
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? toJob(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async saveChunk(
    id: string,
    chunkToSave: { from: number; to: number; counts: ImportCounts; problems: readonly RowProblem[] },
    _now: Date,
  ): Promise<boolean> {
    // Error rows first, under keys of their own (a redelivered chunk writes the same items):
    // they can outnumber what one transaction takes, and the checkpoint below is what counts.
    const seen = new Map<number, number>();
    const items = chunkToSave.problems.map((problem) => {
      const n = seen.get(problem.line) ?? 0;
      seen.set(problem.line, n + 1);
      return { pk: id, sk: problemSk(problem.line, n), ...problem, expiresAt: this.expiry() };
    });
    await batchPut(this.client, this.tableName, items);
    const add = COUNTERS.map((name) => `#${name} :${name}`).join(', ');
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: JOB_SK },
          UpdateExpression: `SET checkpoint = :to ADD ${add}`,
          ConditionExpression: 'checkpoint = :from AND #status = :processing',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(COUNTERS.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':from': chunkToSave.from,
            ':to': chunkToSave.to,
            ':processing': 'processing',
            ...Object.fromEntries(COUNTERS.map((name) => [`:${name}`, chunkToSave.counts[name]])),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async finish(id: string, now: Date): Promise<void> {
    await this.end(id, 'done', ['processing'], now);
  }

  async fail(id: string, reason: string, now: Date): Promise<void> {
    await this.end(id, 'failed', ['waiting_upload', 'processing'], now, reason);
  }

  private async end(
    id: string,
    to: string,
    from: readonly string[],
    now: Date,
    reason?: string,
  ): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: id, sk: JOB_SK },
          UpdateExpression: `SET #status = :to, finishedAt = :now${reason ? ', failureReason = :reason' : ''}`,
          ConditionExpression: from.map((_, i) => `#status = :from${i}`).join(' OR '),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ':now': now.toISOString(),
            ...(reason ? { ':reason': reason } : {}),
            ...Object.fromEntries(from.map((status, i) => [`:from${i}`, status])),
          },
        }),
      );
    } catch (error) {
      // Ended already (a redelivered last message): nothing to do.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async problems(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: RowProblem[]; cursor?: string }> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': id, ':prefix': 'error#' },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const items = (result.Items ?? []).map(
      ({ line, column, value, reason }) => ({ line, column, value, reason }) as RowProblem,
    );
    const cursor = encodeCursor(result.LastEvaluatedKey);
    return { items, ...(cursor ? { cursor } : {}) };
  }

  private expiry(): number {
    return Math.floor(Date.now() / 1000) + KEEP_SECONDS;
  }
}

/** BatchWriteItem of puts, 25 a call, unprocessed items sent again with a short backoff. */
async function batchPut(client: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  for (const part of chunk(items, 25)) {
    let pending = part.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round === 8) throw new Error(`BatchWriteItem on ${tableName} left items unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
    }
  }
}

/**
 * An imported row's contact (one conditional UpdateItem, stamped with the row: `importRow`)
 * and the ledger notes of a chunk (BatchWriteItem, keys fixed by their cause). Notes are
 * written before their contacts: a crash in between leaves a note that the re-run writes
 * again onto itself, never a contact without its evidence.
 */
export class DynamoImportedContactWriter implements ImportedContactWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { readonly contacts: string; readonly consent: string },
  ) {}

  async writeNotes(events: readonly ConsentEvent[]): Promise<void> {
    await batchPut(this.client, this.tables.consent, events.map(eventItem));
  }

  async write(write: ImportedContactWrite, now: Date): Promise<'written' | 'conflict'> {
    const set = ['importRow = :stamp'];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':stamp': write.stamp };
    if (write.fields) {
      set.push('updatedAt = :now', 'locale = :locale', 'attributes = :attributes');
      values[':now'] = now.toISOString();
      values[':locale'] = write.fields.locale;
      values[':attributes'] = write.fields.attributes;
      for (const field of ['phone', 'email', 'name'] as const) {
        const value = write.fields[field];
        if (value === undefined) continue;
        names[`#${field}`] = field;
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      }
      if (write.create) {
        set.push('createdAt = :now', '#ref = :ref');
        names['#ref'] = 'ref';
        values[':ref'] = newRef();
      }
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.contacts,
          Key: { pk: write.contactId },
          UpdateExpression: `SET ${set.join(', ')}`,
          ConditionExpression: write.create ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async stamped(ids: readonly string[]): Promise<Map<string, { contact: Contact; stamp?: string }>> {
    const items = await batchGet(
      this.client,
      this.tables.contacts,
      [...new Set(ids)].map((id) => ({ pk: id })),
      { consistentRead: true },
    );
    return new Map(
      items.map((item) => {
        const { pk, importRow, ...rest } = item;
        const contact = { id: pk as string, attributes: {}, ...rest } as Contact;
        return [pk as string, { contact, ...(typeof importRow === 'string' ? { stamp: importRow } : {}) }];
      }),
    );
  }
}
