import { useLocation } from 'react-router';
import { useI18n } from '../../i18n/i18n.js';
import { ErrorNotice, Notice } from '../../ui/status.js';
import { useCan } from '../session/session.js';

/** Save and delete buttons with the save's outcome announced. */
export function EditorActions({
  saving,
  saved,
  error,
  validationCount,
  onDelete,
}: {
  readonly saving: boolean;
  readonly saved: boolean;
  readonly error: unknown;
  readonly validationCount: number;
  readonly onDelete?: (() => void) | undefined;
}) {
  const { t } = useI18n();
  // The server refuses a viewer's write anyway; the buttons are not offered so nobody fills a form in vain.
  if (!useCan('drafts:write')) return <p className="hint">{t('common.readOnly')}</p>;
  return (
    <div className="actions">
      {validationCount > 0 ? (
        <div role="alert" className="notice notice-error">
          {t('common.fixErrors', { count: validationCount })}
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {saved ? <Notice tone="success">{t('common.saved')}</Notice> : null}
      <button type="submit" className="primary" disabled={saving}>
        {t('common.save')}
      </button>
      {onDelete === undefined ? null : (
        <button type="button" className="danger" onClick={onDelete}>
          {t('common.delete')}
        </button>
      )}
    </div>
  );
}

/** Navigation state after a save moved the editor to the entity's own URL. */
export const SAVED_STATE = { saved: true } as const;

/** Whether this editor was just opened by a save (so "Saved." is still announced after the move). */
export function useJustSaved(): boolean {
  const location = useLocation();
  return (location.state as { saved?: unknown } | null)?.saved === true;
}
