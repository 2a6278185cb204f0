import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { Page } from '../../ui/page.js';
import { useCan } from '../session/session.js';
import { ErrorNotice, Loading } from '../../ui/status.js';

type Scope = 'site' | 'installation';

/**
 * Every admin change to this site, newest first, with the state before and after; owners can switch
 * to the installation-wide changes (users, roles, API keys), which belong to no one site.
 */
export function AuditPage() {
  const { site = '' } = useParams();
  const { t, language } = useI18n();
  const api = useApi();
  const canManage = useCan('admin:manage');
  const [scope, setScope] = useState<Scope>('site');
  const log = useInfiniteQuery({
    queryKey: ['audit', scope === 'site' ? site : '*'],
    queryFn: ({ pageParam }) => (scope === 'site' ? api.audit(site, pageParam) : api.installationAudit(pageParam)),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => (page.length < 100 ? undefined : page.at(-1)?.seq),
  });
  const entries = log.data?.pages.flat() ?? [];
  return (
    <Page title={t('audit.title')}>
      {canManage ? (
        <fieldset className="inline">
          <legend>{t('audit.scope')}</legend>
          {(['site', 'installation'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="audit-scope"
                value={value}
                checked={scope === value}
                onChange={() => setScope(value)}
              />{' '}
              {t(value === 'site' ? 'audit.scopeSite' : 'audit.scopeInstallation')}
            </label>
          ))}
        </fieldset>
      ) : null}
      {log.isPending ? <Loading /> : null}
      {log.error ? <ErrorNotice error={log.error} /> : null}
      <table data-testid="audit">
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('common.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td>{formatTime(entry.at, language)}</td>
              <td>{entry.actor}</td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>{entry.target}</td>
              <td>
                {entry.before === null && entry.after === null ? null : (
                  <details>
                    <summary>{t('common.details')}</summary>
                    <div className="pair">
                      <pre className="block">{JSON.stringify(entry.before, null, 2)}</pre>
                      <pre className="block">{JSON.stringify(entry.after, null, 2)}</pre>
                    </div>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.hasNextPage ? (
        <button type="button" onClick={() => void log.fetchNextPage()}>
          {t('audit.more')}
        </button>
      ) : null}
    </Page>
  );
}
