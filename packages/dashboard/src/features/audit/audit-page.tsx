import { useInfiniteQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading } from '../../ui/status.js';

/** Every admin change to this site, newest first, with the state before and after. */
export function AuditPage() {
  const { site = '' } = useParams();
  const { t, language } = useI18n();
  const api = useApi();
  const log = useInfiniteQuery({
    queryKey: ['audit', site],
    queryFn: ({ pageParam }) => api.audit(site, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => (page.length < 100 ? undefined : page.at(-1)?.seq),
  });
  const entries = log.data?.pages.flat() ?? [];
  return (
    <Page title={t('audit.title')}>
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
