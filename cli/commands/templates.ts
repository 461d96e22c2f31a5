import { type Command, Option } from 'commander';
import { answer, UsageError } from '../client';
import { fields, table } from '../output';
import { type Act, positiveInteger } from '../program';
import { nextPage } from './contacts';
import { parseJsonOption, readJsonFile } from './files';

interface TemplateView {
  id: string;
  name: string;
  channel: string;
  version?: number;
  variants: Record<string, unknown>;
  updatedAt?: string;
}

export function templateTable(rows: readonly TemplateView[]): string {
  return table(rows, [
    { header: 'id', value: (row) => row.id },
    { header: 'name', value: (row) => row.name, maxWidth: 32 },
    { header: 'channel', value: (row) => row.channel },
    { header: 'version', value: (row) => row.version, align: 'right' },
    { header: 'locales', value: (row) => Object.keys(row.variants ?? {}) },
    { header: 'updatedAt', value: (row) => row.updatedAt },
  ]);
}

/** `chapar templates …` */
export function templatesCommand(templates: Command, act: Act): Command {
  templates
    .command('list')
    .description('every template')
    .option('--limit <n>', 'at most this many', positiveInteger(100))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<{ limit?: number; cursor?: string }>(async (context, options) => {
        const page = await answer(
          context.client.GET('/v1/templates', {
            params: {
              query: {
                ...(options.limit ? { limit: String(options.limit) } : {}),
                ...(options.cursor ? { cursor: options.cursor } : {}),
              },
            },
          }),
        );
        context.print(page, () => templateTable(page.items) + nextPage(page.cursor));
      }),
    );

  templates
    .command('show <templateId>')
    .description('a template and its variants')
    .action(
      act<object, [string]>(async (context, _options, templateId) => {
        const template = await answer(
          context.client.GET('/v1/templates/{templateId}', { params: { path: { templateId } } }),
        );
        context.print(template, () =>
          fields({
            template: template.id,
            name: template.name,
            channel: template.channel,
            version: template.version,
            ...Object.fromEntries(Object.entries(template.variants ?? {}).map(([locale, v]) => [locale, v])),
          }),
        );
      }),
    );

  templates
    .command('create <file>')
    .description('create a template from a JSON file {name, channel, variants: {fa?, en?}} (- reads stdin)')
    .action(
      act<object, [string]>(async (context, _options, file) => {
        const body = await readJsonFile(file);
        const template = await answer(context.client.POST('/v1/templates', { body: body as never }));
        context.print(template, () => templateTable([template]));
      }),
    );

  templates
    .command('render <templateId>')
    .description('the final SMS or email exactly as a recipient gets it')
    .addOption(new Option('--locale <locale>', 'the variant').choices(['fa', 'en']).default('fa'))
    .option('--contact <id>', 'render for this contact')
    .option('--sample <json>', 'render for these fields instead, e.g. \'{"name":"سارا"}\'')
    .action(
      act<{ locale: 'fa' | 'en'; contact?: string; sample?: string }, [string]>(
        async (context, options, templateId) => {
          if (options.contact && options.sample) throw new UsageError('give --contact or --sample, not both');
          const sample = options.sample ? parseJsonOption('--sample', options.sample) : undefined;
          const rendered = await answer(
            context.client.POST('/v1/templates/{templateId}/render', {
              params: { path: { templateId } },
              body: {
                locale: options.locale,
                ...(options.contact ? { contactId: options.contact } : {}),
                ...(sample ? { sample: sample as Record<string, never> } : {}),
              },
            }),
          );
          context.print(rendered, () => fields(rendered as Record<string, unknown>));
        },
      ),
    );
  return templates;
}
