import { type Command, Option } from 'commander';
import { answer } from '../client';
import { LiveBlock } from '../live';
import { fields, table } from '../output';
import { type Act, type Context, positiveInteger } from '../program';
import { nextPage } from './contacts';
import { readJsonFile } from './files';

interface Stats {
  total: number;
  queued: number;
  cancelled: number;
  sent: number;
  failed: number;
  suppressed: number;
  delivered: number;
  undelivered: number;
  bounced: number;
  complained: number;
}

interface CampaignView {
  id: string;
  name: string;
  status: string;
  channels?: readonly string[];
  /** null: held until a PATCH schedules it. */
  sendAt?: string | null;
  pausedReason?: string;
  waiting?: { reason: string; until: string };
  sms?: { encoding: string; characters: number; segments: number };
  stats?: Stats;
}

type CampaignStatus = 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

/** The statuses after which nothing about a campaign changes. */
const ENDED = new Set(['sent', 'cancelled']);

/** One campaign as people read it: its state, then its figures. */
export function campaignSummary(campaign: CampaignView): string {
  const stats = campaign.stats;
  const done = stats ? stats.sent + stats.failed + stats.suppressed + stats.cancelled : 0;
  return fields({
    campaign: campaign.id,
    name: campaign.name,
    status: campaign.pausedReason ? `${campaign.status} (${campaign.pausedReason})` : campaign.status,
    waiting: campaign.waiting ? `${campaign.waiting.reason} until ${campaign.waiting.until}` : undefined,
    channels: campaign.channels,
    sendAt: campaign.sendAt,
    sms: campaign.sms ? `${campaign.sms.segments} segment(s), ${campaign.sms.encoding}` : undefined,
    progress:
      stats && stats.total > 0
        ? `${done}/${stats.total} (${Math.floor((done / stats.total) * 100)}%)`
        : undefined,
    ...(stats ?? {}),
  });
}

export function campaignTable(rows: readonly CampaignView[]): string {
  return table(rows, [
    { header: 'id', value: (row) => row.id },
    { header: 'name', value: (row) => row.name, maxWidth: 32 },
    { header: 'status', value: (row) => row.status },
    { header: 'channels', value: (row) => row.channels },
    { header: 'sendAt', value: (row) => row.sendAt },
    { header: 'total', value: (row) => row.stats?.total, align: 'right' },
    { header: 'sent', value: (row) => row.stats?.sent, align: 'right' },
    { header: 'failed', value: (row) => row.stats?.failed, align: 'right' },
  ]);
}

async function showCampaign(context: Context, campaignId: string) {
  return answer(context.client.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } }));
}

/** Redraws the campaign's figures every `interval` ms until it is sent or cancelled. */
async function watchCampaign(context: Context, options: { interval: number }, campaignId: string) {
  const block = new LiveBlock(context.io.stdout);
  for (;;) {
    const campaign = await showCampaign(context, campaignId);
    const ended = ENDED.has(campaign.status);
    if (!context.json) block.draw(campaignSummary(campaign));
    else if (ended) context.print(campaign, () => '');
    if (ended) return;
    await context.sleep(options.interval);
  }
}

type Move = 'pause' | 'resume' | 'cancel';

function moveCommand(campaigns: Command, act: Act, move: Move, description: string) {
  campaigns
    .command(`${move} <campaignId>`)
    .description(description)
    .action(
      act<object, [string]>(async (context, _options, campaignId) => {
        const moved = await answer(
          context.client.POST(`/v1/campaigns/{campaignId}/${move}`, { params: { path: { campaignId } } }),
        );
        context.print(moved, () => `${moved.id}: ${moved.status}\n`);
      }),
    );
}

const many = (value: string, previous: string[] = []) => [...previous, value];

/** `chapar campaigns …` */
export function campaignsCommand(campaigns: Command, act: Act): Command {
  campaigns
    .command('list')
    .description('campaigns, newest first')
    .addOption(
      new Option('--status <status>', 'only campaigns in this status').choices([
        'scheduled',
        'sending',
        'paused',
        'sent',
        'cancelled',
      ]),
    )
    .option('--limit <n>', 'at most this many', positiveInteger(100))
    .option('--cursor <cursor>', 'the next page, as the previous one said')
    .action(
      act<{ status?: CampaignStatus; limit?: number; cursor?: string }>(async (context, options) => {
        const page = await answer(
          context.client.GET('/v1/campaigns', {
            params: {
              query: {
                ...(options.status ? { status: options.status } : {}),
                ...(options.limit ? { limit: String(options.limit) } : {}),
                ...(options.cursor ? { cursor: options.cursor } : {}),
              },
            },
          }),
        );
        context.print(page, () => campaignTable(page.items) + nextPage(page.cursor));
      }),
    );

  campaigns
    .command('show <campaignId>')
    .description("a campaign's state and figures")
    .action(
      act<object, [string]>(async (context, _options, campaignId) => {
        const campaign = await showCampaign(context, campaignId);
        context.print(campaign, () => campaignSummary(campaign));
      }),
    );

  campaigns
    .command('create <file>')
    .description('create a campaign from a JSON file (the body of POST /v1/campaigns; - reads stdin)')
    .action(
      act<object, [string]>(async (context, _options, file) => {
        const body = await readJsonFile(file);
        const created = await answer(context.client.POST('/v1/campaigns', { body: body as never }));
        context.print(
          created,
          () => `${created.id}: ${created.status}${created.sendAt ? ` at ${created.sendAt}` : ''}\n`,
        );
      }),
    );

  moveCommand(campaigns, act, 'pause', 'pause a sending or scheduled campaign; nothing more goes out');
  moveCommand(campaigns, act, 'resume', 'resume a paused campaign where it stopped');
  moveCommand(campaigns, act, 'cancel', 'cancel a campaign for good');

  campaigns
    .command('test <campaignId>')
    .description("send the campaign's real rendering now, marked as a test, to at most 10 targets")
    .option('--contact <id>', 'a contact to send to (repeatable)', many)
    .option('--phone <phone>', 'a phone to send to (repeatable)', many)
    .option('--email <email>', 'an email address to send to (repeatable)', many)
    .action(
      act<{ contact?: string[]; phone?: string[]; email?: string[] }, [string]>(
        async (context, options, campaignId) => {
          const sent = await answer(
            context.client.POST('/v1/campaigns/{campaignId}/test', {
              params: { path: { campaignId } },
              body: {
                ...(options.contact ? { contactIds: options.contact } : {}),
                ...(options.phone ? { phones: options.phone } : {}),
                ...(options.email ? { emails: options.email } : {}),
              },
            }),
          );
          context.print(sent, () =>
            table(sent.results, [
              { header: 'target', value: (row) => row.target },
              { header: 'channel', value: (row) => row.channel },
              { header: 'to', value: (row) => row.to },
              { header: 'status', value: (row) => row.status },
              { header: 'reason', value: (row) => row.reason },
            ]),
          );
        },
      ),
    );

  campaigns
    .command('watch <campaignId>')
    .description("redraw a campaign's figures live until it is sent or cancelled")
    .option('--interval <ms>', 'how often the figures are read', positiveInteger(60_000), 1000)
    .action(act<{ interval: number }, [string]>(watchCampaign));
  return campaigns;
}
