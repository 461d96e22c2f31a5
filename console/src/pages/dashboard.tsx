import { ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../components/use-load';
import { useConsole } from '../context';
import { href } from '../router';
import type { CampaignSummary, Overview } from '../types';

/** Sends today and in 30 days per channel, delivery, opt-outs, feedback, spoof reports, credit, campaigns sending now. */
export function DashboardPage() {
  const { api, words } = useConsole();
  const overview = useLoad(() => api.get<Overview>('/v1/overview'), [], 30_000);
  const sending = useLoad(
    () => api.get<{ items: CampaignSummary[] }>('/v1/campaigns', { status: 'sending', limit: 20 }),
    [],
    10_000,
  );
  const t = words.t;
  const figures = overview.data;
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('nav.dashboard')}</h1>
      <ErrorNote error={overview.error} />
      {overview.loading && !figures ? <Loading /> : null}
      {figures ? (
        <div class="cards">
          {(['today', 'last30Days'] as const).map((period) => {
            const p = figures[period];
            return (
              <article class="card" key={period}>
                <h2>{t(`dashboard.${period}`)}</h2>
                <dl>
                  <dt>{t('channel.sms')}</dt>
                  <dd data-figure={`${period}-sms`}>{words.number(p.sent.sms)}</dd>
                  <dt>{t('channel.email')}</dt>
                  <dd data-figure={`${period}-email`}>{words.number(p.sent.email)}</dd>
                  <dt>{t('dashboard.deliveryRate')}</dt>
                  <dd>{p.deliveryRate === null ? '—' : words.percent(p.deliveryRate)}</dd>
                  <dt>{t('dashboard.optOuts')}</dt>
                  <dd>{words.number(p.optOuts)}</dd>
                  <dt>{t('dashboard.bounces')}</dt>
                  <dd>{words.number(p.bounced)}</dd>
                  <dt>{t('dashboard.complaints')}</dt>
                  <dd>{words.number(p.complained)}</dd>
                  <dt>{t('dashboard.spoofReports')}</dt>
                  <dd>{words.number(p.spoofReports)}</dd>
                </dl>
              </article>
            );
          })}
          <article class="card">
            <h2>{t('dashboard.credit')}</h2>
            <p class="big">
              {figures.smsCreditRial === null || figures.smsCreditRial === undefined
                ? t('dashboard.creditUnknown')
                : t('money.rial', { amount: figures.smsCreditRial })}
            </p>
          </article>
        </div>
      ) : null}
      <h2>{t('dashboard.sendingNow')}</h2>
      <ErrorNote error={sending.error} />
      {sending.data && sending.data.items.length === 0 ? (
        <p class="note">{t('dashboard.nothingSending')}</p>
      ) : null}
      <ul class="plain">
        {(sending.data?.items ?? []).map((campaign) => (
          <li key={campaign.id}>
            <a href={href(`campaigns/${campaign.id}`)}>{campaign.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
