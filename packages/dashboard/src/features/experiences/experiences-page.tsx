import { ExperienceAnalysis, ExperienceDraft } from '@candor/schema';
import { useState } from 'react';
import { useParams } from 'react-router';
import {
  Controller,
  useFieldArray,
  useForm,
  type Control,
  type UseFormRegister,
  type UseFormWatch,
} from 'react-hook-form';
import type { WholeDraft } from '@candor/schema';
import { useI18n } from '../../i18n/i18n.js';
import { DraftEntityPage } from '../drafts/draft-entity-page.js';
import { CheckboxList } from '../../ui/checkbox-list.js';
import { CheckboxField, FieldGroup, SelectField, TextArea, TextField } from '../../ui/form-controls.js';
import { FindingsList } from '../../ui/findings-list.js';
import { EditorActions, useJustSaved } from '../drafts/editor-actions.js';
import { issueMap } from '../drafts/entity-workspace.js';
import { liveFindings } from '../drafts/live-lint.js';
import { useDeleteEntity, useExperienceOrder, useSaveEntity } from '../drafts/use-draft.js';
import { useCan } from '../session/session.js';
import { emptySlot, experienceToForm, formToExperience, type ExperienceFormValues } from './experience-form.js';
import { PlanningPanel } from './planning-panel.js';
import { EditOnPage } from './edit-on-page.js';
import { useSiteOrigins } from '../sites/site-origins.js';
import { PagePatternsField } from '../../ui/page-patterns-field.js';

/** Experiences: variants per slot, audiences, holdout, goals, allocation, schedule and frequency cap. */
export function ExperiencesPage() {
  const { t } = useI18n();
  const { site = '' } = useParams();
  const order = useExperienceOrder(site);
  const canWrite = useCan('drafts:write');
  return (
    <DraftEntityPage
      title={t('experiences.title')}
      {...(canWrite
        ? { reorder: { hint: t('experiences.priorityHint'), onReorder: order.mutate, busy: order.isPending } }
        : {})}
      kind="experiences"
      lintEntity="experience"
      select={(draft) => draft.experiences}
      idOf={(experience) => experience.id}
      labelOf={(experience) => experience.name}
      editor={({ site, id, draft, current }) => (
        <ExperienceEditor key={id} site={site} draft={draft} experience={current} />
      )}
    />
  );
}

