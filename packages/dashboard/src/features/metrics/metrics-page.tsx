import { MetricDraft } from '@candor/schema';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useI18n } from '../../i18n/i18n.js';
import { DraftEntityPage } from '../drafts/draft-entity-page.js';
import { CheckboxField, SelectField, TextField } from '../../ui/form-controls.js';
import { EditorActions, useJustSaved } from '../drafts/editor-actions.js';
import { issueMap } from '../drafts/entity-workspace.js';
import { useDeleteEntity, useSaveEntity } from '../drafts/use-draft.js';

interface MetricFormValues {
  id: string;
  name: string;
  kind: MetricDraft['kind'];
  cap: string;
  /** Lower is better (bounce rate, errors). */
  inverse: boolean;
}

/** The metric a form describes (no cap when left empty; `inverse` only when ticked). */
export function formToMetric(form: MetricFormValues, original?: MetricDraft): MetricDraft {
  const { cap: _cap, inverse: _inverse, ...kept } = original ?? ({} as Partial<MetricDraft>);
  return {
    ...kept,
    id: form.id.trim(),
    name: form.name,
    kind: form.kind,
    ...(form.cap.trim() === '' ? {} : { cap: Number(form.cap) }),
    ...(form.inverse ? { inverse: true } : {}),
  };
}

/** Metrics experiences are judged on; a cap bounds each visitor's contribution. */
export function MetricsPage() {
  const { t } = useI18n();
  return (
    <DraftEntityPage
      title={t('metrics.title')}
      kind="metrics"
      select={(draft) => draft.metrics}
      idOf={(metric) => metric.id}
      labelOf={(metric) => metric.name}
      editor={({ site, id, current }) => <MetricEditor key={id} site={site} metric={current} />}
    />
  );
}

function MetricEditor({ site, metric }: { readonly site: string; readonly metric: MetricDraft | undefined }) {
  const { t } = useI18n();
  const justSaved = useJustSaved();
  const { save, saveAndShow } = useSaveEntity(site, 'metrics');
  const { remove, confirmAndDelete } = useDeleteEntity(site, 'metrics');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useForm<MetricFormValues>({
    defaultValues: {
      id: metric?.id ?? '',
      name: metric?.name ?? '',
      kind: metric?.kind ?? 'proportion',
      cap: metric?.cap === undefined ? '' : String(metric.cap),
      inverse: metric?.inverse === true,
    },
  });
  const submit = form.handleSubmit((values) => {
    const parsed = MetricDraft.safeParse(formToMetric(values, metric));
    if (!parsed.success) return setErrors(issueMap(parsed.error.issues));
    setErrors({});
    saveAndShow(parsed.data, parsed.data.id, metric?.id);
  });
  return (
    <form onSubmit={(event) => void submit(event)} className="stack" noValidate aria-label={t('metrics.title')}>
      <div className="grid">
        <TextField label={t('common.id')} error={errors['id']} {...form.register('id')} />
        <TextField label={t('common.name')} error={errors['name']} {...form.register('name')} />
        <SelectField
          label={t('metrics.kind')}
          options={MetricDraft.shape.kind.options.map((value) => ({ value, label: value }))}
          {...form.register('kind')}
        />
        <TextField label={t('metrics.cap')} type="number" min={0} error={errors['cap']} {...form.register('cap')} />
        <div>
          <CheckboxField label={t('metrics.inverse')} {...form.register('inverse')} />
          <p className="hint">{t('metrics.inverseHint')}</p>
        </div>
      </div>
      <EditorActions
        saving={save.isPending}
        saved={save.isSuccess || justSaved}
        error={save.error ?? remove.error}
        validationCount={Object.keys(errors).length}
        onDelete={confirmAndDelete(metric?.id)}
      />
    </form>
  );
}
