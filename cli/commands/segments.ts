import type { Command } from 'commander';
import { answer } from '../client';
import type { Act } from '../program';
import { contactTable } from './contacts';
import { readJsonFile } from './files';

/** `chapar segments …` */
export function segmentsCommand(segments: Command, act: Act): Command {
  segments
    .command('preview <file>')
    .description('how many contacts a filter matches, and a sample (the file holds the filter, or {filter})')
    .action(
      act<object, [string]>(async (context, _options, file) => {
        const json = (await readJsonFile(file)) as Record<string, unknown> | null;
        const filter = json && typeof json === 'object' && 'filter' in json ? json.filter : json;
        const preview = await answer(
          context.client.POST('/v1/segments/preview', { body: { filter: filter as never } }),
        );
        context.print(preview, () => {
          const count = `${preview.count} contact(s)${preview.complete ? '' : ` at least (${preview.scanned} read)`}\n`;
          return preview.sample.length ? `${count}\n${contactTable(preview.sample)}` : count;
        });
      }),
    );
  return segments;
}
