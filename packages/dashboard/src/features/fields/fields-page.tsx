import { SENSITIVE_TAXONOMY, type LintFinding, type SensitiveCategory as CoreCategory } from '@candor/core';
import { FieldDraft, missingTexts, SensitiveCategory } from '@candor/schema';
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import type { WholeDraft } from '@candor/schema';
import { useI18n } from '../../i18n/i18n.js';
import { DraftEntityPage } from '../drafts/draft-entity-page.js';
import { FieldGroup, SelectField, TextField } from '../../ui/form-controls.js';
import { FindingsList } from '../../ui/findings-list.js';
import { LocalizedInputs } from '../../ui/localized-inputs.js';
import { EditorActions, useJustSaved } from '../drafts/editor-actions.js';
import { issueMap } from '../drafts/entity-workspace.js';
import { liveFindings } from '../drafts/live-lint.js';
import { useSiteLanguages } from '../sites/site-languages.js';
import { useDeleteEntity, useSaveEntity } from '../drafts/use-draft.js';
import { fieldToForm, formToField, type FieldFormValues } from './field-form.js';

const opts = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** Fields: what data the site may use, under which purpose, with the texts visitors read. */
export function FieldsPage() {
  const { t } = useI18n();
  return (
    <DraftEntityPage
      title={t('fields.title')}
      kind="fields"
      lintEntity="field"
      select={(draft) => draft.fields}
      idOf={(field) => field.key}
      labelOf={(field) => field.label.en || field.label['zh-Hant']}
      editor={({ site, id, draft, current }) => <FieldEditor key={id} site={site} draft={draft} field={current} />}
    />
  );
}

function categoryLabel(category: string, none: string): string {
  if (category === 'none') return none;
  const rule = SENSITIVE_TAXONOMY[category as CoreCategory];
  return `${category} — ${rule.description}`;
}

/** The refusal of a sensitive field, in words: which category, and why it can never be used. */
function Refusal({ findings }: { readonly findings: readonly LintFinding[] }) {
  const { t } = useI18n();
  const refused = findings.filter((finding) => finding.code === 'field_sensitive_category');
  const watched = findings.filter((finding) => finding.code === 'field_watched_category');
  return (
    <>
      {refused.map((finding) => (
        <div key={finding.fingerprint} role="alert" className="notice notice-error refusal" data-testid="refusal">
          <strong>
            {t('fields.refused', {
              category:
                finding.category === undefined
                  ? ''
                  : `${finding.category} (${SENSITIVE_TAXONOMY[finding.category].description})`,
            })}
          </strong>
          <p>{finding.message}</p>
          <p>{t('fields.refusedBody')}</p>
        </div>
      ))}
      {watched.map((finding) => (
        <div key={finding.fingerprint} className="notice notice-warning">
          <strong>{t('fields.watched', { category: finding.category ?? '' })}</strong> {finding.message}
        </div>
      ))}
    </>
  );
}