function ExperienceEditor({
  site,
  draft,
  experience,
}: {
  readonly site: string;
  readonly draft: WholeDraft;
  readonly experience: ExperienceDraft | undefined;
}) {
  const { t } = useI18n();
  const canEditPage = useCan('drafts:write');
  const justSaved = useJustSaved();
  const { save, saveAndShow } = useSaveEntity(site, 'experiences');
  const { remove, confirmAndDelete } = useDeleteEntity(site, 'experiences');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useForm<ExperienceFormValues>({ defaultValues: experienceToForm(experience) });
  const variants = useFieldArray({ control: form.control, name: 'variants' });
  const pages = useFieldArray({ control: form.control, name: 'pages' });
  const allowedOrigins = useSiteOrigins(site);
  const values = form.watch();
  const converted = formToExperience(values, experience, allowedOrigins);
  const findings = liveFindings(draft, 'experiences', converted.experience, experience?.id);
  const metricOptions = draft.metrics.map((metric) => ({ value: metric.id, label: `${metric.name} (${metric.id})` }));
  const submit = form.handleSubmit(() => {
    const parsed = ExperienceDraft.safeParse(converted.experience);
    const problems = { ...converted.errors, ...(parsed.success ? {} : issueMap(parsed.error.issues)) };
    setErrors(problems);
    if (!parsed.success || Object.keys(problems).length > 0) return;
    saveAndShow(parsed.data, parsed.data.id, experience?.id);
  });
  return (
    <form onSubmit={(event) => void submit(event)} className="stack" noValidate aria-label={t('experiences.title')}>
      <div className="grid">
        <TextField label={t('common.id')} error={errors['id']} {...form.register('id')} />
        <TextField label={t('common.name')} error={errors['name']} {...form.register('name')} />
        <SelectField
          label={t('experiences.kind')}
          options={ExperienceDraft.shape.kind.options.map((value) => ({ value, label: value }))}
          {...form.register('kind')}
        />
        <SelectField
          label={t('experiences.allocation')}
          options={[
            { value: 'fixed', label: t('experiences.fixed') },
            { value: 'bandit', label: t('experiences.bandit') },
          ]}
          {...form.register('allocation')}
        />
        <TextField
          label={t('experiences.holdout')}
          type="number"
          min={0}
          max={100}
          step={0.1}
          error={errors['holdout']}
          {...form.register('holdoutPct')}
        />
        <TextField
          label={t('experiences.coverage')}
          type="number"
          min={0}
          max={100}
          step={0.1}
          error={errors['coverage']}
          {...form.register('coveragePct')}
        />
        <TextField label={t('experiences.seed')} {...form.register('seed')} />
        <SelectField
          label="Hash version"
          options={[
            { value: '2', label: 'v2' },
            { value: '1', label: 'v1' },
          ]}
          {...form.register('hashVersion')}
        />
      </div>
      <Controller
        control={form.control}
        name="audiences"
        render={({ field }) => (
          <CheckboxList
            legend={t('experiences.audiences')}
            options={draft.audiences.map((audience) => ({
              value: audience.id,
              label: `${audience.name} (${audience.id})`,
            }))}
            value={field.value}
            onChange={field.onChange}
            empty={t('common.empty')}
          />
        )}
      />
      <PagePatternsField
        legend={t('experiences.pages')}
        hint={t('experiences.pagesHint')}
        rows={pages.fields}
        errors={errors}
        onAdd={() => pages.append({ type: 'path', pattern: '' })}
        onRemove={(index) => pages.remove(index)}
        registerType={(index) => form.register(`pages.${index}.type`)}
        registerPattern={(index) => form.register(`pages.${index}.pattern`)}
      />
      {values.allocation === 'bandit' ? (
        <Controller
          control={form.control}
          name="segments"
          render={({ field }) => (
            <CheckboxList
              legend={t('experiences.segments')}
              hint={t('experiences.segmentsHint')}
              error={errors['segments']}
              options={draft.audiences.map((audience) => ({
                value: audience.id,
                label: `${audience.name} (${audience.id})`,
              }))}
              value={field.value}
              onChange={field.onChange}
              empty={t('common.empty')}
            />
          )}
        />
      ) : null}
      <FieldGroup legend={t('experiences.variants')}>
        {variants.fields.map((variant, index) => (
          <VariantEditor
            key={variant.id}
            index={index}
            control={form.control}
            register={form.register}
            watch={form.watch}
            errors={errors}
            liveErrors={converted.errors}
            onRemove={variants.fields.length > 1 ? () => variants.remove(index) : undefined}
          />
        ))}
        <button
          type="button"
          onClick={() =>
            variants.append({
              id: `variant-${variants.fields.length + 1}`,
              name: '',
              weight: '',
              interruptive: false,
              slots: [emptySlot()],
            })
          }
        >
          {t('experiences.addVariant')}
        </button>
      </FieldGroup>
      {canEditPage ? <EditOnPage site={site} experience={experience} /> : null}
      <Controller
        control={form.control}
        name="goals"
        render={({ field }) => (
          <CheckboxList
            legend={t('experiences.goals')}
            options={metricOptions}
            value={field.value}
            onChange={field.onChange}
            empty={t('experiences.noMetrics')}
          />
        )}
      />
      <Controller
        control={form.control}
        name="guardrails"
        render={({ field }) => (
          <CheckboxList
            legend={t('experiences.guardrails')}
            options={metricOptions}
            value={field.value}
            onChange={field.onChange}
            empty={t('experiences.noMetrics')}
          />
        )}
      />
      <FieldGroup legend={t('experiences.frequencyCap')}>
        <CheckboxField label={t('experiences.frequencyCap')} {...form.register('capOn')} />
        <div className="row">
          <TextField
            label={t('experiences.maxImpressions')}
            type="number"
            min={1}
            disabled={!values.capOn}
            {...form.register('maxImpressions')}
          />
          <TextField
            label={t('experiences.perDays')}
            type="number"
            min={1}
            disabled={!values.capOn}
            {...form.register('perDays')}
          />
        </div>
      </FieldGroup>
      <FieldGroup legend={t('experiences.schedule')}>
        <div className="row">
          <TextField label={t('experiences.start')} type="datetime-local" {...form.register('start')} />
          <TextField label={t('experiences.end')} type="datetime-local" {...form.register('end')} />
        </div>
      </FieldGroup>
      <FieldGroup legend={t('experiences.analysis')}>
        <CheckboxField label={t('experiences.analysisOn')} {...form.register('analysisOn')} />
        {values.analysisOn ? (
          <div className="grid">
            <SelectField
              label={t('experiences.engine')}
              options={ExperienceAnalysis.shape.engine.unwrap().options.map((value) => ({ value, label: value }))}
              {...form.register('engine')}
            />
            <SelectField
              label={t('experiences.correction')}
              options={ExperienceAnalysis.shape.correction.unwrap().options.map((value) => ({ value, label: value }))}
              {...form.register('correction')}
            />
            <TextField
              label="α"
              type="number"
              step="0.01"
              min={0.001}
              max={0.49}
              error={errors['analysis.alpha']}
              {...form.register('alpha')}
            />
            <TextField
              label={t('experiences.minimumUnits')}
              type="number"
              min={2}
              error={errors['analysis.minimumUnits']}
              {...form.register('minimumUnits')}
            />
            <CheckboxField label={t('experiences.dp')} {...form.register('dpOn')} />
            <TextField
              label="ε"
              type="number"
              step="0.1"
              min={0.01}
              max={10}
              disabled={!values.dpOn}
              error={errors['analysis.differentialPrivacy.epsilon']}
              {...form.register('epsilon')}
            />
            <TextField
              label={t('experiences.plannedReleases')}
              type="number"
              min={1}
              max={365}
              disabled={!values.dpOn}
              {...form.register('plannedReleases')}
            />
          </div>
        ) : (
          <p className="hint">{t('experiences.analysisDefault')}</p>
        )}
      </FieldGroup>
      {experience === undefined ? null : <PlanningPanel site={site} experienceId={experience.id} />}
      <FindingsList findings={findings} />
      <EditorActions
        saving={save.isPending}
        saved={save.isSuccess || justSaved}
        error={save.error ?? remove.error}
        validationCount={Object.keys(errors).length}
        onDelete={confirmAndDelete(experience?.id)}
      />
    </form>
  );
}

