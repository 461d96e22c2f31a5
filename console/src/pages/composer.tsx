import { useEffect, useState } from 'preact/hooks';
import { SubmitForm, TextField } from '../components/forms';
import { ErrorNote } from '../components/notes';
import { TehranPicker } from '../components/tehran-picker';
import { useLoad } from '../components/use-load';
import { useConsole } from '../context';
import { latinDigits } from '../i18n';
import { href, navigate } from '../router';
import type { Page } from '../types';

const TOPICS = ['newsletter', 'events', 'promotions', 'surveys'] as const;

interface Preview {
  sms?: { encoding: string; characters: number; segments: number; perSegment: number; sample: string };
  audience?: number;
  audienceComplete?: boolean;
  reach?: {
    sms?: { reachable: number; notOptedOut: number };
    email?: { reachable: number; notOptedOut: number };
  };
  warnings?: (string | { code?: string; message: string })[];
  smsStartsAt?: string;
  cost?: {
    sms?: { recipients: number; segments: number; rial: number };
    creditRial?: number | null;
    enough?: boolean;
  };
}

interface Named {
  id: string;
  name: string;
}

type AudienceKind = 'all' | 'list' | 'segment';

const warningText = (warning: string | { message: string }) =>
  typeof warning === 'string' ? warning : warning.message;

