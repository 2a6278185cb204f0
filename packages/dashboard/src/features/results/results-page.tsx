import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../api/api-context.js';
import type { ExperienceResults } from '@candor/schema';
import { formatPercent, formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages-en.js';
import { SelectField } from '../../ui/form-controls.js';
import type { FiguresSource } from '../../api/endpoints.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, isMissingEndpoint, isNotFound, Loading, Notice, NotAvailable } from '../../ui/status.js';
import { useDraft } from '../drafts/use-draft.js';
import { BanditProposal } from './bandit-proposal.js';
import { summarizeCells, TRUST_EVENTS } from './cell-summary.js';
import { FiguresSourcePicker } from './figures-source.js';

/** Results per experience: the aggregates as stored, trust guardrails, and the stats analysis when the server serves it. */
export function ResultsPage() {
  const { site = '' } = useParams();
  const { t } = useI18n();
  const api = useApi();
  const draft = useDraft(site);
  const experiences = draft.data?.draft.experiences ?? [];
  const [chosen, setChosen] = useState<string | undefined>();
  const experience = experiences.find((item) => item.id === chosen) ?? experiences[0];
  const [metricChoice, setMetricChoice] = useState<string | undefined>();
  const [figures, setFigures] = useState<FiguresSource>('real');
  const metric =
    metricChoice !== undefined && experience?.goals.includes(metricChoice) ? metricChoice : experience?.goals[0];
  const cells = useQuery({
    queryKey: ['aggregates', site, experience?.id, figures],
    queryFn: () => api.aggregates(site, experience?.id, figures),
    enabled: experience !== undefined,
  });
  const analysis = useQuery({
    queryKey: ['results', site, experience?.id, metric, figures],
    queryFn: () => api.results(site, experience?.id ?? '', metric ?? '', figures),
    enabled: experience !== undefined && metric !== undefined,
  });
  const rows =
    experience === undefined || metric === undefined ? [] : summarizeCells(cells.data ?? [], experience.id, metric);
  return (
    <Page title={t('results.title')}>
      <FiguresSourcePicker
        site={site}
        value={figures}
        demoAvailable={analysis.data?.demoAvailable === true || figures === 'demo'}
        onChange={setFigures}
      />
      {(analysis.data?.unattributedReports ?? 0) > 0 ? (
        <p className="notice notice-muted" data-testid="unattributed">
          {t('results.unattributed', { count: analysis.data?.unattributedReports ?? 0 })}
        </p>
      ) : null}
      {experience?.allocation === 'bandit' ? <BanditProposal site={site} experience={experience.id} /> : null}
      {draft.isPending ? <Loading /> : null}
      {draft.error ? <ErrorNotice error={draft.error} /> : null}
      <p className="notice notice-muted">{t('results.population')}</p>
      <div className="row">
        <SelectField
          label={t('results.experience')}
          value={experience?.id ?? ''}
          onChange={(event) => setChosen(event.target.value)}
          options={experiences.map((item) => ({ value: item.id, label: `${item.name} (${item.id})` }))}
        />
        <SelectField
          label={t('results.metric')}
          value={metric ?? ''}
          onChange={(event) => setMetricChoice(event.target.value)}
          options={(experience?.goals ?? []).map((goal) => ({ value: goal, label: goal }))}
        />
      </div>
      {cells.error ? <ErrorNotice error={cells.error} /> : null}
      <section aria-labelledby="cells-title">
        <h2 id="cells-title">{t('results.cells')}</h2>
        {rows.length === 0 ? (
          <p className="muted">{t('results.noData')}</p>
        ) : (
          <>
            <div
              className="chart"
              role="img"
              aria-label={`${t('results.mean')}: ${rows.map((row) => `${row.variantId} ${row.mean ?? '—'}`).join(', ')}`}
            >
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={rows.map((row) => ({ variant: row.variantId, mean: row.mean ?? 0 }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="variant" />
                  <YAxis />
                  <Tooltip />
                  <Bar dataKey="mean" name={t('results.mean')} fill="#0b5cad" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('results.variant')}</th>
                  <th scope="col">{t('results.n')}</th>
                  <th scope="col">{t('results.mean')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.variantId}>
                    <td>{row.variantId}</td>
                    <td>{row.n}</td>
                    <td>{row.mean === null ? '—' : row.mean.toFixed(4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section aria-labelledby="trust-title">
        <h2 id="trust-title">{t('results.trust')}</h2>
        {rows.length === 0 ? (
          <p className="muted">{t('results.noData')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('results.variant')}</th>
                {TRUST_EVENTS.map((event) => (
                  <th scope="col" key={event}>
                    {t(`results.${event}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.variantId}>
                  <td>{row.variantId}</td>
                  {TRUST_EVENTS.map((event) => (
                    <td key={event}>{row.trust[event]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="analysis-title">
        <h2 id="analysis-title">{t('results.analysis')}</h2>
        {analysis.isPending && analysis.fetchStatus !== 'idle' ? <Loading /> : null}
        {analysis.error && isMissingEndpoint(analysis.error) ? (
          <NotAvailable endpoint="GET /v1/admin/sites/:site/experiences/:id/results" />
        ) : analysis.error && isNotFound(analysis.error) ? (
          <Notice>{analysis.error.message}</Notice>
        ) : analysis.error ? (
          <ErrorNotice error={analysis.error} />
        ) : null}
        {analysis.data === undefined ? null : <Analysis results={analysis.data} />}
      </section>
    </Page>
  );
}

function Analysis({ results }: { readonly results: ExperienceResults }) {
  const { t, language } = useI18n();
  const series = results.series.map((point) => ({
    at: formatTime(point.at, language),
    [point.variantId]: point.lift,
    low: point.interval[0],
    high: point.interval[1],
  }));
  return (
    <div className="stack">
      {results.srm.flagged ? (
        <div role="alert" className="notice notice-error">
          {t('results.srm', { p: results.srm.pValue.toPrecision(2) })}
        </div>
      ) : null}
      <p>
        {results.lowerIsBetter === true ? (
          <span className="badge badge-info" data-testid="lower-is-better">
            {t('metrics.inverse')}
          </span>
        ) : null}
        {results.cuped ? <span className="badge badge-info">{t('results.cuped')}</span> : null}
        {results.differentialPrivacy === null ? null : (
          <span className="badge badge-info">{t('results.dp', { epsilon: results.differentialPrivacy.epsilon })}</span>
        )}
      </p>
      {results.correction === undefined ? null : (
        <p className="hint" data-testid="page-correction">
          {results.correction.family === 0
            ? t('results.correction.empty')
            : t(`results.correction.${results.correction.method}`, {
                family: results.correction.family,
                alpha: Number(results.correction.alpha.toPrecision(3)),
              })}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('results.variant')}</th>
            <th scope="col">{t('results.n')}</th>
            <th scope="col">{t('results.mean')}</th>
            <th scope="col">{t('results.lift')}</th>
            <th scope="col">{t('results.interval')}</th>
            <th scope="col">p</th>
          </tr>
        </thead>
        <tbody>
          {results.variants.map((variant) => (
            <tr key={variant.variantId}>
              <td>{variant.variantId}</td>
              <td>{variant.n}</td>
              <td>{variant.mean.toFixed(4)}</td>
              <td>{variant.lift === null ? '—' : formatPercent(variant.lift, language)}</td>
              <td>
                {variant.interval === null
                  ? '—'
                  : `${formatPercent(variant.interval[0], language)} … ${formatPercent(variant.interval[1], language)}`}
              </td>
              <td>{variant.pValue === null ? '—' : variant.pValue.toPrecision(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {results.guardrails
        .filter((guardrail) => guardrail.flagged)
        .map((guardrail) => (
          <div key={`${guardrail.variantId}-${guardrail.event}`} role="alert" className="notice notice-warning">
            {t('results.guardrailFlagged', {
              event: t(`results.${guardrail.event}` as MessageKey),
              variant: guardrail.variantId,
              rate: guardrail.rate === null ? '—' : formatPercent(guardrail.rate, language),
            })}
          </div>
        ))}
      {series.length === 0 ? null : (
        <div className="chart" role="img" aria-label={t('results.lift')}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={series}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="at" />
              <YAxis tickFormatter={(value: number) => formatPercent(value, language)} />
              <Tooltip />
              {[...new Set(results.series.map((point) => point.variantId))].map((variant) => (
                <Line key={variant} dataKey={variant} stroke="#0b5cad" isAnimationActive={false} />
              ))}
              <Line dataKey="low" stroke="#8a949e" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
              <Line dataKey="high" stroke="#8a949e" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <h3>{t('results.verdict')}</h3>
      <p data-testid="verdict">{results.verdict.text}</p>
      <ul>
        {results.verdict.caveats.map((caveat) => (
          <li key={caveat}>{caveat}</li>
        ))}
      </ul>
    </div>
  );
}
