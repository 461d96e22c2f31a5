import { useState } from 'preact/hooks';
import { SubmitForm, TextField } from '../components/forms';
import { describeError } from '../components/notes';
import type { ConsoleConfig } from '../config';
import type { Words } from '../i18n';
import { type NewPasswordChallenge, type SignedIn, setNewPassword, signIn } from '../session';

/** Email and password against Cognito; an invited user sets a new password first. */
export function SignInPage({
  config,
  words,
  onSignedIn,
}: {
  readonly config: ConsoleConfig;
  readonly words: Words;
  readonly onSignedIn: (session: SignedIn) => void;
}) {
  const t = words.t;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<NewPasswordChallenge | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const answer = challenge
        ? await setNewPassword(config, challenge, password)
        : await signIn(config, email, password);
      if ('challenge' in answer) {
        setChallenge(answer);
        setPassword('');
      } else onSignedIn(answer);
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in" dir={words.dir} lang={words.locale}>
      <h1>{t('app.name')}</h1>
      <SubmitForm class="stack card" onSubmit={submit}>
        <h2>{challenge ? t('signIn.newPassword') : t('signIn.title')}</h2>
        {challenge ? null : (
          <TextField
            label={t('signIn.email')}
            type="email"
            name="email"
            dir="ltr"
            autoComplete="username"
            required
            value={email}
            onValue={setEmail}
          />
        )}
        <TextField
          label={challenge ? t('signIn.newPassword') : t('signIn.password')}
          type="password"
          name="password"
          dir="ltr"
          autoComplete={challenge ? 'new-password' : 'current-password'}
          required
          value={password}
          onValue={setPassword}
        />
        {failure ? (
          <p class="note error" role="alert">
            {failure}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </SubmitForm>
    </main>
  );
}
