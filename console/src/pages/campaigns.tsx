import { useState } from 'preact/hooks';
import { ErrorNote, Loading, Progress } from '../components/notes';
import { FilterSelect, Pager, useCursors } from '../components/pager';
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
  const pages = useCursors();
  const cursor = pages.cursor;
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
      <FilterSelect
        label={t('campaigns.filter')}
        value={status}
        options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) }))}
        onChange={(value) => {
          setStatus(value);
          pages.reset();
        }}
      />
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
      <Pager pages={pages} next={page.data?.cursor} />
    </section>
  );
}
