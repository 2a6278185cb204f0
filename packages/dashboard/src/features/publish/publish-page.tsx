import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { ApiError } from '../../api/api-error.js';
import { Finding } from '@candor/schema';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages-en.js';
import { FindingsList } from '../../ui/findings-list.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading, Notice } from '../../ui/status.js';
import { useDraft } from '../drafts/use-draft.js';
import { useCan } from '../session/session.js';
import { diffDraft, stableJson } from './draft-diff.js';

/** The lint report (errors block, warnings need acknowledging), the diff against live, publish, and history with rollback. */
export function PublishPage() {
  const { site = '' } = useParams();
  const { t, language } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const canPublish = useCan('publish');
  // Withdrawing takes a version off the public URL for good: owners only, like the server's rule.
  const canWithdraw = useCan('admin:manage');
  const draft = useDraft(site);
  const history = useQuery({ queryKey: ['snapshots', site], queryFn: () => api.snapshots(site) });
  const liveVersion = history.data?.[0]?.version;
  const live = useQuery({
    queryKey: ['snapshot', site, liveVersion],
    queryFn: () => api.snapshot(site, liveVersion ?? 0),
    enabled: liveVersion !== undefined,
  });
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<string | undefined>();
  const refresh = () =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ['snapshots', site] }),
      queries.invalidateQueries({ queryKey: ['draft', site] }),
    ]);
  const publish = useMutation({
    mutationFn: () => api.publish(site, [...acknowledged]),
    onSuccess: async (result) => {
      setMessage(t('publish.published', { version: result.version }));
      await refresh();
    },
  });
  const rollback = useMutation({
    mutationFn: (version: number) => api.rollback(site, version),
    onSuccess: async (result, version) => {
      setMessage(t('publish.rolledBack', { version: result.version, from: version }));
      await refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (version: number) => api.withdrawVersion(site, version),
    onSuccess: async (result) => {
      setMessage(t('publish.withdrewVersion', { version: result.version }));
      await refresh();
    },
  });
  const findings = draft.data?.findings ?? [];
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  const pending = warnings.filter((finding) => !acknowledged.has(finding.fingerprint));
  const changes =
    draft.data === undefined || (liveVersion !== undefined && live.data === undefined)
      ? undefined
      : diffDraft(live.data, draft.data.draft);
  // A 422 answer carries the findings that refused the publish; show them, not just the sentence.
  const refusedFindings =
    publish.error instanceof ApiError
      ? (Finding.array().safeParse(publish.error.problem?.findings ?? []).data ?? [])
      : [];
  return (
    <Page title={t('publish.title')}>
      {draft.isPending || history.isPending ? <Loading /> : null}
      {draft.error ? <ErrorNotice error={draft.error} /> : null}
      {message === undefined ? null : <Notice tone="success">{message}</Notice>}
      <section aria-labelledby="lint-title">
        <h2 id="lint-title">{t('publish.lint')}</h2>
        {errors.length > 0 ? (
          <p className="notice notice-error" role="status">
            {t('publish.errors', { count: errors.length })}
          </p>
        ) : null}
        {warnings.length > 0 ? (
          <p className="notice notice-warning">{t('publish.warnings', { count: warnings.length })}</p>
        ) : null}
        <FindingsList
          findings={findings}
          acknowledged={acknowledged}
          onAcknowledge={(fingerprint, checked) =>
            setAcknowledged((current) => {
              const next = new Set(current);
              if (checked) next.add(fingerprint);
              else next.delete(fingerprint);
              return next;
            })
          }
        />
      </section>
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">{t('publish.diff')}</h2>
        {changes === undefined ? (
          <Loading />
        ) : changes.length === 0 ? (
          <p className="muted">{t('publish.noChanges')}</p>
        ) : (
          <table data-testid="diff">
            <thead>
              <tr>
                <th scope="col">{t('common.id')}</th>
                <th scope="col">{t('publish.change')}</th>
                <th scope="col">{t('common.details')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr key={`${change.kind}/${change.id}`}>
                  <td>
                    {change.kind}/<code>{change.id}</code>
                  </td>
                  <td className={`diff-${change.change}`}>
                    {t(`publish.${change.change}` as MessageKey)}
                    {change.properties.length > 0 ? `: ${change.properties.join(', ')}` : ''}
                  </td>
                  <td>
                    <details>
                      <summary>{t('common.details')}</summary>
                      <div className="pair">
                        <pre className="block">{change.before === null ? '—' : stableJson(change.before)}</pre>
                        <pre className="block">{change.after === null ? '—' : stableJson(change.after)}</pre>
                      </div>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canPublish ? (
        <section aria-label={t('publish.submit')} className="stack">
          {errors.length > 0 ? <p className="field-error">{t('publish.blocked')}</p> : null}
          {errors.length === 0 && pending.length > 0 ? <p className="hint">{t('publish.needAck')}</p> : null}
          {publish.error ? <ErrorNotice error={publish.error} /> : null}
          {refusedFindings.length > 0 ? <FindingsList findings={refusedFindings} /> : null}
          <div>
            <button
              type="button"
              className="primary"
              disabled={publish.isPending || draft.data === undefined || errors.length > 0 || pending.length > 0}
              onClick={() => publish.mutate()}
            >
              {t('publish.submit')}
            </button>
          </div>
        </section>
      ) : null}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('publish.history')}</h2>
        {rollback.error ? <ErrorNotice error={rollback.error} /> : null}
        {withdraw.error ? <ErrorNotice error={withdraw.error} /> : null}
        {canWithdraw && (history.data?.length ?? 0) > 1 ? (
          <p className="muted">{t('publish.withdrawLiveHint')}</p>
        ) : null}
        {history.data?.length === 0 ? <p className="muted">{t('preview.noLive')}</p> : null}
        {history.data === undefined || history.data.length === 0 ? null : (
          <table data-testid="history">
            <thead>
              <tr>
                <th scope="col">{t('publish.version')}</th>
                <th scope="col">{t('publish.publishedAt')}</th>
                <th scope="col">{t('publish.publishedBy')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('ledger.action')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((row) => (
                <tr key={row.version}>
                  <td>
                    v{row.version}{' '}
                    {row.version === liveVersion ? <span className="badge badge-info">{t('publish.live')}</span> : null}
                    {row.withdrawnAt === undefined ? null : (
                      <span className="badge badge-warning">{t('publish.withdrawn')}</span>
                    )}
                  </td>
                  <td>{formatTime(row.publishedAt, language)}</td>
                  <td>{row.publishedBy}</td>
                  <td>
                    {row.version === liveVersion || !canPublish || row.withdrawnAt !== undefined ? null : (
                      <button
                        type="button"
                        disabled={rollback.isPending}
                        onClick={() => {
                          if (window.confirm(t('publish.rollbackConfirm', { version: row.version })))
                            rollback.mutate(row.version);
                        }}
                      >
                        {t('publish.rollback', { version: row.version })}
                      </button>
                    )}{' '}
                    {row.version === liveVersion || !canWithdraw || row.withdrawnAt !== undefined ? null : (
                      <button
                        type="button"
                        className="danger"
                        disabled={withdraw.isPending}
                        onClick={() => {
                          if (window.confirm(t('publish.withdrawConfirm', { version: row.version })))
                            withdraw.mutate(row.version);
                        }}
                      >
                        {t('publish.withdraw', { version: row.version })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  );
}