function VariantEditor({
  index,
  control,
  register,
  watch,
  errors,
  liveErrors,
  onRemove,
}: {
  readonly index: number;
  readonly control: Control<ExperienceFormValues>;
  readonly register: UseFormRegister<ExperienceFormValues>;
  readonly watch: UseFormWatch<ExperienceFormValues>;
  readonly errors: Record<string, string>;
  /** What the form cannot read as typed, shown while typing (a redirect target off the site). */
  readonly liveErrors: Record<string, string>;
  readonly onRemove: (() => void) | undefined;
}) {
  const { t } = useI18n();
  const slots = useFieldArray({ control, name: `variants.${index}.slots` });
  const n = index + 1;
  return (
    <fieldset className="group">
      <legend>{t('experiences.variant', { n })}</legend>
      <div className="grid">
        <TextField
          label={`${t('common.id')} (${t('experiences.variant', { n })})`}
          error={errors[`variants.${index}.id`]}
          {...register(`variants.${index}.id`)}
        />
        <TextField
          label={`${t('common.name')} (${t('experiences.variant', { n })})`}
          error={errors[`variants.${index}.name`]}
          {...register(`variants.${index}.name`)}
        />
        <TextField
          label={`${t('experiences.weight')} (${t('experiences.variant', { n })})`}
          type="number"
          min={0}
          step="any"
          {...register(`variants.${index}.weight`)}
        />
        <CheckboxField label={t('experiences.interruptive')} {...register(`variants.${index}.interruptive`)} />
      </div>
      {slots.fields.map((slot, s) => {
        const at = `variants.${index}.slots.${s}` as const;
        const type = watch(`${at}.type`);
        const label = (text: string) => `${text} (${t('experiences.variant', { n })}, ${s + 1})`;
        return (
          <div key={slot.id} className="group">
            <div className="row">
              {type === 'redirect' ? null : (
                <TextField label={label(t('experiences.slot'))} {...register(`${at}.slot`)} />
              )}
              <SelectField
                label={label(t('experiences.contentType'))}
                error={errors[`${at}.type`] ?? liveErrors[`${at}.type`]}
                options={[
                  { value: 'text', label: t('experiences.text') },
                  { value: 'html', label: t('experiences.html') },
                  { value: 'attributes', label: t('experiences.attributes') },
                  { value: 'class', label: t('experiences.class') },
                  { value: 'redirect', label: t('experiences.redirect') },
                  ...(type === 'changes' ? [{ value: 'changes', label: t('experiences.changes') }] : []),
                ]}
                {...register(`${at}.type`)}
              />
              <button type="button" onClick={() => slots.remove(s)}>
                {t('experiences.removeSlot')}
                <span className="visually-hidden"> {s + 1}</span>
              </button>
            </div>
            {type === 'text' || type === 'html' ? (
              <div className="pair">
                <TextArea
                  label={label(`${t('common.en')}`)}
                  lang="en"
                  rows={type === 'html' ? 4 : 2}
                  {...register(`${at}.en`)}
                />
                <TextArea
                  label={label(`${t('common.zhHant')}`)}
                  lang="zh-Hant"
                  rows={type === 'html' ? 4 : 2}
                  {...register(`${at}.zh`)}
                />
              </div>
            ) : null}
            {type === 'html' ? <HtmlPreview html={watch(`${at}.en`)} /> : null}
            {type === 'attributes' ? (
              <TextArea
                label={label(t('experiences.attributes'))}
                className="json"
                rows={3}
                hint={t('experiences.attributesHint')}
                error={errors[`${at}.attributes`]}
                {...register(`${at}.attributes`)}
              />
            ) : null}
            {type === 'class' ? (
              <TextField label={label(t('experiences.class'))} {...register(`${at}.className`)} />
            ) : null}
            {type === 'redirect' ? (
              <div className="stack">
                <p className="hint">{t('experiences.redirectHint')}</p>
                <TextField
                  label={label(t('experiences.redirectTo'))}
                  hint={t('experiences.redirectToHint')}
                  error={errors[`${at}.to`] ?? liveErrors[`${at}.to`]}
                  {...register(`${at}.to`)}
                />
                <CheckboxField label={label(t('experiences.carryQuery'))} {...register(`${at}.carryQuery`)} />
              </div>
            ) : null}
          </div>
        );
      })}
      <div className="actions">
        <button type="button" onClick={() => slots.append(emptySlot())}>
          {t('experiences.addSlot')}
        </button>
        {onRemove === undefined ? null : (
          <button type="button" className="danger" onClick={onRemove}>
            {t('experiences.removeVariant')}
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** HTML content rendered in a sandbox with scripts off, as the SDK's sanitiser would at most allow. */
function HtmlPreview({ html }: { readonly html: string }) {
  const { t } = useI18n();
  return <iframe className="content-preview" title={t('experiences.preview')} sandbox="" srcDoc={html} />;
}
