import { useState } from 'preact/hooks';
import { SubmitForm } from '../components/forms';
import { ErrorNote, Progress } from '../components/notes';
import { can, useConsole } from '../context';
import type { ImportView } from '../types';

const ENDED = new Set(['done', 'failed']);

/** Upload a CSV or Excel file, follow it to done, read the counts and download the error report. */
export function ImportsPage() {
  const { api, words, session } = useConsole();
  const t = words.t;
  const [file, setFile] = useState<File | undefined>(undefined);
  const [listId, setListId] = useState('');
  const [job, setJob] = useState<ImportView | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const start = async () => {
    if (!file) return;
    setFailure(undefined);
    setJob(undefined);
    setBusy(true);
    try {
      const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv';
      const created = await api.send<{ id: string; uploadUrl: string }>('POST', '/v1/imports', {
        format,
        ...(listId ? { listId } : {}),
        consent: { basis: 'implied', reference: `console:${file.name}` },
      });
      const upload = await fetch(created.uploadUrl, { method: 'PUT', body: file });
      if (!upload.ok) throw new Error(`upload ${upload.status}`);
      let view = await api.get<ImportView>(`/v1/imports/${created.id}`);
      setJob(view);
      while (!ENDED.has(view.status)) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        view = await api.get<ImportView>(`/v1/imports/${created.id}`);
        setJob(view);
      }
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const downloadErrors = async () => {
    if (!job) return;
    try {
      const blob = await api.download(`/v1/imports/${job.id}/errors`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `import-${job.id}-errors.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">{t('nav.imports')}</h1>
      {can(session.role, 'marketer') ? null : <p class="note">{t('imports.marketersOnly')}</p>}
      {can(session.role, 'marketer') ? (
        <SubmitForm class="stack" onSubmit={start}>
          <label>
            {t('imports.file')}
            <input
              type="file"
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(event) => setFile((event.target as HTMLInputElement).files?.[0])}
            />
          </label>
          <label>
            {t('imports.list')}
            <input
              name="listId"
              dir="ltr"
              value={listId}
              onInput={(event) => setListId((event.target as HTMLInputElement).value.trim())}
            />
          </label>
          <button type="submit" class="primary" disabled={!file || busy}>
            {t('imports.start')}
          </button>
        </SubmitForm>
      ) : null}
      <ErrorNote error={failure} />
      {job ? (
        <div class="card" data-import={job.status}>
          <p>{t(`imports.status.${job.status}`)}</p>
          <Progress value={job.progress} label={t('imports.progress')} />
          <dl class="stats">
            {(['rows', 'created', 'updated', 'unchanged', 'invalid', 'duplicatesInFile'] as const).map(
              (name) => (
                <div key={name}>
                  <dt>{t(`imports.${name}`)}</dt>
                  <dd data-count={name}>{words.number(job[name])}</dd>
                </div>
              ),
            )}
          </dl>
          {job.reason ? <p class="note error">{job.reason}</p> : null}
          {job.invalid > 0 ? (
            <button type="button" onClick={downloadErrors}>
              {t('imports.errors')}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
