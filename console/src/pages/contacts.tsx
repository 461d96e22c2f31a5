import { useState } from 'preact/hooks';
import { TextField } from '../components/forms';
import { ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../components/use-load';
import { can, useConsole } from '../context';
import { latinDigits } from '../i18n';
import { href, navigate } from '../router';
import type { ConsentEntry, Contact, Page } from '../types';

/** Search by a phone in any written form, an email or an id. */
export function ContactsPage() {
  const { api, words } = useConsole();
  const t = words.t;
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  const found = useLoad(
    () =>
      asked ? api.get<Page<Contact>>('/v1/contacts', { q: latinDigits(asked) }) : Promise.resolve(undefined),
    [asked],
  );
  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">{t('nav.contacts')}</h1>
      <search>
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault();
            setAsked(query.trim());
          }}
        >
          <TextField
            label={t('contacts.search')}
            labelClass="grow"
            type="search"
            name="q"
            placeholder={t('contacts.searchHint')}
            value={query}
            onValue={setQuery}
          />
          <button type="submit" class="primary">
            {t('contacts.find')}
          </button>
        </form>
      </search>
      <ErrorNote error={found.error} />
      {asked && found.data && found.data.items.length === 0 ? <p class="note">{t('contacts.none')}</p> : null}
      <ul class="list">
        {(found.data?.items ?? []).map((contact) => (
          <li key={contact.id} class="item">
            <a href={href(`contacts/${encodeURIComponent(contact.id)}`)}>{contact.name || contact.id}</a>
            <span class="muted" dir="ltr">
              {[contact.phone, contact.email].filter(Boolean).join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface ConsentView {
  state?: { channel: string; topic: string; status: string; source?: string; at?: string }[];
  history?: ConsentEntry[];
}

interface ExportView {
  messages?: {
    campaignId: string;
    channel: string;
    status: string;
    sentAt?: string;
    deliveryStatus?: string;
  }[];
}

/** A contact: its lists, consent and whole ledger, messages, export, and erasure for admins. */
export function ContactPage({ id }: { readonly id: string }) {
  const { api, words, session } = useConsole();
  const t = words.t;
  const path = `/v1/contacts/${encodeURIComponent(id)}`;
  const contact = useLoad(() => api.get<Contact>(path), [id]);
  const consent = useLoad(() => api.get<ConsentView>(`${path}/consent`), [id]);
  // The messages sent come with the export, which needs a marketer (it hands over the whole record).
  const sent = useLoad(
    () =>
      can(session.role, 'marketer') ? api.get<ExportView>(`${path}/export`) : Promise.resolve(undefined),
    [id],
  );
  const [confirm, setConfirm] = useState('');
  const [failure, setFailure] = useState<unknown>(undefined);
  const [erased, setErased] = useState(false);
  if (erased) return <p class="note">{t('contact.erased')}</p>;
  if (!contact.data) return contact.error ? <ErrorNote error={contact.error} /> : <Loading />;
  const c = contact.data;
  const ledger = consent.data?.history ?? [];
  const state = consent.data?.state ?? [];
  const download = async () => {
    setFailure(undefined);
    try {
      const blob = await api.download(`${path}/export`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `contact-${c.id}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      setFailure(error);
    }
  };
  const erase = async () => {
    setFailure(undefined);
    try {
      await api.send('DELETE', path);
      setErased(true);
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section aria-labelledby="contact-title">
      <h1 id="contact-title">{c.name || c.id}</h1>
      <dl class="facts">
        <dt>{t('contact.id')}</dt>
        <dd dir="ltr">{c.id}</dd>
        <dt>{t('contact.phone')}</dt>
        <dd dir="ltr">{c.phone ?? '—'}</dd>
        <dt>{t('contact.email')}</dt>
        <dd dir="ltr">{c.email ?? '—'}</dd>
        <dt>{t('contact.locale')}</dt>
        <dd>{c.locale === 'en' ? 'English' : 'فارسی'}</dd>
        <dt>{t('contact.lists')}</dt>
        <dd>{(c.lists ?? []).map((list) => list.name).join('، ') || '—'}</dd>
      </dl>
      <h2>{t('contact.consentNow')}</h2>
      {state.length === 0 ? <p class="note">{t('contact.allTopics')}</p> : null}
      {state.length > 0 ? (
        <div class="table-scroll">
          <table data-table="consent">
            <thead>
              <tr>
                <th scope="col">{t('contact.channelTopic')}</th>
                <th scope="col">{t('contact.state')}</th>
                <th scope="col">{t('contact.when')}</th>
              </tr>
            </thead>
            <tbody>
              {state.map((row) => (
                <tr key={`${row.channel}-${row.topic}`}>
                  <td>
                    {row.channel} / {row.topic}
                  </td>
                  <td>{row.status}</td>
                  <td>{row.at ? words.dateTime(row.at) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h2>{t('contact.ledger')}</h2>
      <ErrorNote error={consent.error} />
      <div class="table-scroll">
        <table data-table="ledger">
          <thead>
            <tr>
              <th scope="col">{t('contact.when')}</th>
              <th scope="col">{t('contact.action')}</th>
              <th scope="col">{t('contact.channelTopic')}</th>
              <th scope="col">{t('contact.source')}</th>
            </tr>
          </thead>
          <tbody>
            {ledger.map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>{words.dateTime(entry.at)}</td>
                <td>{entry.action}</td>
                <td>
                  {entry.channel} / {entry.topic}
                </td>
                <td>{entry.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {ledger.length === 0 ? <p class="note">{t('contact.noLedger')}</p> : null}
      {sent.data ? (
        <>
          <h2>{t('contact.messages')}</h2>
          {(sent.data.messages ?? []).length === 0 ? <p class="note">{t('contact.noMessages')}</p> : null}
          <ul class="plain" data-list="messages">
            {(sent.data.messages ?? []).map((message) => (
              <li key={`${message.campaignId}-${message.channel}`}>
                <a href={href(`campaigns/${message.campaignId}`)}>
                  {t(`channel.${message.channel === 'email' ? 'email' : 'sms'}`)}
                </a>{' '}
                · {message.deliveryStatus ?? message.status}
                {message.sentAt ? ` · ${words.dateTime(message.sentAt)}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div class="actions">
        <button type="button" onClick={download}>
          {t('contact.export')}
        </button>
      </div>
      {/* Marketers see it too, and the API's refusal (admins only) in words; viewers change nothing. */}
      {can(session.role, 'marketer') ? (
        <form
          class="danger-zone"
          onSubmit={(event) => {
            event.preventDefault();
            if (confirm === c.id) void erase();
          }}
        >
          <h2>{t('contact.erase')}</h2>
          <p>{t('contact.eraseExplain', { id: c.id })}</p>
          {can(session.role, 'admin') ? null : <p class="note">{t('contact.eraseAdminsOnly')}</p>}
          <TextField
            label={t('contact.eraseConfirm')}
            name="confirm"
            dir="ltr"
            value={confirm}
            onValue={setConfirm}
          />
          <button type="submit" class="danger" disabled={confirm !== c.id}>
            {t('contact.eraseButton')}
          </button>
        </form>
      ) : null}
      <ErrorNote error={failure} />
      <p>
        <a
          href={href('contacts')}
          onClick={(event) => {
            event.preventDefault();
            navigate('contacts');
          }}
        >
          {t('contacts.back')}
        </a>
      </p>
    </section>
  );
}
