import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { useI18n } from '../../i18n/i18n.js';
import { TextField } from '../../ui/form-controls.js';
import { Page } from '../../ui/page.js';
import { useSession } from './session.js';

/** Shown instead of every screen while the session is on a generated one-time password (the server refuses the rest). */
export function ChangePasswordPage() {
  const { t } = useI18n();
  const api = useApi();
  const session = useSession();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    api
      .changePassword(String(data.get('current') ?? ''), String(data.get('new') ?? ''))
      .then(() => session.refresh())
      .catch((caught: unknown) =>
        setError(t('password.failed', { reason: caught instanceof Error ? caught.message : String(caught) })),
      )
      .finally(() => setBusy(false));
  };
  return (
    <main id="main" className="sign-in">
      <Page title={t('password.title')}>
        <p className="muted">{t('password.intro')}</p>
        <form onSubmit={submit} className="stack">
          <TextField
            label={t('password.current')}
            name="current"
            type="password"
            autoComplete="current-password"
            required
          />
          <TextField
            label={t('password.new')}
            hint={t('password.hint')}
            name="new"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
          />
          {error === undefined ? null : (
            <div role="alert" className="notice notice-error">
              {error}
            </div>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {t('password.submit')}
          </button>
          <button type="button" onClick={() => void session.signOut()}>
            {t('common.signOut')}
          </button>
        </form>
      </Page>
    </main>
  );
}