function FieldEditor({
  site,
  draft,
  field,
}: {
  readonly site: string;
  readonly draft: WholeDraft;
  readonly field: FieldDraft | undefined;
}) {
  const { t } = useI18n();
  const justSaved = useJustSaved();
  const { save, saveAndShow } = useSaveEntity(site, 'fields');
  const { remove, confirmAndDelete } = useDeleteEntity(site, 'fields');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useForm<FieldFormValues>({ defaultValues: fieldToForm(field) });
  const options = useFieldArray({ control: form.control, name: 'options' });
  const values = form.watch();
  const languages = useSiteLanguages(site);
  const candidate = formToField(values, field);
  const findings = liveFindings(draft, 'fields', candidate, field?.key, {
    defaultLanguage: languages[0] ?? 'en',
    languages: [...languages],
  });
  const submit = form.handleSubmit(() => {
    const parsed = FieldDraft.safeParse(candidate);
    if (!parsed.success) {
      setErrors(issueMap(parsed.error.issues));
      return;
    }
    // Texts are required in the site's languages only (the server checks the same).
    const untranslated = missingTexts('fields', parsed.data, languages);
    if (untranslated.length > 0) {
      setErrors(Object.fromEntries(untranslated.map((problem) => [problem.path, problem.message])));
      return;
    }
    setErrors({});
    saveAndShow(parsed.data, parsed.data.key, field?.key);
  });
  const text = (name: 'label' | 'question' | 'whyWeAsk' | 'whatYouGet', legend: string, multiline = false) => (
    <LocalizedInputs
      legend={legend}
      multiline={multiline}
      {...(name === 'label' ? { hint: t('fields.labelHint') } : {})}
      en={form.register(`${name}.en`)}
      zh={form.register(`${name}.zh-Hant`)}
      errors={{ en: errors[`${name}.en`], zh: errors[`${name}.zh-Hant`] }}
      languages={languages}
    />
  );
  return (
    <form onSubmit={(event) => void submit(event)} className="stack" noValidate aria-label={t('fields.title')}>
      <Refusal findings={findings} />
      <div className="grid">
        <TextField label={t('fields.key')} error={errors['key']} {...form.register('key')} />
        <SelectField
          label={t('fields.type')}
          options={opts(FieldDraft.shape.type.options)}
          {...form.register('type')}
        />
        <SelectField
          label={t('fields.source')}
          options={opts(FieldDraft.shape.source.options)}
          {...form.register('source')}
        />
        <SelectField
          label={t('fields.purpose')}
          error={errors['purpose']}
          options={draft.purposes.map((purpose) => ({
            value: purpose.id,
            label: `${purpose.name.en || purpose.name['zh-Hant']} (${purpose.id})`,
          }))}
          {...form.register('purpose')}
        />
        <SelectField
          label={t('fields.category')}
          options={['none', ...SensitiveCategory.options].map((value) => ({
            value,
            label: categoryLabel(value, t('fields.categoryNone')),
          }))}
          {...form.register('category')}
        />
        <SelectField
          label={t('fields.origin')}
          options={opts(FieldDraft.shape.origin.options)}
          {...form.register('origin')}
        />
        <TextField
          label={t('fields.retentionDays')}
          type="number"
          min={1}
          max={3650}
          error={errors['retentionDays']}
          {...form.register('retentionDays', { valueAsNumber: true })}
        />
        <TextField
          label={t('fields.coolingOffDays')}
          type="number"
          min={0}
          error={errors['coolingOffDays']}
          {...form.register('coolingOffDays')}
        />
      </div>
      {text('label', t('fields.label'))}
      {text('question', t('fields.question'))}
      {text('whyWeAsk', t('fields.whyWeAsk'), true)}
      {text('whatYouGet', t('fields.whatYouGet'), true)}
      <FieldGroup legend={t('fields.options')}>
        {options.fields.map((option, index) => (
          <div key={option.id} className="row">
            <TextField label={`${t('fields.optionValue')} ${index + 1}`} {...form.register(`options.${index}.value`)} />
            {languages.includes('en') ? (
              <TextField label={`${t('common.en')} ${index + 1}`} {...form.register(`options.${index}.label.en`)} />
            ) : null}
            {languages.includes('zh-Hant') ? (
              <TextField
                label={`${t('common.zhHant')} ${index + 1}`}
                {...form.register(`options.${index}.label.zh-Hant`)}
              />
            ) : null}
            <button type="button" onClick={() => options.remove(index)}>
              {t('common.remove')}
              <span className="visually-hidden"> {index + 1}</span>
            </button>
          </div>
        ))}
        <button type="button" onClick={() => options.append({ value: '', label: { en: '', 'zh-Hant': '' } })}>
          {t('fields.addOption')}
        </button>
      </FieldGroup>
      <section aria-label={t('audiences.findings')}>
        <FindingsList findings={findings.filter((finding) => finding.code !== 'field_sensitive_category')} />
      </section>
      <EditorActions
        saving={save.isPending}
        saved={save.isSuccess || justSaved}
        error={save.error ?? remove.error}
        validationCount={Object.keys(errors).length}
        onDelete={confirmAndDelete(field?.key)}
      />
    </form>
  );
}
