import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../components/use-load';
import { can, useConsole } from '../context';
import type { Page } from '../types';

type Channel = 'sms' | 'email';

interface Variant {
  text?: string;
  subject?: string;
  html?: string;
}

interface Template {
  id: string;
  name: string;
  channel: Channel;
  version: number;
  variants: { fa?: Variant; en?: Variant };
}

interface Rendered {
  text?: string;
  subject?: string;
  html?: string;
  encoding?: string;
  segments?: number;
  warnings?: (string | { message: string })[];
}

const LOCALES = ['fa', 'en'] as const;

/** Templates: the fa and en variants side by side, each rendered live as a recipient gets it. */
export function TemplatesPage() {
  const { api, words, session } = useConsole();
  const t = words.t;
  const templates = useLoad(() => api.get<Page<Template>>('/v1/templates'), []);
  const [editing, setEditing] = useState<Template | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const marketer = can(session.role, 'marketer');
  const blank = (channel: Channel): Template => ({
    id: '',
    name: '',
    channel,
    version: 0,
    variants: { fa: channel === 'sms' ? { text: '' } : { subject: '', html: '' } },
  });
  const save = async (template: Template) => {
    setFailure(undefined);
    const body = { name: template.name, channel: template.channel, variants: template.variants };
    try {
      const saved = template.id
        ? await api.send<Template>('PUT', `/v1/templates/${template.id}`, body)
        : await api.send<Template>('POST', '/v1/templates', body);
      setEditing({ ...template, ...saved });
      templates.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">{t('nav.templates')}</h1>
      <ErrorNote error={templates.error} />
      {templates.loading && !templates.data ? <Loading /> : null}
      <ul class="list">
        {(templates.data?.items ?? []).map((template) => (
          <li class="item" key={template.id}>
            <button type="button" class="link" onClick={() => setEditing(template)}>
              {template.name}
            </button>
            <span class="muted">
              {t(`channel.${template.channel}`)} · {t('templates.version', { version: template.version })}
            </span>
          </li>
        ))}
      </ul>
      {marketer ? (
        <div class="actions">
          <button type="button" onClick={() => setEditing(blank('sms'))}>
            {t('templates.newSms')}
          </button>
          <button type="button" onClick={() => setEditing(blank('email'))}>
            {t('templates.newEmail')}
          </button>
        </div>
      ) : null}
      {editing ? <Editor template={editing} onSave={save} readOnly={!marketer} /> : null}
      <ErrorNote error={failure} />
    </section>
  );
}

function Editor({
  template,
  onSave,
  readOnly,
}: {
  readonly template: Template;
  readonly onSave: (template: Template) => Promise<void>;
  readonly readOnly: boolean;
}) {
  const { words } = useConsole();
  const t = words.t;
  const [draft, setDraft] = useState(template);
  useEffect(() => setDraft(template), [template]);
  const setVariant = (locale: 'fa' | 'en', change: Variant) =>
    setDraft({
      ...draft,
      variants: { ...draft.variants, [locale]: { ...(draft.variants[locale] ?? {}), ...change } },
    });
  return (
    <form
      class="stack wide"
      onSubmit={(event) => {
        event.preventDefault();
        void onSave(draft);
      }}
    >
      <label>
        {t('settings.name')}
        <input
          name="templateName"
          required
          readOnly={readOnly}
          value={draft.name}
          onInput={(event) => setDraft({ ...draft, name: (event.target as HTMLInputElement).value })}
        />
      </label>
      <div class="side-by-side">
        {LOCALES.map((locale) => {
          const variant = draft.variants[locale] ?? {};
          return (
            <fieldset class="stack" key={locale} dir={locale === 'fa' ? 'rtl' : 'ltr'} lang={locale}>
              <legend>{t(`templates.variant.${locale}`)}</legend>
              {draft.channel === 'sms' ? (
                <label>
                  {t('composer.smsText')}
                  <textarea
                    name={`text-${locale}`}
                    rows={4}
                    readOnly={readOnly}
                    value={variant.text ?? ''}
                    onInput={(event) =>
                      setVariant(locale, { text: (event.target as HTMLTextAreaElement).value })
                    }
                  />
                </label>
              ) : (
                <>
                  <label>
                    {t('composer.subject')}
                    <input
                      name={`subject-${locale}`}
                      readOnly={readOnly}
                      value={variant.subject ?? ''}
                      onInput={(event) =>
                        setVariant(locale, { subject: (event.target as HTMLInputElement).value })
                      }
                    />
                  </label>
                  <label>
                    {t('composer.html')}
                    <textarea
                      name={`html-${locale}`}
                      rows={6}
                      dir="ltr"
                      readOnly={readOnly}
                      value={variant.html ?? ''}
                      onInput={(event) =>
                        setVariant(locale, { html: (event.target as HTMLTextAreaElement).value })
                      }
                    />
                  </label>
                </>
              )}
              {template.id ? (
                <Render id={template.id} version={template.version} locale={locale} channel={draft.channel} />
              ) : null}
            </fieldset>
          );
        })}
      </div>
      {readOnly ? null : (
        <button type="submit" class="primary">
          {t('templates.save')}
        </button>
      )}
    </form>
  );
}

/** The saved version rendered by the API for a sample contact, exactly as a recipient gets it. */
function Render({
  id,
  version,
  locale,
  channel,
}: {
  readonly id: string;
  readonly version: number;
  readonly locale: 'fa' | 'en';
  readonly channel: Channel;
}) {
  const { api, words } = useConsole();
  const t = words.t;
  const rendered = useLoad(
    () =>
      api.send<Rendered>('POST', `/v1/templates/${id}/render`, {
        locale,
        sample: { name: locale === 'fa' ? 'سارا' : 'Sara' },
      }),
    [id, version, locale],
  );
  if (rendered.error) return <ErrorNote error={rendered.error} />;
  if (!rendered.data) return <Loading />;
  const r = rendered.data;
  return (
    <figure class="render" data-render={locale}>
      <figcaption>{t('templates.rendered')}</figcaption>
      {channel === 'sms' ? (
        <>
          <pre class="sms">{r.text}</pre>
          <p class="muted">
            {t('composer.smsFigures', {
              encoding: r.encoding ?? '',
              characters: r.text?.length ?? 0,
              segments: r.segments ?? 0,
            })}
          </p>
        </>
      ) : (
        <iframe title={t('templates.rendered')} sandbox="" srcdoc={r.html ?? ''} />
      )}
    </figure>
  );
}
