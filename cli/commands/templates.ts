import { type Command, Option } from 'commander';
import { answer, UsageError } from '../client';
import { fields, hasRtl, table } from '../output';
import { type Act, positiveInteger } from '../program';
import { nextPage } from './contacts';
import { parseJsonOption, readJsonFile } from './files';

interface TemplateRow {
  id: string;
  name: string;
  channel: string;
  version: number;
  locales: readonly string[];
  updatedAt: string;
}

export function templateTable(rows: readonly TemplateRow[]): string {
  return table(rows, [
    { header: 'id', value: (row) => row.id },
    { header: 'name', value: (row) => row.name, maxWidth: 32 },
    { header: 'channel', value: (row) => row.channel },
    { header: 'version', value: (row) => row.version, align: 'right' },
    { header: 'locales', value: (row) => row.locales },
    { header: 'updatedAt', value: (row) => row.updatedAt },
  ]);
}

interface Rendered {
  templateId: string;
  version: number;
  locale: string;
  channel: string;
  warnings: readonly { placeholder: string; message: string }[];
  sms?: { text: string; encoding: string; characters: number; segments: number };
  email?: { subject: string; html: string; text: string };
}

/** A rendering as a recipient gets it: its figures as fields, then the text itself as written. */
export function renderedText(rendered: Rendered): string {
  const head = fields({
    template: `${rendered.templateId} v${rendered.version}`,
    locale: rendered.locale,
    encoding: rendered.sms?.encoding,
    characters: rendered.sms?.characters,
    segments: rendered.sms?.segments,
    subject: rendered.email?.subject,
    warnings: rendered.warnings.length
      ? rendered.warnings.map((w) => `{{${w.placeholder}}} ${w.message}`)
      : undefined,
  });
  const body = rendered.sms?.text ?? rendered.email?.text ?? '';
  const html = rendered.email ? '\n(the HTML part: --json)\n' : '';
  // The text goes out as written, each line isolated so a terminal sets its direction from it.
  const lines = body.split('\n').map((line) => (hasRtl(line) ? `\u2068${line}\u2069` : line));
  return `${head}\n${lines.join('\n')}\n${html}`;
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
        context.print(template, () =>
          templateTable([{ ...template, locales: Object.keys(template.variants) }]),
        );
      }),
    );

  templates
    .command('render <templateId>')
    .description('the final SMS or email exactly as a recipient gets it')
    .addOption(new Option('--locale <locale>', "the variant (default: the contact's)").choices(['fa', 'en']))
    .option('--contact <id>', 'render for this contact')
    .option(
      '--sample <json>',
      'render for these fields instead: \'{"name":"سارا","attributes":{"city":"تهران"}}\'',
    )
    .action(
      act<{ locale?: 'fa' | 'en'; contact?: string; sample?: string }, [string]>(
        async (context, options, templateId) => {
          if (options.contact && options.sample) throw new UsageError('give --contact or --sample, not both');
          const sample = options.sample ? parseJsonOption('--sample', options.sample) : undefined;
          const rendered = await answer(
            context.client.POST('/v1/templates/{templateId}/render', {
              params: { path: { templateId } },
              body: {
                ...(options.locale ? { locale: options.locale } : {}),
                ...(options.contact ? { contactId: options.contact } : {}),
                ...(sample ? { sample: sample as { name?: string } } : {}),
              },
            }),
          );
          context.print(rendered, () => renderedText(rendered));
        },
      ),
    );
  return templates;
}
