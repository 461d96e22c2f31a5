import { useState } from 'preact/hooks';
import { ErrorNote, Loading, Progress } from '../components/notes';
import { useLoad } from '../components/use-load';
import { can, useConsole } from '../context';
import type { MessageKey } from '../i18n';
import { href } from '../router';
import type { CampaignStats, CampaignStatus, CampaignSummary, Page } from '../types';

export const STATUSES: readonly CampaignStatus[] = ['scheduled', 'sending', 'paused', 'sent', 'cancelled'];

/** How far a campaign is: its ended recipients over its total. */
export function progressOf(stats: CampaignStats | undefined): number {
  if (!stats || stats.total === 0) return 0;
  return (stats.sent + stats.failed + stats.suppressed + stats.cancelled) / stats.total;
}

/** Campaigns newest first, filtered by status, a page at a time, each with its progress. */
export function CampaignsPage() {
  const { api, words, session } = useConsole();
  const t = words.t;
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useLoad(
    () => api.get<Page<CampaignSummary>>('/v1/campaigns', { status, cursor, limit: 20 }),
    [status, cursor],
    15_000,
  );
  return (
    <section aria-labelledby="campaigns-title">
      <header class="row">
        <h1 id="campaigns-title">{t('nav.campaigns')}</h1>
        {can(session.role, 'marketer') ? (
          <a class="button primary" href={href('campaigns/new')}>
            {t('campaigns.new')}
          </a>
        ) : null}
      </header>
      <label class="inline">
        {t('campaigns.filter')}
        <select
          value={status}
          onChange={(event) => {
            setStatus((event.target as HTMLSelectElement).value);
            setCursors([]);
          }}
        >
          <option value="">{t('campaigns.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={page.error} />
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && page.data.items.length === 0 ? <p class="note">{t('campaigns.none')}</p> : null}
      <ul class="list">
        {(page.data?.items ?? []).map((campaign) => (
          <li key={campaign.id} class="item">
            <a href={href(`campaigns/${campaign.id}`)}>{campaign.name}</a>
            <span class={`badge ${campaign.status}`}>{t(`status.${campaign.status}` as MessageKey)}</span>
            <span class="muted">
              {campaign.channels.map((c) => t(`channel.${c}` as MessageKey)).join(' · ')}
              {campaign.sendAt ? ` · ${words.dateTime(campaign.sendAt)}` : ''}
            </span>
            <Progress
              value={progressOf(campaign.stats)}
              label={t('campaigns.progress', { name: campaign.name })}
            />
          </li>
        ))}
      </ul>
      <nav class="pager" aria-label={t('pager')}>
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          {t('pager.previous')}
        </button>
        <button
          type="button"
          disabled={!page.data?.cursor}
          onClick={() => page.data?.cursor && setCursors([...cursors, page.data.cursor])}
        >
          {t('pager.next')}
        </button>
      </nav>
    </section>
  );
}
