/**
 * Streams the records of an imported file, never holding it whole: CSV (UTF-8 with or without
 * BOM; comma, semicolon or tab, detected from the header line; quoted fields with newlines)
 * through csv-parse, and the first sheet of an .xlsx through exceljs's streaming reader. The
 * first record is the header row. A file that is not what it says ends in an
 * {@link ImportFileError} whose message says why, in words.
 */
import { rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import type { ImportFormat } from './import-job';
import type { CellValue } from './import-row';

/** The file cannot be imported: the message is the import's failure reason. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

/** One record: its row number in the file (the header is 1) and its cells. */
export interface FileRecord {
  readonly line: number;
  readonly cells: readonly CellValue[];
}

/** A failure of the byte source (S3, the network): not the file's fault, so retried. */
class SourceError extends Error {
  override readonly name = 'SourceError';
}

/**
 * A failure of the machine, not of the file: Node's system errors carry a `syscall` (exceljs
 * writes each sheet that comes before the shared strings to a temp file, and the disk can fail
 * that). Retried like a source failure, never the import's failure reason.
 */
const isSystemError = (error: unknown): boolean =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const SNIFF_BYTES = 64 * 1024;

/** The source's first bytes (at least `SNIFF_BYTES` or all of it) and the same source replayed. */
async function peek(
  source: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; replay: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let size = 0;
  let done = false;
  try {
    while (size < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      taken.push(next.value);
      size += next.value.length;
    }
  } catch (error) {
    throw new SourceError('The file could not be read', { cause: error });
  }
  const head = Buffer.concat(taken);
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* taken;
    if (done) return;
    try {
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      throw new SourceError('The file could not be read', { cause: error });
    }
  }
  return { head, replay: replay() };
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]) =>
  prefix.every((byte, i) => bytes[i] === byte);

/** The delimiter the header line uses most, outside quotes: comma, semicolon or tab. */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char as keyof typeof counts] += 1;
  }
  const best = (Object.entries(counts) as [',' | ';' | '\t', number][]).sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 0 ? best[0] : ',';
}

async function* csvRecords(source: AsyncIterable<Uint8Array>): AsyncGenerator<FileRecord> {
  const { head, replay } = await peek(source);
  if (head.length === 0) throw new ImportFileError('the file is empty');
  if (startsWith(head, ZIP_MAGIC)) {
    throw new ImportFileError(
      'the file is a zip archive (an .xlsx workbook?), not CSV text: use format "xlsx"',
    );
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw new ImportFileError('the file is UTF-16 text: save it as CSV UTF-8');
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const decode = (bytes: Uint8Array, stream: boolean) => {
    try {
      return decoder.decode(bytes, { stream });
    } catch {
      throw new ImportFileError(
        `the file is not UTF-8 text (an invalid byte sequence near byte ${offset}): save it as CSV UTF-8`,
      );
    }
  };
  const firstText = new TextDecoder('utf-8').decode(head);
  if (firstText.includes('\u0000')) throw new ImportFileError('the file is binary, not CSV text');
  const delimiter = detectDelimiter(firstText.replace(/^\ufeff/, ''));
  async function* text(): AsyncGenerator<string> {
    for await (const bytes of replay) {
      const decoded = decode(bytes, true);
      offset += bytes.length;
      if (decoded.includes('\u0000')) throw new ImportFileError('the file is binary, not CSV text');
      if (decoded) yield decoded;
    }
    const rest = decode(new Uint8Array(), false);
    if (rest) yield rest;
  }
  const parser = parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: false });
  const piped = pipeline(Readable.from(text()), parser);
  piped.catch(() => undefined);
  let line = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      line += 1;
      yield { line, cells: record };
    }
  } catch (error) {
    if (error instanceof ImportFileError || error instanceof SourceError || isSystemError(error)) throw error;
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new ImportFileError(`the CSV cannot be read after row ${line}: ${(error as Error).message}`);
    }
    throw error;
  }
  await piped;
}

/** An exceljs cell value as the text, number, boolean or date it shows. */
function excelCell(value: unknown): CellValue {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const cell = value as Record<string, unknown>;
    if (Array.isArray(cell.richText))
      return cell.richText.map((part: { text?: string }) => part.text ?? '').join('');
    if ('result' in cell) return excelCell(cell.result);
    if (typeof cell.text === 'string') return cell.text;
    if ('error' in cell) return undefined;
  }
  return String(value);
}

type Decodable = { setEncoding?: (encoding: BufferEncoding) => unknown };
/** A worksheet exceljs parked in a temporary file comes back as that file's read stream. */
type Parked = {
  path?: unknown;
  destroy?: () => void;
  on?: (event: 'error', listener: () => void) => unknown;
};

/**
 * exceljs's streaming reader decodes each chunk of XML on its own, so a Persian letter cut by a
 * chunk boundary comes out as U+FFFD. Its parser passes strings through untouched: this reader
 * has every zip entry, and every worksheet it parks in a temporary file, decode as UTF-8 with
 * Node's own boundary-safe decoder first.
 *
 * exceljs is loaded on the first .xlsx file, not at cold start: its module alone took longer
 * to initialise (about 85 ms of CPU) than the function's SDK clients, and a CSV import never
 * needs it.
 */
