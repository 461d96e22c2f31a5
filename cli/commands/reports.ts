import { type Command, Option } from 'commander';
import { answer } from '../client';
import { table } from '../output';
import { type Act, positiveInteger } from '../program';
import { nextPage } from './contacts';

/** `chapar reports …` */
export function reportsCommand(reports: Command, act: Act): Command {
  reports
    .command('list')
    .description('spoofed-SMS reports and their verdicts, newest first (reporters masked)')
    .addOption(
      new Option('--verdict <verdict>', 'only this verdict').choices(['spoofed', 'genuine', 'unverified']),
    )
    .option('--limit <n>', 'at most this many', positiveInteger(100))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<{ verdict?: 'spoofed' | 'genuine' | 'unverified'; limit?: number; cursor?: string }>(
        async (context, options) => {
          const page = await answer(
            context.client.GET('/v1/reports', {
              params: {
                query: {
                  ...(options.verdict ? { verdict: options.verdict } : {}),
                  ...(options.limit ? { limit: String(options.limit) } : {}),
                  ...(options.cursor ? { cursor: options.cursor } : {}),
                },
              },
            }),
          );
          context.print(
            page,
            () =>
              table(page.items, [
                { header: 'report', value: (row) => row.id },
                { header: 'verdict', value: (row) => row.verdict },
                { header: 'sender', value: (row) => row.sender },
                {
                  header: 'reporter',
                  value: (row) =>
                    row.erased ? 'erased' : [row.reporter?.phone, row.reporter?.email].filter(Boolean),
                },
                { header: 'receivedAt', value: (row) => row.receivedAt ?? row.createdAt },
              ]) + nextPage(page.cursor),
          );
        },
      ),
    );
  return reports;
}
