import { SENSITIVE_TAXONOMY, type SensitiveCategory } from '@candor/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/api-context.js';
import type { PrivacyReport } from '../../api/proposed.js';
import { formatPercent } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages-en.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, isMissingEndpoint, Loading, NotAvailable } from '../../ui/status.js';
import { useDraft } from '../drafts/use-draft.js';
import { TRUST_EVENTS, TRUST_PREFIX } from '../results/cell-summary.js';

/** A site's privacy report: what data it uses and why, its lint state, trust events, and consent figures over time. */
export function PrivacyReportPage() {
  const { site = '' } = useParams();
  const { t } = useI18n();
  const api = useApi();
  const draft = useDraft(site);
  const cells = useQuery({ queryKey: ['aggregates', site, undefined], queryFn: () => api.aggregates(site) });
  const report = useQuery({ queryKey: ['privacy-report', site], queryFn: () => api.privacyReport(site, 30) });
  const fields = draft.data?.draft.fields ?? [];
  const purposes = draft.data?.draft.purposes ?? [];
  const findings = draft.data?.findings ?? [];
  const byCode = new Map<string, { severity: string; count: number }>();
  for (const finding of findings) {
    const entry = byCode.get(finding.code) ?? { severity: finding.severity, count: 0 };
    byCode.set(finding.code, { ...entry, count: entry.count + 1 });
  }
  const trustTotals = TRUST_EVENTS.map((event) => ({
    event,
    count: (cells.data ?? [])
      .filter((cell) => cell.metricId === `${TRUST_PREFIX}${event}`)
      .reduce((sum, cell) => sum + cell.n, 0),
  }));
  return (
    <Page title={t('privacy.title')}>
      {draft.isPending ? <Loading /> : null}
      {draft.error ? <ErrorNotice error={draft.error} /> : null}
      <section aria-labelledby="fields-title">
        <h2 id="fields-title">{t('privacy.fieldsByPurpose')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('fields.purpose')}</th>
              <th scope="col">{t('fields.key')}</th>
              <th scope="col">{t('fields.source')}</th>
              <th scope="col">{t('fields.category')}</th>
              <th scope="col">{t('fields.retentionDays')}</th>
            </tr>
          </thead>
          <tbody>
            {purposes.flatMap((purpose) =>
              fields
                .filter((field) => field.purpose === purpose.id)
                .map((field) => (
                  <tr key={field.key}>
                    <td>{purpose.name.en}</td>
                    <td>
                      <code>{field.key}</code>
                    </td>
                    <td>{field.source}</td>
                    <td>
                      {field.category === 'none' ? (
                        t('common.none')
                      ) : (
                        <span className={`badge badge-${field.category.startsWith('S.') ? 'error' : 'warning'}`}>
                          {field.category} — {SENSITIVE_TAXONOMY[field.category as SensitiveCategory].description}
                        </span>
                      )}
                    </td>
                    <td>{field.retentionDays}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="lint-summary-title">
        <h2 id="lint-summary-title">{t('privacy.lintSummary')}</h2>
        {byCode.size === 0 ? (
          <p className="muted">{t('publish.clean')}</p>
        ) : (
          <ul>
            {[...byCode].map(([code, entry]) => (
              <li key={code}>
                <span className={`badge badge-${entry.severity}`}>{entry.severity}</span> <code>{code}</code> ×{' '}
                {entry.count}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="trust-events-title">
        <h2 id="trust-events-title">{t('privacy.trustEvents')}</h2>
        <table>
          <tbody>
            {trustTotals.map((row) => (
              <tr key={row.event}>
                <th scope="row">{t(`results.${row.event}` as MessageKey)}</th>
                <td>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="consent-title">
        <h2 id="consent-title">{t('privacy.consentRates')}</h2>
        {report.isPending ? <Loading /> : null}
        {report.error && isMissingEndpoint(report.error) ? (
          <NotAvailable endpoint="GET /v1/admin/sites/:site/privacy-report" />
        ) : report.error ? (
          <ErrorNotice error={report.error} />
        ) : null}
        {report.data === undefined ? null : <ReportCharts report={report.data} />}
      </section>
    </Page>
  );
}

function ReportCharts({ report }: { readonly report: PrivacyReport }) {
  const { t, language } = useI18n();
  const purposes = [...new Set(report.days.flatMap((day) => Object.keys(day.granted)))];
  const rates = report.days.map((day) => ({
    day: day.day,
    ...Object.fromEntries(
      purposes.map((purpose) => [purpose, day.prompts === 0 ? 0 : (day.granted[purpose] ?? 0) / day.prompts]),
    ),
  }));
  const colours = ['#0b5cad', '#1d6b2f', '#a4161a', '#7a4a00', '#5b3a8c'];
  return (
    <div className="stack">
      <div className="chart" role="img" aria-label={t('privacy.consentRates')}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rates}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis tickFormatter={(value: number) => formatPercent(value, language)} />
            <Tooltip />
            <Legend />
            {purposes.map((purpose, index) => (
              <Bar
                key={purpose}
                dataKey={purpose}
                fill={colours[index % colours.length] ?? '#0b5cad'}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <h3>{t('privacy.gpcShare')}</h3>
      <p>
        {formatPercent(
          report.days.reduce((sum, day) => sum + day.gpc, 0) /
            Math.max(
              1,
              report.days.reduce((sum, day) => sum + day.prompts, 0),
            ),
          language,
        )}
      </p>
      <h3>{t('privacy.explanations')}</h3>
      <p>
        {formatPercent(
          report.days.reduce((sum, day) => sum + day.explanationOpens, 0) /
            Math.max(
              1,
              report.days.reduce((sum, day) => sum + day.decisions, 0),
            ),
          language,
        )}{' '}
        /{' '}
        {formatPercent(
          report.days.reduce((sum, day) => sum + day.dontUse, 0) /
            Math.max(
              1,
              report.days.reduce((sum, day) => sum + day.decisions, 0),
            ),
          language,
        )}
      </p>
      <h3>{t('privacy.trustScore')}</h3>
      <p>
        <strong>{report.trustScore.score}</strong> / 100
      </p>
      <ul>
        {report.trustScore.breakdown.map((item) => (
          <li key={item.id}>
            {item.label}: {item.points} / {item.max}
          </li>
        ))}
      </ul>
    </div>
  );
}