/** A new campaign: channels, topic, audience with live reach, SMS with live figures and cost, email, schedule, test send. */
export function ComposerPage() {
  const { api, words } = useConsole();
  const t = words.t;
  const [name, setName] = useState('');
  const [topic, setTopic] = useState<string>('promotions');
  const [channels, setChannels] = useState<{ sms: boolean; email: boolean }>({ sms: true, email: false });
  const [kind, setKind] = useState<AudienceKind>('all');
  const [listId, setListId] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [smsText, setSmsText] = useState('');
  const [subject, setSubject] = useState('');
  const [html, setHtml] = useState('');
  const [now, setNow] = useState(false);
  const [sendAt, setSendAt] = useState(
    () => new Date(Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000),
  );
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [previewError, setPreviewError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<{ id: string } | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [testTargets, setTestTargets] = useState('');
  const [testResult, setTestResult] = useState<unknown>(undefined);
  const lists = useLoad(() => api.get<Page<Named>>('/v1/lists'), []);
  const segments = useLoad(() => api.get<Page<Named>>('/v1/segments'), []);

  const audience =
    kind === 'all' ? { all: true } : kind === 'list' ? { listIds: listId ? [listId] : [] } : { segmentId };
  const body = {
    name: name || t('composer.untitled'),
    topic,
    channels: (['sms', 'email'] as const).filter((c) => channels[c]),
    audience,
    ...(channels.sms ? { sms: { text: smsText } } : {}),
    ...(channels.email ? { email: { subject, html } } : {}),
    ...(now ? {} : { sendAt: sendAt.toISOString() }),
  };
  const bodyKey = JSON.stringify(body);
  // Live figures: the preview is asked again half a second after the last change.
  useEffect(() => {
    const ready =
      body.channels.length > 0 && (!channels.sms || smsText) && (!channels.email || (subject && html));
    if (!ready || (kind === 'list' && !listId) || (kind === 'segment' && !segmentId)) return;
    const timer = setTimeout(() => {
      api.send<Preview>('POST', '/v1/campaigns/preview', JSON.parse(bodyKey)).then(
        (answer) => {
          setPreview(answer);
          setPreviewError(undefined);
        },
        (error: unknown) => setPreviewError(error),
      );
    }, 500);
    return () => clearTimeout(timer);
  }, [bodyKey]);

  // A draft first (held: no sendAt), so it can be test-sent; scheduling gives it its time.
  const save = async () => {
    setFailure(undefined);
    try {
      const draft = await api.send<{ id: string }>('POST', '/v1/campaigns', {
        ...body,
        sendAt: (now ? new Date(Date.now() + 3_600_000) : sendAt).toISOString(),
      });
      await api.send('PATCH', `/v1/campaigns/${draft.id}`, { sendAt: null });
      setCreated(draft);
    } catch (error) {
      setFailure(error);
    }
  };
  const schedule = async () => {
    if (!created) return;
    setFailure(undefined);
    try {
      await api.send('PATCH', `/v1/campaigns/${created.id}`, {
        sendAt: (now ? new Date() : sendAt).toISOString(),
      });
      navigate(`campaigns/${created.id}`);
    } catch (error) {
      setFailure(error);
    }
  };
  const testSend = async () => {
    if (!created) return;
    setTestResult(undefined);
    const targets = testTargets
      .split(/[\s,،]+/)
      .map((target) => latinDigits(target.trim()))
      .filter(Boolean);
    const phones = targets.filter((target) => !target.includes('@'));
    const emails = targets.filter((target) => target.includes('@'));
    try {
      const answer = await api.send<{ results?: { target: string; channel: string; status: string }[] }>(
        'POST',
        `/v1/campaigns/${created.id}/test`,
        { ...(phones.length ? { phones } : {}), ...(emails.length ? { emails } : {}) },
      );
      setTestResult(answer);
    } catch (error) {
      setTestResult(error);
    }
  };

  return (
    <section aria-labelledby="composer-title">
      <h1 id="composer-title">{t('campaigns.new')}</h1>
      <SubmitForm class="stack wide" onSubmit={save}>
        <TextField label={t('composer.name')} name="name" required value={name} onValue={setName} />
        <fieldset class="row">
          <legend>{t('composer.channels')}</legend>
          {(['sms', 'email'] as const).map((channel) => (
            <label class="inline" key={channel}>
              <input
                type="checkbox"
                name={`channel-${channel}`}
                checked={channels[channel]}
                onChange={(event) =>
                  setChannels({ ...channels, [channel]: (event.target as HTMLInputElement).checked })
                }
              />
              {t(`channel.${channel}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('composer.topic')}
          <select
            name="topic"
            value={topic}
            onChange={(event) => setTopic((event.target as HTMLSelectElement).value)}
          >
            {TOPICS.map((value) => (
              <option key={value} value={value}>
                {t(`topic.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="stack">
          <legend>{t('composer.audience')}</legend>
          {(['all', 'list', 'segment'] as const).map((value) => (
            <label class="inline" key={value}>
              <input type="radio" name="audience" checked={kind === value} onChange={() => setKind(value)} />
              {t(`composer.audience.${value}`)}
            </label>
          ))}
          {kind === 'list' ? (
            <select
              name="listId"
              aria-label={t('composer.audience.list')}
              value={listId}
              onChange={(event) => setListId((event.target as HTMLSelectElement).value)}
            >
              <option value="">—</option>
              {(lists.data?.items ?? []).map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name}
                </option>
              ))}
            </select>
          ) : null}
          {kind === 'segment' ? (
            <select
              name="segmentId"
              aria-label={t('composer.audience.segment')}
              value={segmentId}
              onChange={(event) => setSegmentId((event.target as HTMLSelectElement).value)}
            >
              <option value="">—</option>
              {(segments.data?.items ?? []).map((segment) => (
                <option key={segment.id} value={segment.id}>
                  {segment.name}
                </option>
              ))}
            </select>
          ) : null}
          {preview?.reach ? (
            <p class="note" data-reach>
              {t('composer.reach', {
                audience: preview.audience ?? 0,
                sms: preview.reach.sms?.notOptedOut ?? 0,
                email: preview.reach.email?.notOptedOut ?? 0,
              })}
            </p>
          ) : null}
        </fieldset>
        {channels.sms ? (
          <fieldset class="stack">
            <legend>{t('channel.sms')}</legend>
            <label>
              {t('composer.smsText')}
              <textarea
                name="smsText"
                rows={4}
                value={smsText}
                onInput={(event) => setSmsText((event.target as HTMLTextAreaElement).value)}
              />
            </label>
            {preview?.sms ? (
              <p class="muted" data-sms-figures>
                {t('composer.smsFigures', {
                  encoding: preview.sms.encoding,
                  characters: preview.sms.characters,
                  segments: preview.sms.segments,
                })}
                {preview.cost?.sms ? ` · ${t('money.rial', { amount: preview.cost.sms.rial })}` : ''}
              </p>
            ) : null}
            {preview?.cost && preview.cost.enough === false ? (
              <p class="note warn">{t('composer.notEnoughCredit')}</p>
            ) : null}
          </fieldset>
        ) : null}
        {channels.email ? (
          <fieldset class="stack">
            <legend>{t('channel.email')}</legend>
            <TextField label={t('composer.subject')} name="subject" value={subject} onValue={setSubject} />
            <label>
              {t('composer.html')}
              <textarea
                name="html"
                rows={6}
                dir="ltr"
                value={html}
                onInput={(event) => setHtml((event.target as HTMLTextAreaElement).value)}
              />
            </label>
            <div class="row">
              {(['fa', 'en'] as const).map((locale) => (
                <figure class="email-preview" key={locale}>
                  <figcaption>{t(`composer.emailPreview.${locale}`)}</figcaption>
                  <iframe
                    title={t(`composer.emailPreview.${locale}`)}
                    sandbox=""
                    srcdoc={`<!doctype html><html lang="${locale}" dir="${locale === 'fa' ? 'rtl' : 'ltr'}"><body style="font-family:Tahoma,sans-serif"><h3>${escapeHtml(subject)}</h3>${html}</body></html>`}
                  />
                </figure>
              ))}
            </div>
          </fieldset>
        ) : null}
        <label class="inline">
          <input
            type="checkbox"
            name="sendNow"
            checked={now}
            onChange={(event) => setNow((event.target as HTMLInputElement).checked)}
          />
          {t('composer.sendNow')}
        </label>
        {now ? null : <TehranPicker label={t('composer.sendAt')} value={sendAt} onChange={setSendAt} />}
        {(preview?.warnings ?? []).map((warning) => (
          <p class="note warn" key={warningText(warning)} data-warning>
            {warningText(warning)}
          </p>
        ))}
        {preview?.smsStartsAt ? (
          <p class="note warn">{t('composer.smsStartsAt', { at: words.dateTime(preview.smsStartsAt) })}</p>
        ) : null}
        <ErrorNote error={previewError} />
        <button type="submit" class="primary" disabled={Boolean(created)}>
          {t('composer.saveDraft')}
        </button>
        <ErrorNote error={failure} />
      </SubmitForm>
      {created ? (
        <div class="card" data-created={created.id}>
          <p>
            {t('composer.saved')} <a href={href(`campaigns/${created.id}`)}>{t('composer.open')}</a>
          </p>
          <SubmitForm class="row" onSubmit={testSend}>
            <TextField
              label={t('composer.testTargets')}
              labelClass="grow"
              name="testTargets"
              dir="ltr"
              value={testTargets}
              onValue={setTestTargets}
            />
            <button type="submit">{t('composer.testSend')}</button>
          </SubmitForm>
          {testResult instanceof Error ? <ErrorNote error={testResult} /> : null}
          {testResult && !(testResult instanceof Error) ? (
            <p class="note" data-test-sent>
              {t('composer.testSent')}
            </p>
          ) : null}
          <button type="button" class="primary" onClick={() => void schedule()}>
            {now ? t('composer.sendNowButton') : t('composer.schedule')}
          </button>
          <ErrorNote error={failure} />
        </div>
      ) : null}
    </section>
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
