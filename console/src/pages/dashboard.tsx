import { ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../components/use-load';
import { useConsole } from '../context';
import { href } from '../router';
import type { Overview } from '../types';

/** Sends today and in 30 days per channel, delivery, opt-outs, feedback, spoof reports, credit, campaigns sending now. */
export function DashboardPage() {
  const { api, words } = useConsole();
  const overview = useLoad(() => api.get<Overview>('/v1/overview'), [], 30_000);
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
            const { sms, email } = p.channels;

            return (
              <article class="card" key={period}>
                <h2>{t(`dashboard.${period}`)}</h2>
                <dl>
                  <dt>{t('channel.sms')}</dt>
                  <dd data-figure={`${period}-sms`}>{words.number(sms.sent)}</dd>
                  <dt>{t('channel.email')}</dt>
                  <dd data-figure={`${period}-email`}>{words.number(email.sent)}</dd>
                  <dt>{t('dashboard.smsDeliveryRate')}</dt>
                  <dd>{sms.deliveryRate === null ? '—' : words.percent(sms.deliveryRate)}</dd>
                  <dt>{t('dashboard.emailDeliveryRate')}</dt>
                  <dd>{email.deliveryRate === null ? '—' : words.percent(email.deliveryRate)}</dd>
                  <dt>{t('dashboard.optOuts')}</dt>
                  <dd>{words.number(sms.optOuts + email.optOuts)}</dd>
                  <dt>{t('dashboard.bounces')}</dt>
                  <dd>{words.number(email.bounced)}</dd>
                  <dt>{t('dashboard.complaints')}</dt>
                  <dd>{words.number(email.complained)}</dd>
                  <dt>{t('dashboard.spoofReports')}</dt>
                  <dd>{words.number(p.spoofReports.spoofed)}</dd>
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
      {figures && figures.sendingNow.length === 0 ? (
        <p class="note">{t('dashboard.nothingSending')}</p>
      ) : null}
      <ul class="plain">
        {(figures?.sendingNow ?? []).map((campaign) => (
          <li key={campaign.id}>
            <a href={href(`campaigns/${campaign.id}`)}>{campaign.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
