import { ApiError } from '../api';
import { useConsole } from '../context';
import type { MessageKey } from '../i18n';
import { SignInError } from '../session';

/** What went wrong, in words: the API's own message for a refusal, a sentence for the rest. Never a blank page. */
export function ErrorNote({ error }: { readonly error: unknown }) {
  const { words } = useConsole();
  if (error === undefined || error === null) return null;
  return (
    <p class="note error" role="alert">
      {describeError(error, words.t)}
    </p>
  );
}

export function describeError(
  error: unknown,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    if (error.status === 403) return `${t('error.forbidden')} ${error.message}`;
    if (error.status >= 500) return t('error.server');
    return error.message;
  }
  if (error instanceof SignInError) {
    if (error.code === 'NotAuthorizedException' || error.code === 'UserNotFoundException')
      return t('signIn.wrong');
    if (error.code === 'NetworkError') return t('error.network');
    return error.message;
  }
  return t('error.unexpected');
}

export function Loading() {
  const { words } = useConsole();
  return (
    <p class="note" aria-busy="true">
      {words.t('loading')}
    </p>
  );
}

/** A progress bar with its figure in words for screen readers. */
export function Progress({ value, label }: { readonly value: number; readonly label: string }) {
  const { words } = useConsole();
  const clamped = Math.max(0, Math.min(1, value));
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped * 100)}
      aria-valuetext={words.percent(clamped)}
    >
      <span style={{ inlineSize: `${clamped * 100}%` }} />
    </div>
  );
}
