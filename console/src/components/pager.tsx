import { useState } from 'preact/hooks';
import { useConsole } from '../context';

/**
 * The cursors of a listing read a page at a time: the current page's cursor (undefined on the
 * first page), a step forward to the next page's cursor, a step back, and a reset when a filter
 * changes (the cursors of one filter mean nothing under another).
 */
export interface Cursors {
  readonly cursor: string | undefined;
  readonly depth: number;
  readonly forward: (next: string) => void;
  readonly back: () => void;
  readonly reset: () => void;
}

export function useCursors(): Cursors {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  return {
    cursor: cursors.at(-1),
    depth: cursors.length,
    forward: (next) => setCursors((previous) => [...previous, next]),
    back: () => setCursors((previous) => previous.slice(0, -1)),
    reset: () => setCursors([]),
  };
}

/** Previous and next buttons under a listing; `next` is the cursor the API answered, if any. */
export function Pager({ pages, next }: { readonly pages: Cursors; readonly next: string | undefined }) {
  const t = useConsole().words.t;
  return (
    <nav class="pager" aria-label={t('pager')}>
      <button type="button" disabled={pages.depth === 0} onClick={pages.back}>
        {t('pager.previous')}
      </button>
      <button type="button" disabled={!next} onClick={() => next && pages.forward(next)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

/** A listing's filter: a labelled select whose first option ("all") is the empty value. */
export function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly onChange: (value: string) => void;
}) {
  const t = useConsole().words.t;
  return (
    <label class="inline">
      {label}
      <select value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        <option value="">{t('campaigns.all')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
