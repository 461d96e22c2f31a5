import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
import { ApiError, answer, UsageError } from '../client';
import { progressBar } from '../live';
import { fields, table } from '../output';
import { type Act, type Context, positiveInteger } from '../program';
import { importSummary } from './imports';

interface ImportOptions {
  list?: string;
  format?: 'csv' | 'xlsx';
  consent: 'implied' | 'explicit';
  consentReference?: string;
  updateExisting: boolean;
  interval: number;
}

/** The file's format: the flag, else its extension. */
export function importFormat(file: string, flag?: 'csv' | 'xlsx'): 'csv' | 'xlsx' {
  if (flag) return flag;
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.xlsx') return 'xlsx';
  throw new UsageError(`cannot tell the format of ${file} from its name: pass --format csv or --format xlsx`);
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Creates the import, PUTs the file to its presigned URL and follows it to its end. */
async function importContacts(context: Context, options: ImportOptions, file: string): Promise<void> {
  const format = importFormat(file, options.format);
  const bytes = await readInput(file);
  const created = await answer(
    context.client.POST('/v1/imports', {
      body: {
        format,
        consent: {
          basis: options.consent,
          ...(options.consentReference ? { reference: options.consentReference } : {}),
        },
        ...(options.list ? { listId: options.list } : {}),
        updateExisting: options.updateExisting,
      },
    }),
  );
  const upload = await context.fetch(created.uploadUrl, { method: 'PUT', body: bytes });
  if (!upload.ok)
    throw new ApiError(`the upload of ${file} was refused (HTTP ${upload.status})`, upload.status);

  const bar = context.json ? undefined : progressBar(context.io.stderr, `import ${created.id}`);
  bar?.start(1, 0, { status: 'waiting_upload' });
  for (;;) {
    const view = await answer(
      context.client.GET('/v1/imports/{importId}', { params: { path: { importId: created.id } } }),
    );
    const total = Math.max(1, view.rows);
    bar?.setTotal(total);
    bar?.update(view.status === 'done' ? total : Math.floor(view.progress * total), { status: view.status });
    if (view.status === 'done' || view.status === 'failed') {
      bar?.stop();
      context.print(view, () => importSummary(view));
      if (view.status === 'failed')
        throw new ApiError(`import ${view.id} failed: ${view.reason ?? 'no reason given'}`);
      return;
    }
    await context.sleep(options.interval);
  }
}

/** `chapar contacts …` */
export function contactsCommand(contacts: Command, act: Act): Command {
  contacts
    .command('import <file>')
    .description('import contacts from a CSV or XLSX file, with a live progress bar')
    .option('--list <id>', 'also put every imported contact on this list')
    .addOption(
      new Option('--format <format>', 'the file format (default: from its extension)').choices([
        'csv',
        'xlsx',
      ]),
    )
    .addOption(
      new Option('--consent <basis>', 'how the contacts consented')
        .choices(['implied', 'explicit'])
        .default('implied'),
    )
    .option('--consent-reference <text>', 'where the consent is recorded (a form, an export)')
    .option('--no-update-existing', 'leave contacts that already exist unchanged')
    .option('--interval <ms>', 'how often the progress is read', positiveInteger(60_000), 500)
    .action(act<ImportOptions, [string]>(importContacts));

  contacts
    .command('get <contactId>')
    .description('one contact, with the lists it is on')
    .action(
      act<object, [string]>(async (context, _options, contactId) => {
        const contact = await answer(
          context.client.GET('/v1/contacts/{contactId}', { params: { path: { contactId } } }),
        );
        context.print(contact, () =>
          fields({
            id: contact.id,
            name: contact.name,
            phone: contact.phone,
            email: contact.email,
            locale: contact.locale,
            lists: contact.lists?.map((list) => list.name),
            attributes: Object.keys(contact.attributes ?? {}).length ? contact.attributes : undefined,
            createdAt: contact.createdAt,
            updatedAt: contact.updatedAt,
          }),
        );
      }),
    );

  contacts
    .command('search [query]')
    .description(
      'contacts by id, phone (any written form) or email; all contacts, a page at a time, without one',
    )
    .option('--limit <n>', 'at most this many', positiveInteger(1000))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<{ limit?: number; cursor?: string }, [string | undefined]>(async (context, options, q) => {
        const page = await answer(
          context.client.GET('/v1/contacts', {
            params: {
              query: {
                ...(q ? { q } : {}),
                ...(options.limit ? { limit: String(options.limit) } : {}),
                ...(options.cursor ? { cursor: options.cursor } : {}),
              },
            },
          }),
        );
        context.print(page, () => contactTable(page.items) + nextPage(page.cursor));
      }),
    );

  contacts
    .command('erase <contactId>')
    .description('erase a contact everywhere (cannot be undone; a do-not-contact tombstone stays)')
    .option('--yes', 'confirm the erasure')
    .action(
      act<{ yes?: boolean }, [string]>(async (context, options, contactId) => {
        if (!options.yes) throw new UsageError(`erasing ${contactId} cannot be undone: add --yes to confirm`);
        await answer(context.client.DELETE('/v1/contacts/{contactId}', { params: { path: { contactId } } }));
        context.print({ contactId, erased: true }, () => `erased ${contactId}\n`);
      }),
    );
  return contacts;
}

interface ContactRow {
  id: string;
  name?: string;
  phone?: string;
  email?: string;
  locale: string;
}

export function contactTable(rows: readonly ContactRow[]): string {
  return table(rows, [
    { header: 'id', value: (row) => row.id },
    { header: 'name', value: (row) => row.name },
    { header: 'phone', value: (row) => row.phone },
    { header: 'email', value: (row) => row.email },
    { header: 'locale', value: (row) => row.locale },
  ]);
}

/** The hint under a page that has a next one. */
export function nextPage(cursor: string | undefined): string {
  return cursor ? `more: --cursor ${cursor}\n` : '';
}
