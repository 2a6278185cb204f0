import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error.js';
import { useI18n } from '../i18n/i18n.js';

/** A polite loading line. */
export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t('common.loading')}
    </p>
  );
}

/** An error from the API (problem detail and code) or elsewhere, announced to assistive technology. */
export function ErrorNotice({ error }: { readonly error: unknown }) {
  const { t } = useI18n();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="notice notice-error">
      <strong>{t('common.error')}</strong>: {message}
      {error instanceof ApiError ? <code className="code-tag">{error.code}</code> : null}
    </div>
  );
}

/** A success or information line. */
export function Notice({
  children,
  tone = 'info',
}: {
  readonly children: ReactNode;
  readonly tone?: 'info' | 'success' | 'warning';
}) {
  return (
    <div role="status" className={`notice notice-${tone}`}>
      {children}
    </div>
  );
}

/** The honest state of a screen whose endpoint the server does not serve yet. */
export function NotAvailable({ endpoint }: { readonly endpoint: string }) {
  const { t } = useI18n();
  return (
    <div className="notice notice-muted" data-testid="not-available">
      <strong>{t('common.notAvailable')}</strong>
      <p>{t('common.notAvailableBody', { endpoint })}</p>
    </div>
  );
}

/** Whether an error means "this endpoint does not exist yet" (the server's no-route 404) rather than a real failure. */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && (error.problem?.detail ?? '').startsWith('No route');
}

/** Whether an error is a 404 about the data (nothing published yet, say): information, not a failure. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
