import { useState } from 'preact/hooks';
import { ErrorNote, Loading } from '../components/notes';
import { FilterSelect, Pager, useCursors } from '../components/pager';
import { useLoad } from '../components/use-load';
import { useConsole } from '../context';
import type { MessageKey } from '../i18n';
import type { Page, SpoofReport } from '../types';

const VERDICTS = ['spoofed', 'genuine', 'unverified'] as const;

/** Spoofed-SMS reports, newest first, with verdict, sender, time and the reporter masked. */
export function ReportsPage() {
  const { api, words } = useConsole();
  const t = words.t;
  const [verdict, setVerdict] = useState('');
  const pages = useCursors();
  const cursor = pages.cursor;
  const page = useLoad(
    () => api.get<Page<SpoofReport>>('/v1/reports', { verdict, cursor, limit: 50 }),
    [verdict, cursor],
  );
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t('nav.reports')}</h1>
      <FilterSelect
        label={t('reports.verdict')}
        value={verdict}
        options={VERDICTS.map((v) => ({ value: v, label: t(`verdict.${v}` as MessageKey) }))}
        onChange={(value) => {
          setVerdict(value);
          pages.reset();
        }}
      />
      <ErrorNote error={page.error} />
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && page.data.items.length === 0 ? <p class="note">{t('reports.none')}</p> : null}
      {page.data && page.data.items.length > 0 ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('reports.when')}</th>
                <th scope="col">{t('reports.verdict')}</th>
                <th scope="col">{t('reports.sender')}</th>
                <th scope="col">{t('reports.reporter')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((report) => (
                <tr key={report.id}>
                  <td>{words.dateTime(report.receivedAt ?? report.createdAt)}</td>
                  <td>
                    <span class={`badge ${report.verdict}`}>
                      {t(`verdict.${report.verdict}` as MessageKey)}
                    </span>
                  </td>
                  <td dir="ltr">{report.sender}</td>
                  <td dir="ltr">
                    {report.erased
                      ? t('reports.erased')
                      : [report.reporter?.phone, report.reporter?.email].filter(Boolean).join(' · ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager pages={pages} next={page.data?.cursor} />
    </section>
  );
}
