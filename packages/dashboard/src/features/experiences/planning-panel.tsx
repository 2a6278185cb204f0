import { useMutation } from '@tanstack/react-query';
import type { ExperiencePlan } from '@candor/schema';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { formatPercent } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { FieldGroup, TextField } from '../../ui/form-controls.js';
import { isNotFound, Notice, ErrorNotice } from '../../ui/status.js';

/** "How long at today's traffic?": the server plans the page's own test for the published experience. */
export function PlanningPanel({ site, experienceId }: { readonly site: string; readonly experienceId: string }) {
  const { t, language } = useI18n();
  const api = useApi();
  const [effect, setEffect] = useState('10');
  const [baseline, setBaseline] = useState('');
  const plan = useMutation({
    mutationFn: () =>
      api.plan(site, experienceId, {
        effect: Number(effect) / 100,
        ...(baseline === '' ? {} : { baselineRate: Number(baseline) / 100 }),
      }),
  });
  return (
    <FieldGroup legend={t('plan.title')}>
      <div className="row">
        <TextField
          label={t('plan.effect')}
          type="number"
          step="1"
          value={effect}
          onChange={(event) => setEffect(event.target.value)}
        />
        <TextField
          label={t('plan.baseline')}
          type="number"
          step="0.1"
          min={0}
          max={100}
          value={baseline}
          onChange={(event) => setBaseline(event.target.value)}
        />
      </div>
      {/* Inside the experience form: a plain button, so estimating never submits the form. */}
      <button type="button" className="button" onClick={() => plan.mutate()} disabled={plan.isPending}>
        {t('plan.run')}
      </button>
      {plan.error && isNotFound(plan.error) ? (
        <Notice>{t('plan.unpublished')}</Notice>
      ) : plan.error ? (
        <ErrorNotice error={plan.error} />
      ) : null}
      {plan.data === undefined ? null : <PlanAnswer plan={plan.data} language={language} />}
    </FieldGroup>
  );
}

function PlanAnswer({ plan, language }: { readonly plan: ExperiencePlan; readonly language: string }) {
  const { t } = useI18n();
  if (plan.perVariant === null || plan.totalVisitors === null)
    return <p data-testid="plan-answer">{t('plan.tooSmall')}</p>;
  const days = {
    PLANNED: plan.days === null ? null : t('plan.days', { days: plan.days }),
    TARGET_REACHED: t('plan.reached'),
    NO_TRAFFIC: t('plan.noTraffic'),
    PRIVATE_TRAFFIC: t('plan.private'),
    EFFECT_TOO_SMALL: null,
  }[plan.reason];
  return (
    <div data-testid="plan-answer">
      <p>
        {t('plan.result', {
          perVariant: plan.perVariant.toLocaleString(language),
          total: plan.totalVisitors.toLocaleString(language),
          power: formatPercent(plan.power, language),
        })}{' '}
        {days}
      </p>
      <p className="hint">
        {t('plan.budget', { engine: plan.engine, alpha: Number(plan.testAlpha.toPrecision(2)), family: plan.family })}
      </p>
    </div>
  );
}