function utf8WorkbookReader(excel: typeof ExcelJS) {
  const base = excel.stream.xlsx.WorkbookReader;
  return class Utf8WorkbookReader extends base {
    /**
     * Set once a parked worksheet is read: exceljs reads parked sheets only after the whole zip,
     * so passing over the rest of the workbook from there costs no more reading.
     */
    readingParked = false;

    _getStream(input: unknown): NodeJS.ReadableStream {
      const proto = base.prototype as unknown as {
        _getStream(this: unknown, input: unknown): NodeJS.ReadableStream;
      };
      const stream = proto._getStream.call(this, input);
      const pipe = stream.pipe.bind(stream);
      stream.pipe = (<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }) => {
        (destination as unknown as NodeJS.ReadableStream).on('data', (entry: Decodable) => {
          entry.setEncoding?.('utf8');
        });
        return pipe(destination, options);
      }) as typeof stream.pipe;
      return stream;
    }

    *_parseWorksheet(iterable: Decodable & Parked, sheetNo: string): Generator<unknown> {
      if (typeof iterable.setEncoding === 'function') iterable.setEncoding('utf8');
      const proto = base.prototype as unknown as {
        _parseWorksheet(this: unknown, iterable: unknown, sheetNo: string): Iterable<unknown>;
      };
      if (typeof iterable.path === 'string') this.readingParked = true;
      try {
        yield* proto._parseWorksheet.call(this, iterable, sheetNo);
      } finally {
        // A parked worksheet's read stream (a file in /tmp): closed once its sheet is passed,
        // read or not, and removed even when reading it failed (exceljs removes it only after
        // a whole read, and a warm Lambda keeps /tmp from one import to the next).
        if (typeof iterable.path === 'string') {
          // A sheet passed over unread may not have opened its file yet: that open then fails
          // on the removed file, which is no error of the import's.
          iterable.on?.('error', () => {});
          iterable.destroy?.();
          rmSync(iterable.path, { force: true });
        }
      }
    }
  };
}

let workbookReader: Promise<ReturnType<typeof utf8WorkbookReader>> | undefined;

async function* xlsxRecords(source: AsyncIterable<Uint8Array>): AsyncGenerator<FileRecord> {
  const { head, replay } = await peek(source);
  if (head.length === 0) throw new ImportFileError('the file is empty');
  if (!startsWith(head, ZIP_MAGIC)) {
    throw new ImportFileError(
      'the file is not an .xlsx workbook (Excel 2007 or later): use format "csv" for text files',
    );
  }
  workbookReader ??= import('exceljs').then(({ default: excel }) => utf8WorkbookReader(excel));
  const Utf8WorkbookReader = await workbookReader;
  const reader = new Utf8WorkbookReader(Readable.from(replay), {
    entries: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  let sheets = 0;
  const worksheets = reader[Symbol.asyncIterator]() as AsyncIterator<AsyncIterable<ExcelJS.Row>>;
  try {
    for (;;) {
      const next = await worksheets.next();
      if (next.done) break;
      sheets += 1;
      // The first sheet only. The others are passed over, not left: exceljs removes a worksheet
      // it parked in /tmp (every sheet Excel writes before its shared strings) only once the
      // reader has gone past it.
      if (sheets > 1) continue;
      try {
        for await (const row of next.value) {
          const values = row.values as unknown[];
          const cells: CellValue[] = [];
          for (let i = 1; i < values.length; i++) cells.push(excelCell(values[i]));
          yield { line: row.number, cells };
        }
      } catch (error) {
        // The sheet cannot be read: the reader still goes past the rest, removing what it parked.
        await passOver(worksheets);
        throw error;
      }
    }
  } catch (error) {
    if (error instanceof SourceError || isSystemError(error)) throw error;
    throw new ImportFileError(`the .xlsx workbook cannot be read: ${(error as Error).message}`);
  } finally {
    // Left early (the import handed over, or its reader stopped). Among parked sheets the rest
    // is passed over, which removes their files; otherwise the reader is closed at once (passing
    // over would read the rest of the zip), and the sheet being read closes its parked file.
    if (reader.readingParked) await passOver(worksheets);
    else await worksheets.return?.();
  }
  if (sheets === 0) throw new ImportFileError('the .xlsx workbook has no sheet');
}

/** Takes the rest of a workbook's worksheets without reading them; what fails there is not the file's reason. */
async function passOver(worksheets: AsyncIterator<unknown>): Promise<void> {
  try {
    while (!(await worksheets.next()).done) {
      // each one passed unread
    }
  } catch {
    // the reason already is the sheet's own error
  }
}

/** The records of `source` read as `format`, the header row first. */
export function readImportFile(
  source: AsyncIterable<Uint8Array>,
  format: ImportFormat,
): AsyncGenerator<FileRecord> {
  return format === 'csv' ? csvRecords(source) : xlsxRecords(source);
}
