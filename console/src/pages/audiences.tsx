import { useEffect, useState } from 'preact/hooks';
import { SubmitForm, TextField } from '../components/forms';
import { ErrorNote, Loading } from '../components/notes';
import { useLoad } from '../components/use-load';
import { can, useConsole } from '../context';
import type { Contact, Page } from '../types';

interface ListView {
  id: string;
  name: string;
  description?: string;
  members: number;
  createdAt: string;
}

interface SegmentView {
  id: string;
  name: string;
  filter: unknown;
  createdAt: string;
}

const OPS = ['eq', 'ne', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;

interface Condition {
  field: string;
  op: (typeof OPS)[number];
  value: string;
}

/** The filter a row of conditions means: all of them. */
function filterOf(conditions: readonly Condition[]): unknown {
  const nodes = conditions
    .filter((c) => c.field.trim())
    .map((c) => {
      const field = ['locale', 'name', 'createdAt'].includes(c.field.trim())
        ? c.field.trim()
        : `attributes.${c.field.trim()}`;
      if (c.op === 'exists') return { field, op: 'exists' };
      const number = Number(c.value);
      const value =
        ['gt', 'gte', 'lt', 'lte'].includes(c.op) && c.value !== '' && !Number.isNaN(number)
          ? number
          : c.value;
      return { field, op: c.op, value };
    });
  return nodes.length === 1 ? nodes[0] : { all: nodes };
}

/** Lists (create, members) and segments (a builder with a live count and sample). */
export function AudiencesPage() {
  return (
    <>
      <Lists />
      <Segments />
    </>
  );
}

function Lists() {
  const { api, words, session } = useConsole();
  const t = words.t;
  const lists = useLoad(() => api.get<Page<ListView>>('/v1/lists'), []);
  const [name, setName] = useState('');
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const members = useLoad(
    () =>
      open ? api.get<Page<string>>(`/v1/lists/${open}/members`, { limit: 50 }) : Promise.resolve(undefined),
    [open],
  );
  const create = async () => {
    setFailure(undefined);
    try {
      await api.send('POST', '/v1/lists', { name });
      setName('');
      lists.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section aria-labelledby="lists-title">
      <h1 id="lists-title">{t('nav.lists')}</h1>
      <ErrorNote error={lists.error ?? failure} />
      {lists.loading && !lists.data ? <Loading /> : null}
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('settings.name')}</th>
              <th scope="col">{t('lists.members')}</th>
              <th scope="col">{t('lists.created')}</th>
            </tr>
          </thead>
          <tbody>
            {(lists.data?.items ?? []).map((list) => (
              <tr key={list.id}>
                <td>
                  <button
                    type="button"
                    class="link"
                    onClick={() => setOpen(open === list.id ? undefined : list.id)}
                  >
                    {list.name}
                  </button>
                </td>
                <td>{words.number(list.members)}</td>
                <td>{words.date(list.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && members.data ? (
        <ul class="plain" data-members>
          {members.data.items.map((id) => (
            <li key={id} dir="ltr">
              {id}
            </li>
          ))}
        </ul>
      ) : null}
      {can(session.role, 'marketer') ? (
        <SubmitForm class="row" onSubmit={create}>
          <TextField label={t('lists.newName')} name="listName" required value={name} onValue={setName} />
          <button type="submit" class="primary">
            {t('lists.create')}
          </button>
        </SubmitForm>
      ) : null}
    </section>
  );
}

function Segments() {
  const { api, words, session } = useConsole();
  const t = words.t;
  const segments = useLoad(() => api.get<Page<SegmentView>>('/v1/segments'), []);
  const [name, setName] = useState('');
  const [conditions, setConditions] = useState<Condition[]>([{ field: '', op: 'eq', value: '' }]);
  const [count, setCount] = useState<{ count: number; complete: boolean; sample: Contact[] } | undefined>(
    undefined,
  );
  const [failure, setFailure] = useState<unknown>(undefined);
  const filter = filterOf(conditions);
  const key = JSON.stringify(filter);
  useEffect(() => {
    if (!conditions.some((c) => c.field.trim())) return;
    const timer = setTimeout(() => {
      api
        .send<{ count: number; complete: boolean; sample: Contact[] }>('POST', '/v1/segments/preview', {
          filter: JSON.parse(key),
        })
        .then(
          (answer) => {
            setCount(answer);
            setFailure(undefined);
          },
          (error: unknown) => setFailure(error),
        );
    }, 400);
    return () => clearTimeout(timer);
  }, [key]);
  const update = (i: number, change: Partial<Condition>) =>
    setConditions(conditions.map((c, j) => (j === i ? { ...c, ...change } : c)));
  const save = async () => {
    setFailure(undefined);
    try {
      await api.send('POST', '/v1/segments', { name, filter });
      setName('');
      segments.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section aria-labelledby="segments-title">
      <h1 id="segments-title">{t('nav.segments')}</h1>
      <ul class="plain">
        {(segments.data?.items ?? []).map((segment) => (
          <li key={segment.id}>{segment.name}</li>
        ))}
      </ul>
      {can(session.role, 'marketer') ? (
        <SubmitForm class="stack wide" onSubmit={save}>
          <TextField label={t('segments.name')} name="segmentName" required value={name} onValue={setName} />
          {conditions.map((condition, i) => (
            <fieldset class="row" key={String(i)}>
              <legend>{t('segments.condition', { n: i + 1 })}</legend>
              <label>
                {t('segments.field')}
                <input
                  name={`field-${i}`}
                  value={condition.field}
                  onInput={(event) => update(i, { field: (event.target as HTMLInputElement).value })}
                />
              </label>
              <label>
                {t('segments.op')}
                <select
                  name={`op-${i}`}
                  value={condition.op}
                  onChange={(event) =>
                    update(i, { op: (event.target as HTMLSelectElement).value as Condition['op'] })
                  }
                >
                  {OPS.map((op) => (
                    <option key={op} value={op}>
                      {t(`op.${op}`)}
                    </option>
                  ))}
                </select>
              </label>
              {condition.op === 'exists' ? null : (
                <label>
                  {t('segments.value')}
                  <input
                    name={`value-${i}`}
                    value={condition.value}
                    onInput={(event) => update(i, { value: (event.target as HTMLInputElement).value })}
                  />
                </label>
              )}
            </fieldset>
          ))}
          <button
            type="button"
            onClick={() => setConditions([...conditions, { field: '', op: 'eq', value: '' }])}
          >
            {t('segments.addCondition')}
          </button>
          {count ? (
            <div class="note" data-segment-count={count.count}>
              <p>
                {count.complete
                  ? t('segments.count', { count: count.count })
                  : t('segments.countAtLeast', { count: count.count })}
              </p>
              <ul class="plain">
                {count.sample.map((contact) => (
                  <li key={contact.id}>{contact.name || contact.id}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <ErrorNote error={failure} />
          <button type="submit" class="primary">
            {t('segments.save')}
          </button>
        </SubmitForm>
      ) : null}
    </section>
  );
}
