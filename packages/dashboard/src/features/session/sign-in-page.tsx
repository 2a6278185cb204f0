import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { TextField } from '../../ui/form-controls.js';
import { Page } from '../../ui/page.js';
import { useSession } from './session.js';

/** Email and password; errors are read out and the password field is kept for a retry. */
export function SignInPage() {
  const { t } = useI18n();
  const session = useSession();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    session
      .signIn(String(data.get('email') ?? ''), String(data.get('password') ?? ''))
      .catch((caught: unknown) =>
        setError(t('signIn.failed', { reason: caught instanceof Error ? caught.message : String(caught) })),
      )
      .finally(() => setBusy(false));
  };
  return (
    <main id="main" className="sign-in">
      <Page title={t('signIn.title')}>
        <p className="muted">{t('app.tagline')}</p>
        <form onSubmit={submit} className="stack">
          <TextField label={t('signIn.email')} name="email" type="email" autoComplete="username" required />
          <TextField
            label={t('signIn.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          {error === undefined ? null : (
            <div role="alert" className="notice notice-error">
              {error}
            </div>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      </Page>
    </main>
  );
}
