import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { TextField } from '../../ui/form-controls.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Notice } from '../../ui/status.js';
import { useCan } from '../session/session.js';

/** The consent ledger's chain check, a visitor lookup (access and erasure by id) and the erasure receipts. */
export function LedgerPage() {
  const { site = '' } = useParams();
  const { t, language } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const canManage = useCan('visitors:manage');
  const [visitorId, setVisitorId] = useState<string | undefined>();
  const verify = useMutation({ mutationFn: () => api.verifyLedger(site) });
  const visitor = useQuery({
    queryKey: ['visitor', site, visitorId],
    queryFn: () => api.visitor(site, visitorId ?? ''),
    enabled: visitorId !== undefined && canManage,
  });
  const erasures = useQuery({ queryKey: ['erasures', site], queryFn: () => api.erasures(site), enabled: canManage });
  const erase = useMutation({
    mutationFn: (id: string) => api.eraseVisitor(site, id),
    onSuccess: async () => {
      setVisitorId(undefined);
      await queries.invalidateQueries({ queryKey: ['erasures', site] });
    },
  });
  const find = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get('visitorId') ?? '').trim();
    erase.reset();
    if (id !== '') setVisitorId(id);
  };
  const download = () => {
    if (visitor.data === undefined) return;
    const url = URL.createObjectURL(new Blob([JSON.stringify(visitor.data, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `candor-visitor-${visitor.data.visitorId}.json`;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Page title={t('ledger.title')}>
      <section aria-labelledby="verify-title">
        <h2 id="verify-title">{t('ledger.verify')}</h2>
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {t('ledger.verify')}
        </button>
        {verify.error ? <ErrorNotice error={verify.error} /> : null}
        {verify.data === undefined ? null : verify.data.intact ? (
          <Notice tone="success">{t('ledger.intact', { records: verify.data.records })}</Notice>
        ) : (
          <div role="alert" className="notice notice-error">
            {t('ledger.broken', { seq: verify.data.firstBrokenSeq ?? '?' })}
          </div>
        )}
      </section>
      {canManage ? (
        <>
          <section aria-labelledby="lookup-title">
            <h2 id="lookup-title">{t('ledger.lookup')}</h2>
            <form onSubmit={find} className="row">
              <TextField label={t('ledger.visitorId')} name="visitorId" required />
              <button type="submit">{t('ledger.find')}</button>
            </form>
            {visitor.error ? <ErrorNotice error={visitor.error} /> : null}
            {erase.data === undefined ? null : (
              <Notice tone="success">{t('ledger.erased', { hash: erase.data.subjectHash })}</Notice>
            )}
            {erase.error ? <ErrorNotice error={erase.error} /> : null}
            {visitor.data === undefined ? null : (
              <div className="stack" data-testid="visitor">
                <h3>{t('ledger.values')}</h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('fields.key')}</th>
                      <th scope="col">{t('audiences.value')}</th>
                      <th scope="col">{t('fields.source')}</th>
                      <th scope="col">{t('fields.purpose')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {visitor.data.values.map((value) => (
                      <tr key={value.key}>
                        <td>{value.key}</td>
                        <td>{JSON.stringify(value.value)}</td>
                        <td>{value.source}</td>
                        <td>{value.purpose}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <h3>{t('ledger.consent')}</h3>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('audit.at')}</th>
                      <th scope="col">{t('ledger.action')}</th>
                      <th scope="col">{t('ledger.purposes')}</th>
                      <th scope="col">{t('ledger.signals')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {visitor.data.consent.map((record) => (
                      <tr key={record.consentId}>
                        <td>{formatTime(record.createdAt, language)}</td>
                        <td>{record.action}</td>
                        <td>
                          {Object.entries(record.purposes)
                            .map(([purpose, choice]) => `${purpose}: ${choice}`)
                            .join(', ')}
                        </td>
                        <td>
                          {record.signals.gpc ? 'GPC ' : ''}
                          {record.signals.dnt ? 'DNT' : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <div className="actions">
                  <button type="button" onClick={download}>
                    {t('ledger.export')}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      if (window.confirm(t('ledger.eraseConfirm'))) erase.mutate(visitor.data.visitorId);
                    }}
                  >
                    {t('ledger.erase')}
                  </button>
                </div>
              </div>
            )}
          </section>
          <section aria-labelledby="erasures-title">
            <h2 id="erasures-title">{t('ledger.erasures')}</h2>
            {erasures.error ? <ErrorNotice error={erasures.error} /> : null}
            {(erasures.data ?? []).length === 0 ? (
              <p className="muted">{t('common.empty')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.at')}</th>
                    <th scope="col">{t('audit.target')}</th>
                    <th scope="col">{t('ledger.requestedBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(erasures.data ?? []).map((receipt) => (
                    <tr key={receipt.subjectHash}>
                      <td>{formatTime(receipt.erasedAt, language)}</td>
                      <td>
                        <code>{receipt.subjectHash.slice(0, 16)}…</code>
                      </td>
                      <td>{receipt.requestedBy}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      ) : null}
    </Page>
  );
}
