import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Runs `load` now and again whenever `keys` change or `reload()` is called; with `everyMs`, also
 * on that interval (live figures), stopping while `stop(data)` holds.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  keys: readonly unknown[],
  everyMs?: number,
  stop?: (data: T) => boolean,
): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      load().then(
        (data) => {
          if (!live) return;
          setState({ data, error: undefined, loading: false });
          if (everyMs && !(stop?.(data) ?? false)) timer = setTimeout(run, everyMs);
        },
        (error: unknown) => {
          if (!live) return;
          setState((previous) => ({ data: previous.data, error, loading: false }));
          if (everyMs) timer = setTimeout(run, everyMs * 2);
        },
      );
    };
    run();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // The caller's keys (and reload) decide when to load again, not the closures.
  }, [...keys, round]);
  return { ...state, reload };
}
