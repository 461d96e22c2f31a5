import { useState } from 'preact/hooks';
import { SubmitForm, TextField } from '../components/forms';
import { ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../components/use-load';
import { can, useConsole } from '../context';
import type { Role } from '../session';

interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdAt?: string;
  lastUsedAt?: string | null;
}

interface User {
  username: string;
  email: string;
  role: Role;
  enabled: boolean;
  status?: string;
}

const ROLES: readonly Role[] = ['admin', 'marketer', 'viewer'];

/** API keys and users (admins), and the platform's read-only facts. */
export function SettingsPage() {
  const { words, session } = useConsole();
  const t = words.t;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('nav.settings')}</h1>
      <Facts />
      {can(session.role, 'admin') ? (
        <>
          <ApiKeys />
          <Users />
        </>
      ) : (
        <p class="note">{t('settings.adminsOnly')}</p>
      )}
    </section>
  );
}

interface Facts {
  smsSender?: string;
  quietHours?: string;
  topics?: string[];
  smsRate?: number;
}

function Facts() {
  const { api, words } = useConsole();
  const t = words.t;
  const facts = useLoad(() => api.get<Facts>('/v1/settings'), []);
  return (
    <article class="card">
      <h2>{t('settings.facts')}</h2>
      <ErrorNote error={facts.error} />
      {facts.data ? (
        <dl class="facts">
          <dt>{t('settings.sender')}</dt>
          <dd dir="ltr">{facts.data.smsSender ?? '—'}</dd>
          <dt>{t('settings.quietHours')}</dt>
          <dd dir="ltr">{facts.data.quietHours || t('settings.off')}</dd>
          <dt>{t('settings.topics')}</dt>
          <dd>{(facts.data.topics ?? []).join('، ')}</dd>
          <dt>{t('settings.smsRate')}</dt>
          <dd>{facts.data.smsRate === undefined ? '—' : words.number(facts.data.smsRate)}</dd>
        </dl>
      ) : null}
    </article>
  );
}

function ApiKeys() {
  const { api, words } = useConsole();
  const t = words.t;
  const keys = useLoad(() => api.get<{ items: ApiKey[] }>('/v1/api-keys'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const [shown, setShown] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const create = async () => {
    setFailure(undefined);
    try {
      const created = await api.send<{ key: string }>('POST', '/v1/api-keys', { name, role });
      setShown(created.key);
      setName('');
      keys.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  const revoke = async (id: string) => {
    setFailure(undefined);
    try {
      await api.send('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`);
      keys.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <article class="card">
      <h2>{t('settings.apiKeys')}</h2>
      <ErrorNote error={keys.error ?? failure} />
      {keys.loading && !keys.data ? <Loading /> : null}
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('settings.name')}</th>
              <th scope="col">{t('settings.role')}</th>
              <th scope="col">{t('settings.lastUsed')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('settings.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(keys.data?.items ?? []).map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>{t(`role.${key.role}`)}</td>
                <td>{key.lastUsedAt ? words.dateTime(key.lastUsedAt) : '—'}</td>
                <td>
                  <button type="button" class="danger" onClick={() => revoke(key.id)}>
                    {t('settings.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown ? (
        <p class="note warn">
          {t('settings.keyOnce')} <code dir="ltr">{shown}</code>
        </p>
      ) : null}
      <SubmitForm class="row" onSubmit={create}>
        <TextField label={t('settings.name')} name="keyName" required value={name} onValue={setName} />
        <RolePicker value={role} onChange={setRole} />
        <button type="submit" class="primary">
          {t('settings.createKey')}
        </button>
      </SubmitForm>
    </article>
  );
}

function RolePicker({ value, onChange }: { readonly value: Role; readonly onChange: (role: Role) => void }) {
  const { words } = useConsole();
  return (
    <label>
      {words.t('settings.role')}
      <select value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value as Role)}>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {words.t(`role.${role}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function Users() {
  const { api, words } = useConsole();
  const t = words.t;
  const users = useLoad(() => api.get<{ items: User[] }>('/v1/users'), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const [failure, setFailure] = useState<unknown>(undefined);
  const run = async (work: () => Promise<unknown>) => {
    setFailure(undefined);
    try {
      await work();
      users.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <article class="card">
      <h2>{t('settings.users')}</h2>
      <ErrorNote error={users.error ?? failure} />
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('signIn.email')}</th>
              <th scope="col">{t('settings.role')}</th>
              <th scope="col">{t('settings.state')}</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.items ?? []).map((user) => (
              <tr key={user.username}>
                <td dir="ltr">{user.email}</td>
                <td>
                  <RolePicker
                    value={user.role}
                    onChange={(next) =>
                      run(() =>
                        api.send('PATCH', `/v1/users/${encodeURIComponent(user.username)}`, { role: next }),
                      )
                    }
                  />
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      run(() =>
                        api.send('PATCH', `/v1/users/${encodeURIComponent(user.username)}`, {
                          enabled: !user.enabled,
                        }),
                      )
                    }
                  >
                    {user.enabled ? t('settings.disable') : t('settings.enable')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => api.send('POST', '/v1/users', { email, role }).then(() => setEmail('')));
        }}
      >
        <TextField
          label={t('signIn.email')}
          type="email"
          name="inviteEmail"
          dir="ltr"
          required
          value={email}
          onValue={setEmail}
        />
        <RolePicker value={role} onChange={setRole} />
        <button type="submit" class="primary">
          {t('settings.invite')}
        </button>
      </form>
    </article>
  );
}
