/**
 * `npm run bench:import`: a contact import of a large messy CSV through the real path on the
 * local platform (POST /v1/imports, a plain PUT to the presigned URL, the S3 event on the
 * imports queue, queue-import-contacts with its checkpoints and continuations), then the same
 * machine's raw DynamoDB Local BatchWriteItem rate, measured in the same run, and their ratio.
 * Prints figures; asserts nothing about speed.
 *
 * The file: every written form of an Iranian mobile (09…, 9…, +98 …, 0098…, 98…, Persian and
 * Arabic-Indic digits, spaces, dashes, parentheses, RTL marks), an email on every other row,
 * a name and two attributes; 1 % invalid phones and 2 % repeats of an earlier row's phone in
 * another form. Settings (environment): BENCH_IMPORT_ROWS (100000), BENCH_RAW_ITEMS (20000).
 */

import { readLocalSettings, startPlatform } from '../local/platform';
import { tables } from '../shared/definitions';
import { apiClient, documentClient, positiveInt, seconds, writeContacts } from './support';

const settings = {
  rows: positiveInt('BENCH_IMPORT_ROWS', 100_000),
  rawItems: positiveInt('BENCH_RAW_ITEMS', 20_000),
};
const POLL_MS = 1_000;
const PROGRESS_EVERY_MS = 15_000;

const persian = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const arabic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

/** The national digits 9xxxxxxxxx of row `i`, written in one of the forms people use. */
function writtenPhone(national: string, form: number): string {
  const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  switch (form % 9) {
    case 0:
      return `0${national}`;
    case 1:
      return national;
    case 2:
      return `+98 ${a} ${b} ${c}`;
    case 3:
      return `0098${national}`;
    case 4:
      return `98-${a}-${b}-${c}`;
    case 5:
      return persian(`0${a} ${b} ${c}`);
    case 6:
      return arabic(`0${a}-${b}-${c}`);
    case 7:
      return `\u200f(0${a}) ${b}\u200c${c}`;
    default:
      return `+98(${a})${b}-${c}`;
  }
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The messy file, and how many rows of each kind it has. */
function messyCsv(rows: number): { csv: string; invalid: number; duplicates: number } {
  const lines = ['شماره موبایل,نام و نام خانوادگی,ایمیل,شهر,امتیاز'];
  let invalid = 0;
  let duplicates = 0;
  for (let i = 0; i < rows; i++) {
    const national = `91${String(i).padStart(8, '0')}`;
    let phone: string;
    if (i % 100 === 37) {
      phone = `0912${i % 1000}`;
      invalid += 1;
    } else if (i % 50 === 11 && i > 50) {
      // Row i - 25 is never itself a repeat nor invalid.
      phone = writtenPhone(`91${String(i - 25).padStart(8, '0')}`, i + 4);
      duplicates += 1;
    } else phone = writtenPhone(national, i);
    const email = i % 2 === 0 && i % 50 !== 11 ? `customer${i}@example.com` : '';
    lines.push(
      [phone, `مشتری ${i}`, email, ['تهران', 'اصفهان', 'شیراز', 'تبریز'][i % 4] ?? '', String(i % 500)]
        .map(csvCell)
        .join(','),
    );
  }
  return { csv: `\ufeff${lines.join('\r\n')}\r\n`, invalid, duplicates };
}

interface ImportView {
  status: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicatesInFile: number;
  progress: number;
  reason?: string;
}

async function main(): Promise<void> {
  const local = readLocalSettings();
  const platform = await startPlatform({
    apiPort: 0,
    sesPort: 0,
    kavenegarPort: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    secretsPort: 0,
    cognitoPort: 0,
    env: { CHAPAR_QUIET_HOURS: '' },
  });
  try {
    const api = apiClient(platform.apiUrl, local.CHAPAR_API_KEY);
    const file = messyCsv(settings.rows);
    const bytes = new TextEncoder().encode(file.csv);
    console.log(
      `bench:import: ${settings.rows} rows (${file.invalid} invalid, ${file.duplicates} repeated phones), ${(bytes.length / 1e6).toFixed(1)} MB`,
    );

    const started = performance.now();
    const created = await api('POST', '/v1/imports', {
      format: 'csv',
      consent: { basis: 'implied', reference: 'bench' },
    });
    if (created.status !== 201)
      throw new Error(`POST /v1/imports answered ${created.status}: ${created.text}`);
    const { id, uploadUrl } = created.body as { id: string; uploadUrl: string };
    const upload = await fetch(uploadUrl, { method: 'PUT', body: bytes });
    if (!upload.ok) throw new Error(`The upload answered ${upload.status}`);
    const uploaded = performance.now();

    let view: ImportView | undefined;
    let processingSince: number | undefined;
    let lastPrint = performance.now();
    for (;;) {
      view = (await api('GET', `/v1/imports/${id}`)).body as ImportView;
      if (view.status === 'processing') processingSince ??= performance.now();
      if (view.status === 'done' || view.status === 'failed') break;
      if (performance.now() - lastPrint > PROGRESS_EVERY_MS) {
        lastPrint = performance.now();
        console.log(
          `  ${view.status} ${(view.progress * 100).toFixed(1)} % after ${seconds(lastPrint - started)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const finished = performance.now();
    if (view.status === 'failed') throw new Error(`The import failed: ${view.reason}`);
    const importSeconds = (finished - uploaded) / 1000;
    const rowsPerSecond = settings.rows / importSeconds;

    // The same machine's raw write rate, now: BatchWriteItem, 25 items a call, 16 calls at once.
    const rawStarted = performance.now();
    await writeContacts(
      documentClient(platform),
      platform.env[tables.contacts.envVar] ?? '',
      settings.rawItems,
    );
    const rawPerSecond = settings.rawItems / ((performance.now() - rawStarted) / 1000);

    console.log(`  counts: ${JSON.stringify({ ...view, progress: undefined })}`);
    console.log(
      `  validation pass (upload → processing): ${seconds((processingSince ?? finished) - uploaded)}`,
    );
    console.log(`  time to done (upload → done): ${seconds(finished - uploaded)}`);
    console.log(`  import rate: ${rowsPerSecond.toFixed(0)} rows/s`);
    console.log(`  raw BatchWriteItem rate (same run): ${rawPerSecond.toFixed(0)} items/s`);
    console.log(`  ratio import/raw: ${(rowsPerSecond / rawPerSecond).toFixed(3)}`);
  } finally {
    await platform.end();
  }
}

await main();
