import { useMemo, useState } from 'preact/hooks';
import { Funnel, TimeChart } from '../components/charts';
import { ErrorNote, Loading, Progress } from '../components/notes';
import { useLoad } from '../components/use-load';
import { can, useConsole } from '../context';
import type { MessageKey } from '../i18n';
import { navigate } from '../router';
import type { CampaignView, TimelinePoint } from '../types';
import { progressOf } from './campaigns';

const ENDED = new Set(['sent', 'cancelled']);

/** One campaign: live stats, the funnel, sends over time, failures by reason, and what may be done to it. */
export function CampaignDetailPage({ id }: { readonly id: string }) {
  const { api, words, session } = useConsole();
  const t = words.t;
  const view = useLoad(
    () => api.get<CampaignView>(`/v1/campaigns/${encodeURIComponent(id)}`),
    [id],
    3_000,
    (campaign) => ENDED.has(campaign.status),
  );
  const timeline = useLoad(
    () => api.get<{ points: TimelinePoint[] }>(`/v1/campaigns/${encodeURIComponent(id)}/timeline`),
    [id],
    5_000,
    () => ENDED.has(view.data?.status ?? ''),
  );
  const [acting, setActing] = useState<unknown>(undefined);
  const act = async (action: 'pause' | 'resume' | 'cancel' | 'duplicate') => {
    setActing(undefined);
    try {
      const answer = await api.send<{ id: string }>(
        'POST',
        `/v1/campaigns/${encodeURIComponent(id)}/${action}`,
      );
      if (action === 'duplicate') navigate(`campaigns/${answer.id}`);
      else view.reload();
    } catch (error) {
      setActing(error);
    }
  };
  const series = useMemo(() => {
    const items = timeline.data?.points ?? [];
    const minutes = items.map((point) => Date.parse(point.minute));
    const pick = (name: 'sent' | 'delivered' | 'failed') => items.map((point) => point[name]);
    return {
      minutes,
      lines: [
        { label: t('stats.sent'), values: pick('sent'), color: '#1f6feb' },
        { label: t('stats.delivered'), values: pick('delivered'), color: '#1a7f37' },
        { label: t('stats.failed'), values: pick('failed'), color: '#cf222e' },
      ],
    };
  }, [timeline.data, t]);
  const campaign = view.data;
  if (!campaign) return view.error ? <ErrorNote error={view.error} /> : <Loading />;
  const stats = campaign.stats;
  const marketer = can(session.role, 'marketer');
  return (
    <section aria-labelledby="campaign-title">
      <header class="row">
        <h1 id="campaign-title">{campaign.name}</h1>
        <span class={`badge ${campaign.status}`} data-status={campaign.status}>
          {t(`status.${campaign.status}` as MessageKey)}
        </span>
      </header>
      {campaign.pausedReason ? (
        <p class="note warn">{t('campaign.pausedBecause', { reason: campaign.pausedReason })}</p>
      ) : null}
      {campaign.waiting ? (
        <p class="note warn">
          {t('campaign.waitingQuietHours', { until: words.dateTime(campaign.waiting.until) })}
        </p>
      ) : null}
      <Progress value={progressOf(stats)} label={t('campaigns.progress', { name: campaign.name })} />
      {marketer ? (
        <div class="actions">
          {campaign.status === 'sending' || campaign.status === 'scheduled' ? (
            <button type="button" onClick={() => act('pause')}>
              {t('campaign.pause')}
            </button>
          ) : null}
          {campaign.status === 'paused' ? (
            <button type="button" onClick={() => act('resume')}>
              {t('campaign.resume')}
            </button>
          ) : null}
          {!ENDED.has(campaign.status) ? (
            <button type="button" class="danger" onClick={() => act('cancel')}>
              {t('campaign.cancel')}
            </button>
          ) : null}
          <button type="button" onClick={() => act('duplicate')}>
            {t('campaign.duplicate')}
          </button>
        </div>
      ) : null}
      <ErrorNote error={acting} />
      {stats ? (
        <>
          <dl class="stats">
            {(
              [
                'total',
                'queued',
                'sent',
                'delivered',
                'failed',
                'suppressed',
                'bounced',
                'complained',
              ] as const
            ).map((name) => (
              <div key={name}>
                <dt>{t(`stats.${name}`)}</dt>
                <dd data-stat={name}>{words.number(stats[name])}</dd>
              </div>
            ))}
          </dl>
          <Funnel
            title={t('campaign.funnel')}
            steps={[
              { label: t('stats.total'), value: stats.total },
              { label: t('stats.sent'), value: stats.sent, tone: 'good' },
              { label: t('stats.delivered'), value: stats.delivered, tone: 'good' },
              { label: t('stats.failed'), value: stats.failed, tone: 'bad' },
              { label: t('stats.suppressed'), value: stats.suppressed },
              { label: t('stats.bounced'), value: stats.bounced, tone: 'bad' },
              { label: t('stats.complained'), value: stats.complained, tone: 'bad' },
            ]}
          />
        </>
      ) : null}
      <ErrorNote error={timeline.error} />
      <TimeChart title={t('campaign.overTime')} minutes={series.minutes} series={series.lines} />
      {campaign.failures && Object.keys(campaign.failures).length > 0 ? (
        <>
          <h2>{t('campaign.failures')}</h2>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('campaign.reason')}</th>
                  <th scope="col">{t('campaign.count')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(campaign.failures).map(([reason, count]) => (
                  <tr key={reason}>
                    <td>{reason}</td>
                    <td>{words.number(count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
