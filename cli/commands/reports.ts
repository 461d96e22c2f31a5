import type { Command } from 'commander';
import { answer } from '../client';
import { table } from '../output';
import { type Act, positiveInteger } from '../program';
import { nextPage } from './contacts';

/** `chapar reports …` */
export function reportsCommand(reports: Command, act: Act): Command {
  reports
    .command('list')
    .description('spoofed-SMS reports and their verdicts, newest first')
    .option('--limit <n>', 'at most this many', positiveInteger(100))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<{ limit?: number; cursor?: string }>(async (context, options) => {
        const page = await answer(
          context.client.GET('/v1/reports/spoofed-sms', {
            params: {
              query: {
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
              { header: 'report', value: (row) => row.reportId },
              { header: 'verdict', value: (row) => row.verdict },
              { header: 'sender', value: (row) => row.sender },
              { header: 'receivedAt', value: (row) => row.receivedAt },
            ]) + nextPage(page.cursor),
        );
      }),
    );
  return reports;
}
