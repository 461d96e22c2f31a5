import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  detectDelimiter,
  type FileRecord,
  ImportFileError,
  readImportFile,
} from '../../../shared/domain/import-reader';

async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(bytes: Uint8Array, format: 'csv' | 'xlsx'): Promise<FileRecord[]> {
  const out: FileRecord[] = [];
  for await (const record of readImportFile(chunks(bytes), format)) out.push(record);
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('readImportFile (CSV)', () => {
  it('reads UTF-8 with a BOM, semicolons and a quoted field with a newline, split anywhere', async () => {
    // Prepare: a multi-byte Persian header cut across chunks of 7 bytes
    const bytes = utf8('\ufeffموبایل;نام;یادداشت\r\n۰۹۱۲۱۲۳۴۵۶۷;سارا;"خط یک\nخط دو"\r\n');

    // Act
    const result = await records(bytes, 'csv');

    // Assess
    expect(result).toEqual([
      { line: 1, cells: ['موبایل', 'نام', 'یادداشت'] },
      { line: 2, cells: ['۰۹۱۲۱۲۳۴۵۶۷', 'سارا', 'خط یک\nخط دو'] },
    ]);
  });

  it('detects tab and comma delimiters from the header line', () => {
    expect(detectDelimiter('phone\tname\tcity\n0912,1')).toBe('\t');
    expect(detectDelimiter('"a;b",phone,name\n')).toBe(',');
    expect(detectDelimiter('phone\n')).toBe(',');
  });

  it.each([
    [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'zip archive'],
    [new Uint8Array([0xff, 0xfe, 0x70, 0x00]), 'UTF-16'],
    [new Uint8Array([0x70, 0x68, 0x6f, 0x6e, 0x65, 0x0a, 0xc3, 0x28, 0x0a]), 'not UTF-8'],
    [new Uint8Array([]), 'empty'],
    [utf8('phone\n"0912\n'), 'cannot be read'],
  ])('refuses a file that is not CSV UTF-8 text (%#) with a reason', async (bytes, reason) => {
    await expect(records(bytes, 'csv')).rejects.toThrow(reason);
  });
});

describe('readImportFile (xlsx)', () => {
  it('streams the first sheet with Persian headers, numbers as numbers', async () => {
    // Prepare
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('مشتریان');
    sheet.addRow(['شماره موبایل', 'نام', 'امتیاز']);
    sheet.addRow([9121234567, { richText: [{ text: 'سا' }, { text: 'را' }] }, 12]);
    workbook.addWorksheet('other').addRow(['ignored']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    // Act
    const result = await records(bytes, 'xlsx');

    // Assess
    expect(result).toEqual([
      { line: 1, cells: ['شماره موبایل', 'نام', 'امتیاز'] },
      { line: 2, cells: [9121234567, 'سارا', 12] },
    ]);
  });

  it('refuses text that claims to be xlsx', async () => {
    await expect(records(utf8('phone\n09121234567\n'), 'xlsx')).rejects.toThrow('not an .xlsx workbook');
  });
});

describe('readImportFile (xlsx as Excel orders it)', () => {
  it('keeps Persian text whole when the sheet comes before its shared strings (a temporary file)', async () => {
    // Prepare: Excel writes sharedStrings.xml after the sheets; exceljs then parks the sheet
    // in a temporary file and reads it back in chunks, where a letter can be cut in two.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('مشتریان');
    sheet.addRow(['شماره موبایل', 'نام و نام خانوادگی']);
    const names = Array.from({ length: 3000 }, (_, i) => `مشتری شمارهٔ ${i} از شهر اصفهان`);
    names.forEach((name, i) => {
      sheet.addRow([`0912${String(1_000_000 + i)}`, name]);
    });
    const written = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
    const reordered = new JSZip();
    const paths = Object.keys(written.files).filter((path) => !written.files[path]?.dir);
    const last = paths.filter((path) => path === 'xl/sharedStrings.xml');
    for (const path of [...paths.filter((path) => path !== 'xl/sharedStrings.xml'), ...last]) {
      reordered.file(path, await (written.file(path) as JSZip.JSZipObject).async('uint8array'));
    }
    const bytes = await reordered.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    expect(last).toEqual(['xl/sharedStrings.xml']);

    // Act
    const result = await records(bytes, 'xlsx');

    // Assess
    expect(result).toHaveLength(3001);
    expect(result.slice(1).map((record) => record.cells[1])).toEqual(names);
  });

  it("leaves a failing temporary file to a retry, never as the import's reason", async () => {
    // Prepare: a sheet before its shared strings needs a temporary file, in a temp folder that is gone
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('s').addRow(['phone']);
    const written = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
    const reordered = new JSZip();
    const paths = Object.keys(written.files).filter((path) => !written.files[path]?.dir);
    for (const path of [...paths.filter((path) => path !== 'xl/sharedStrings.xml'), 'xl/sharedStrings.xml']) {
      reordered.file(path, await (written.file(path) as JSZip.JSZipObject).async('uint8array'));
    }
    const bytes = await reordered.generateAsync({ type: 'uint8array' });
    const before = process.env.TMPDIR;
    process.env.TMPDIR = '/nonexistent/chapar-temp';

    // Act
    const outcome = await records(bytes, 'xlsx').then(
      () => undefined,
      (error: unknown) => error,
    );
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;

    // Assess
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(ImportFileError);
    expect((outcome as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

/** A workbook as Excel orders it: every sheet before sharedStrings.xml, so exceljs parks each in /tmp. */
async function excelOrdered(sheets: readonly (readonly string[][])[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  sheets.forEach((rows, i) => {
    const sheet = workbook.addWorksheet(`برگه ${i + 1}`);
    for (const row of rows) sheet.addRow([...row]);
  });
  const written = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
  const reordered = new JSZip();
  const paths = Object.keys(written.files).filter((path) => !written.files[path]?.dir);
  // Excel's order: the workbook first, the shared strings last (exceljs writes workbook.xml
  // last, and a sheet read before it races exceljs's own parse of the workbook).
  const order = (path: string) => (path === 'xl/workbook.xml' ? 0 : path === 'xl/sharedStrings.xml' ? 2 : 1);
  for (const path of [...paths].sort((a, b) => order(a) - order(b))) {
    reordered.file(path, await (written.file(path) as JSZip.JSZipObject).async('uint8array'));
  }
  return reordered.generateAsync({ type: 'uint8array' });
}

/** The temporary files exceljs's `tmp` made in this process (named tmp-<pid>-<random>). */
const parkedFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));

describe('readImportFile (xlsx): the worksheets exceljs parks in /tmp', () => {
  // A warm Lambda keeps /tmp from one import to the next: nothing may stay behind.
  it('are all removed once the first sheet is read, the others passed over', async () => {
    const before = parkedFiles();
    const bytes = await excelOrdered([
      [['phone'], ['09121234567']],
      [['other'], ['x']],
      [['third'], ['y']],
    ]);

    const result = await records(bytes, 'xlsx');

    expect(result.map((record) => record.cells[0])).toEqual(['phone', '09121234567']);
    expect(parkedFiles()).toEqual(before);
  });

  it('are removed when the reader stops after the first record', async () => {
    const before = parkedFiles();
    const bytes = await excelOrdered([
      [['phone'], ['09121234567'], ['09121234568']],
      [['other'], ['x']],
    ]);

    const seen: FileRecord[] = [];
    for await (const record of readImportFile(chunks(bytes), 'xlsx')) {
      seen.push(record);
      break;
    }

    expect(seen).toHaveLength(1);
    expect(parkedFiles()).toEqual(before);
  });

  it('are removed when the first sheet cannot be read', async () => {
    const before = parkedFiles();
    const zip = await JSZip.loadAsync(
      await excelOrdered([
        [['phone'], ['09121234567']],
        [['other'], ['x']],
      ]),
    );
    const sheet = await (zip.file('xl/worksheets/sheet1.xml') as JSZip.JSZipObject).async('string');
    // Cut inside its rows: the XML parser fails partway through the sheet.
    const broken = new JSZip();
    for (const path of Object.keys(zip.files).filter((path) => !zip.files[path]?.dir)) {
      broken.file(
        path,
        path === 'xl/worksheets/sheet1.xml'
          ? `${sheet.slice(0, sheet.indexOf('<row') + 20)}<<<`
          : await (zip.file(path) as JSZip.JSZipObject).async('uint8array'),
      );
    }
    const bytes = await broken.generateAsync({ type: 'uint8array' });

    const outcome = await records(bytes, 'xlsx').then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(outcome).toBeInstanceOf(ImportFileError);
    expect(parkedFiles()).toEqual(before);
  });
});
