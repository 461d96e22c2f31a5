import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api';
import type { ConsoleConfig } from './config';
import type { Locale, Words } from './i18n';
import type { Role, SignedIn } from './session';

/** What every page reads: the user's words, the API, who is signed in and what they may do. */
export interface ConsoleContext {
  readonly words: Words;
  readonly api: ApiClient;
  readonly config: ConsoleConfig;
  readonly session: SignedIn;
  readonly setLocale: (locale: Locale) => void;
  readonly signOut: () => void;
}

export const Context = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Context);
  if (!value) throw new Error('useConsole outside the console');
  return value;
}

const RANK: Record<Role, number> = { viewer: 0, marketer: 1, admin: 2 };

/** Whether the signed-in role reaches `needed` (admin ⊃ marketer ⊃ viewer). */
export function can(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
