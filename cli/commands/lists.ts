import type { Command } from 'commander';
import { answer } from '../client';
import { fields, table } from '../output';
import { type Act, type Context, positiveInteger } from '../program';
import { nextPage } from './contacts';

interface ListView {
  id: string;
  name: string;
  description?: string;
  members: number;
  createdAt: string;
}

export function listTable(rows: readonly ListView[]): string {
  return table(rows, [
    { header: 'id', value: (row) => row.id },
    { header: 'name', value: (row) => row.name, maxWidth: 32 },
    { header: 'members', value: (row) => row.members, align: 'right' },
    { header: 'description', value: (row) => row.description },
    { header: 'createdAt', value: (row) => row.createdAt },
  ]);
}

type Paging = { limit?: number; cursor?: string };

function pageQuery(options: Paging) {
  return {
    ...(options.limit ? { limit: String(options.limit) } : {}),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  };
}

async function changeMembers(
  context: Context,
  listId: string,
  change: { add?: string[]; remove?: string[] },
) {
  const changed = await answer(
    context.client.POST('/v1/lists/{listId}/members', { params: { path: { listId } }, body: change }),
  );
  context.print(changed, () =>
    fields({
      list: listId,
      added: changed.added,
      removed: changed.removed,
      members: changed.members,
      unknownContacts: changed.unknownContacts.length ? changed.unknownContacts : undefined,
    }),
  );
}

/** `chapar lists …` */
export function listsCommand(lists: Command, act: Act): Command {
  lists
    .command('list')
    .description('every list, with its member count')
    .option('--limit <n>', 'at most this many', positiveInteger(100))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<Paging>(async (context, options) => {
        const page = await answer(context.client.GET('/v1/lists', { params: { query: pageQuery(options) } }));
        context.print(page, () => listTable(page.items) + nextPage(page.cursor));
      }),
    );

  lists
    .command('create <name>')
    .description('a new, empty list')
    .option('--description <text>', 'what the list is for')
    .action(
      act<{ description?: string }, [string]>(async (context, options, name) => {
        const list = await answer(
          context.client.POST('/v1/lists', {
            body: { name, ...(options.description ? { description: options.description } : {}) },
          }),
        );
        context.print(list, () => listTable([list]));
      }),
    );

  lists
    .command('add <listId> <contactIds...>')
    .description('put contacts on a list (at most 1,000 a call; unknown contacts are named, not added)')
    .action(
      act<object, [string, string[]]>((context, _options, listId, add) =>
        changeMembers(context, listId, { add }),
      ),
    );

  lists
    .command('remove <listId> <contactIds...>')
    .description('take contacts off a list')
    .action(
      act<object, [string, string[]]>((context, _options, listId, remove) =>
        changeMembers(context, listId, { remove }),
      ),
    );

  lists
    .command('members <listId>')
    .description("a list's member contact ids, a page at a time")
    .option('--limit <n>', 'at most this many', positiveInteger(1000))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<Paging, [string]>(async (context, options, listId) => {
        const page = await answer(
          context.client.GET('/v1/lists/{listId}/members', {
            params: { path: { listId }, query: pageQuery(options) },
          }),
        );
        context.print(
          page,
          () => table(page.items, [{ header: 'contactId', value: (id) => id }]) + nextPage(page.cursor),
        );
      }),
    );
  return lists;
}
