/** Paths under the console's base (/console/), pushed to history; no router library needed for a dozen pages. */
import { useEffect, useState } from 'preact/hooks';

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

/** The path inside the console: '' for the dashboard, 'campaigns/01…' for a campaign. */
export function currentPath(): string {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return path.replace(/^\/+|\/+$/g, '');
}

export function href(path: string): string {
  return `${BASE}/${path}`;
}

export function navigate(path: string): void {
  history.pushState(null, '', href(path));
  dispatchEvent(new PopStateEvent('popstate'));
}

/** Re-renders on navigation; answers the current path. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    addEventListener('popstate', onChange);
    return () => removeEventListener('popstate', onChange);
  }, []);
  return path;
}

/** `pattern` like 'campaigns/:id' matched against `path`: the parameters, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] ?? '';
    const value = got[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}
