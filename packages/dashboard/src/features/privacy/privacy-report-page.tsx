import { SENSITIVE_TAXONOMY, type SensitiveCategory } from '@candor/core';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useApi } from '../../api/api-context.js';
import type { PrivacyReport } from '@candor/schema';
import { formatPercent } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { MESSAGES_EN, type MessageKey } from '../../i18n/messages-en.js';
import type { FiguresSource } from '../../api/endpoints.js';
import { FiguresSourcePicker } from '../results/figures-source.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, isMissingEndpoint, Loading, NotAvailable } from '../../ui/status.js';
import { useDraft } from '../drafts/use-draft.js';
import { TRUST_EVENTS, TRUST_PREFIX } from '../results/cell-summary.js';

/** The report's window in days. */
const REPORT_DAYS = 30;

/** A site's privacy report: what data it uses and why, its lint state, trust events, and consent figures over time. */
export function PrivacyReportPage() {
  const { site = '' } = useParams();
  const { t } = useI18n();
  const api = useApi();
  const draft = useDraft(site);
  const [figures, setFigures] = useState<FiguresSource>('real');
  // The trust-event totals follow the picker too: a demo view never shows real visitors' events, nor the reverse.
  const cells = useQuery({
    queryKey: ['aggregates', site, undefined, figures],
    queryFn: () => api.aggregates(site, undefined, figures),
  });
  const report = useQuery({
    queryKey: ['privacy-report', site, figures],
    queryFn: () => api.privacyReport(site, REPORT_DAYS, figures),
  });
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
      <FiguresSourcePicker
        site={site}
        value={figures}
        demoAvailable={report.data?.demoAvailable === true || figures === 'demo'}
        onChange={setFigures}
      />
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
        <h2 id="consent-title">{t('privacy.overTime')}</h2>
        {report.isPending ? <Loading /> : null}
        {report.error && isMissingEndpoint(report.error) ? (
          <NotAvailable endpoint="GET /v1/admin/sites/:site/privacy-report" />
        ) : report.error ? (
          <ErrorNotice error={report.error} />
        ) : null}
        {report.data === undefined ? null : hasFigures(report.data) ? (
          <ReportCharts report={report.data} />
        ) : (
          <p className="muted" data-testid="privacy-empty">
            {t('privacy.noData', { days: REPORT_DAYS })}
          </p>
        )}
        {report.data === undefined ? null : <TrustScore report={report.data} />}
      </section>
    </Page>
  );
}

/** Whether the window holds any figure worth a chart. */
function hasFigures(report: PrivacyReport): boolean {
  return report.days.some(
    (day) => day.choices > 0 || day.exposures > 0 || day.explanationOpens > 0 || day.preferenceCenter > 0,
  );
}

const COLOURS = ['#0b5cad', '#1d6b2f', '#a4161a', '#7a4a00', '#5b3a8c', '#00666b', '#6b6b6b', '#b0468a'];

function sum(report: PrivacyReport, pick: (day: PrivacyReport['days'][number]) => number): number {
  return report.days.reduce((total, day) => total + pick(day), 0);
}

function ReportCharts({ report }: { readonly report: PrivacyReport }) {
  const { t, language } = useI18n();
  const purposes = [...new Set(report.days.flatMap((day) => Object.keys(day.granted)))].sort();
  const actions = [...new Set(report.days.flatMap((day) => Object.keys(day.actions)))].sort();
  const actionLabel = (action: string) => {
    const key = `privacy.action.${action}`;
    return key in MESSAGES_EN ? t(key as MessageKey) : action;
  };
  const rates = report.days.map((day) => ({
    day: day.day.slice(5),
    ...Object.fromEntries(
      // A day without choices has no rate: a gap in the line, not a 0 %.
      purposes.map((purpose) => [purpose, day.choices === 0 ? null : (day.granted[purpose] ?? 0) / day.choices]),
    ),
  }));
  const choices = report.days.map((day) => ({
    day: day.day.slice(5),
    ...Object.fromEntries(actions.map((action) => [actionLabel(action), day.actions[action] ?? 0])),
  }));
  const trust = report.days.map((day) => ({
    day: day.day.slice(5),
    opens: day.exposures === 0 ? null : day.explanationOpens / day.exposures,
    dontUse: day.exposures === 0 ? null : day.dontUse / day.exposures,
  }));
  const totalChoices = sum(report, (day) => day.choices);
  const exposures = sum(report, (day) => day.exposures);
  const percent = (value: number) => formatPercent(value, language);
  return (
    <div className="stack">
      <p className="muted">{t('privacy.choicesNote')}</p>
      <h3>{t('privacy.choices')}</h3>
      <p>{t('privacy.choicesTotal', { count: totalChoices, days: report.days.length })}</p>
      <div
        className="chart"
        role="img"
        aria-label={t('privacy.choicesTotal', { count: totalChoices, days: report.days.length })}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={choices}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {actions.map((action, index) => (
              <Bar
                key={action}
                dataKey={actionLabel(action)}
                stackId="choices"
                fill={COLOURS[index % COLOURS.length] ?? '#0b5cad'}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <h3>{t('privacy.consentRates')}</h3>
      <div className="chart" role="img" aria-label={t('privacy.consentRates')}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rates}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis domain={[0, 1]} tickFormatter={percent} />
            <Tooltip formatter={(value) => percent(Number(value))} />
            <Legend />
            {purposes.map((purpose, index) => (
              <Line
                key={purpose}
                type="monotone"
                dataKey={purpose}
                stroke={COLOURS[index % COLOURS.length] ?? '#0b5cad'}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <h3>{t('privacy.gpcShare')}</h3>
      <p data-testid="gpc-share">{percent(sum(report, (day) => day.gpc) / Math.max(1, totalChoices))}</p>
      <h3>{t('privacy.explanations')}</h3>
      <p>{t('privacy.exposures', { count: exposures })}</p>
      <p data-testid="explanation-rates">
        {percent(sum(report, (day) => day.explanationOpens) / Math.max(1, exposures))} /{' '}
        {percent(sum(report, (day) => day.dontUse) / Math.max(1, exposures))}
      </p>
      {exposures === 0 ? null : (
        <div className="chart" role="img" aria-label={t('privacy.explanations')}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={trust}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis tickFormatter={percent} />
              <Tooltip formatter={(value) => percent(Number(value))} />
              <Legend />
              <Line
                type="monotone"
                dataKey="opens"
                name={t('privacy.whyOpens')}
                stroke="#0b5cad"
                dot={false}
                isAnimationActive={false}
              />
              <Line
                type="monotone"
                dataKey="dontUse"
                name={t('results.opt_out')}
                stroke="#a4161a"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}

/** The catalog key of a score item, when the dashboard knows the item (a newer server may add some). */
function scoreKey(id: string): MessageKey | undefined {
  const key = `privacy.score.${id}`;
  return key in MESSAGES_EN ? (key as MessageKey) : undefined;
}

function TrustScore({ report }: { readonly report: PrivacyReport }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="trust-score-title">
      <h3 id="trust-score-title">{t('privacy.trustScore')}</h3>
      <p data-testid="trust-score">
        <strong>{report.trustScore.score}</strong> / 100
      </p>
      <table>
        <tbody>
          {report.trustScore.breakdown.map((item) => {
            const key = scoreKey(item.id);
            return (
              <tr key={item.id}>
                <th scope="row">{key === undefined ? item.label : t(key)}</th>
                <td>
                  {item.points} / {item.max}
                </td>
                <td className="muted">{item.detail}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
