import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiClient } from './api';
import type { ConsoleConfig } from './config';
import { type ConsoleContext, Context, can, useConsole } from './context';
import { type Locale, type MessageKey, wordsFor } from './i18n';
import { AudiencesPage } from './pages/audiences';
import { CampaignDetailPage } from './pages/campaign-detail';
import { CampaignsPage } from './pages/campaigns';
import { ComposerPage } from './pages/composer';
import { ContactPage, ContactsPage } from './pages/contacts';
import { DashboardPage } from './pages/dashboard';
import { ImportsPage } from './pages/imports';
import { ReportsPage } from './pages/reports';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { TemplatesPage } from './pages/templates';
import { href, match, navigate, usePath } from './router';
import { freshToken, type SignedIn, savedSession, signOut } from './session';

const NAV: readonly { path: string; key: MessageKey }[] = [
  { path: '', key: 'nav.dashboard' },
  { path: 'campaigns', key: 'nav.campaigns' },
  { path: 'contacts', key: 'nav.contacts' },
  { path: 'imports', key: 'nav.imports' },
  { path: 'audiences', key: 'nav.lists' },
  { path: 'templates', key: 'nav.templates' },
  { path: 'reports', key: 'nav.reports' },
  { path: 'settings', key: 'nav.settings' },
];

const localeKey = (session: SignedIn | undefined) => `chapar.locale.${session?.username ?? 'anonymous'}`;

function storedLocale(session: SignedIn | undefined): Locale {
  return localStorage.getItem(localeKey(session)) === 'en' ? 'en' : 'fa';
}

/** The page the path names. */
function Page({ path }: { readonly path: string }) {
  const { session, words } = useConsole();
  if (path === 'campaigns/new') {
    return can(session.role, 'marketer') ? (
      <ComposerPage />
    ) : (
      <p class="note">{words.t('error.forbidden')}</p>
    );
  }
  const campaign = match('campaigns/:id', path);
  if (campaign?.id) return <CampaignDetailPage id={campaign.id} />;
  const contact = match('contacts/:id', path);
  if (contact?.id) return <ContactPage id={contact.id} />;
  switch (path) {
    case '':
      return <DashboardPage />;
    case 'campaigns':
      return <CampaignsPage />;
    case 'contacts':
      return <ContactsPage />;
    case 'imports':
      return <ImportsPage />;
    case 'audiences':
      return <AudiencesPage />;
    case 'templates':
      return <TemplatesPage />;
    case 'reports':
      return <ReportsPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return <p class="note">404</p>;
}

/** The console: sign-in, then the shell (navigation, language switch) around the page of the path. */
export function App({ config }: { readonly config: ConsoleConfig }) {
  const [session, setSession] = useState<SignedIn | undefined>(savedSession());
  const [locale, setLocaleState] = useState<Locale>(storedLocale(session));
  const words = useMemo(() => wordsFor(locale), [locale]);
  const path = usePath();
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = words.dir;
    document.title = words.t('app.name');
  }, [locale, words]);
  const context = useMemo<ConsoleContext | undefined>(() => {
    if (!session) return undefined;
    let current = session;
    const api = apiClient(
      config.apiBase,
      async () => {
        current = await freshToken(config, current);
        return current.accessToken;
      },
      () => undefined,
    );
    return {
      words,
      api,
      config,
      session,
      setLocale: (next) => {
        localStorage.setItem(localeKey(session), next);
        setLocaleState(next);
      },
      signOut: () => {
        signOut();
        setSession(undefined);
      },
    };
  }, [session, words, config]);
  if (!context) {
    return (
      <SignInPage
        config={config}
        words={words}
        onSignedIn={(signedIn) => {
          setSession(signedIn);
          setLocaleState(storedLocale(signedIn));
        }}
      />
    );
  }
  const t = words.t;
  const section = path.split('/')[0] ?? '';
  return (
    <Context.Provider value={context}>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <strong class="brand">{t('app.name')}</strong>
        <nav aria-label={t('nav.label')}>
          <ul>
            {NAV.map((item) => (
              <li key={item.path}>
                <a
                  href={href(item.path)}
                  aria-current={section === item.path ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(item.path);
                  }}
                >
                  {t(item.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {context.session.email} ({t(`role.${context.session.role}`)})
          </span>
          <button
            type="button"
            lang={locale === 'fa' ? 'en' : 'fa'}
            onClick={() => context.setLocale(locale === 'fa' ? 'en' : 'fa')}
          >
            {locale === 'fa' ? 'English' : 'فارسی'}
          </button>
          <button type="button" onClick={context.signOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main">
        <Page path={path} />
      </main>
    </Context.Provider>
  );
}
