import type { Command } from 'commander';
import { answer, answered } from '../client';
import { fields } from '../output';
import type { Act } from '../program';

interface ImportView {
  id: string;
  status: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicatesInFile: number;
  reason?: string;
}

/** An import's counts, and where its invalid rows are when it has some. */
export function importSummary(view: ImportView): string {
  const summary = fields({
    import: view.id,
    status: view.status,
    rows: view.rows,
    created: view.created,
    updated: view.updated,
    unchanged: view.unchanged,
    invalid: view.invalid,
    duplicatesInFile: view.duplicatesInFile,
    reason: view.reason,
  });
  return view.invalid > 0
    ? `${summary}error report: chapar imports errors ${view.id} > errors.csv\n`
    : summary;
}

const BOM = '\ufeff';

/** `chapar imports …` */
export function importsCommand(imports: Command, act: Act): Command {
  imports
    .command('show <importId>')
    .description("an import's state and counts")
    .action(
      act<object, [string]>(async (context, _options, importId) => {
        const view = await answer(
          context.client.GET('/v1/imports/{importId}', { params: { path: { importId } } }),
        );
        context.print(view, () => importSummary(view));
      }),
    );

  imports
    .command('errors <importId>')
    .description("an import's invalid rows as CSV (UTF-8 with BOM, for Excel), every page: > errors.csv")
    .action(
      act<object, [string]>(async (context, _options, importId) => {
        let cursor: string | undefined;
        let first = true;
        do {
          const { data: bytes, response } = await answered(
            context.client.GET('/v1/imports/{importId}/errors', {
              params: { path: { importId }, query: cursor ? { cursor } : {} },
              parseAs: 'arrayBuffer',
            }),
          );
          // Response.text() would drop the BOM Excel needs. Each answer is a whole CSV: later
          // pages lose their BOM and header line.
          const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes as ArrayBuffer);
          context.io.stdout.write(first ? csv : csv.replace(BOM, '').replace(/^[^\n]*\n/, ''));
          first = false;
          cursor = response.headers.get('x-next-cursor') ?? undefined;
        } while (cursor);
      }),
    );
  return imports;
}
