import { QuestionPlacementDraft, type WholeDraft } from '@candor/schema';
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { useI18n } from '../../i18n/i18n.js';
import { SelectField, TextField } from '../../ui/form-controls.js';
import { FindingsList } from '../../ui/findings-list.js';
import { DraftEntityPage } from '../drafts/draft-entity-page.js';
import { EditorActions, useJustSaved } from '../drafts/editor-actions.js';
import { issueMap } from '../drafts/entity-workspace.js';
import { liveFindings } from '../drafts/live-lint.js';
import { useDeleteEntity, useSaveEntity } from '../drafts/use-draft.js';
import { useSiteLanguages } from '../sites/site-languages.js';
import { askableFields, formToPlacement, placementToForm, type Placement } from './placement-form.js';
import { PagePatternsField } from '../../ui/page-patterns-field.js';

/** Questions placed on pages without code: which field's question, next to which element, on which pages. */
export function PlacementsPage() {
  const { t } = useI18n();
  return (
    <DraftEntityPage
      title={t('placements.title')}
      kind="placements"
      lintEntity="placement"
      select={(draft) => draft.placements ?? []}
      idOf={(placement) => placement.id}
      labelOf={(placement) =>
        `${placement.field} — ${t(`placements.position.${placement.position}`)} ${placement.selector}`
      }
      editor={({ site, id, draft, current }) => (
        <PlacementEditor key={id} site={site} draft={draft} placement={current} />
      )}
    />
  );
}

function PlacementEditor({
  site,
  draft,
  placement,
}: {
  readonly site: string;
  readonly draft: WholeDraft;
  readonly placement: Placement | undefined;
}) {
  const { t } = useI18n();
  const justSaved = useJustSaved();
  const { save, saveAndShow } = useSaveEntity(site, 'placements');
  const { remove, confirmAndDelete } = useDeleteEntity(site, 'placements');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useForm({ defaultValues: placementToForm(placement) });
  const pages = useFieldArray({ control: form.control, name: 'pages' });
  const languages = useSiteLanguages(site);
  const candidate = formToPlacement(form.watch(), placement);
  const findings = liveFindings(draft, 'placements', candidate, placement?.id, {
    defaultLanguage: languages[0] ?? 'en',
    languages: [...languages],
  });
  const askable = askableFields(draft);
  // A saved placement whose field lost its question (or was deleted) stays selectable, so the
  // editor shows it as it is and the findings say what is wrong.
  const fieldOptions = [
    { value: '', label: t('common.select') },
    ...askable.map((field) => ({
      value: field.key,
      label: `${field.label.en || field.label['zh-Hant']} (${field.key})`,
    })),
    ...(placement !== undefined && !askable.some((field) => field.key === placement.field)
      ? [{ value: placement.field, label: placement.field }]
      : []),
  ];
  const submit = form.handleSubmit(() => {
    const parsed = QuestionPlacementDraft.safeParse(candidate);
    if (!parsed.success) return setErrors(issueMap(parsed.error.issues));
    setErrors({});
    saveAndShow(parsed.data, parsed.data.id, placement?.id);
  });
  return (
    <form onSubmit={(event) => void submit(event)} className="stack" noValidate aria-label={t('placements.title')}>
      <p className="hint">{t('placements.intro')}</p>
      {askable.length === 0 ? <p className="muted">{t('placements.noQuestions')}</p> : null}
      <div className="grid">
        <TextField label={t('common.id')} error={errors['id']} {...form.register('id')} />
        <SelectField
          label={t('placements.field')}
          hint={t('placements.fieldHint')}
          error={errors['field']}
          options={fieldOptions}
          {...form.register('field')}
        />
        <TextField
          label={t('placements.selector')}
          hint={t('placements.selectorHint')}
          error={errors['selector']}
          {...form.register('selector')}
        />
        <SelectField
          label={t('placements.position')}
          options={QuestionPlacementDraft.shape.position.options.map((value) => ({
            value,
            label: t(`placements.position.${value}`),
          }))}
          {...form.register('position')}
        />
      </div>
      <PagePatternsField
        legend={t('placements.pages')}
        hint={t('placements.pagesHint')}
        rows={pages.fields}
        errors={errors}
        onAdd={() => pages.append({ type: 'path', pattern: '' })}
        onRemove={(index) => pages.remove(index)}
        registerType={(index) => form.register(`pages.${index}.type`)}
        registerPattern={(index) => form.register(`pages.${index}.pattern`)}
      />
      <section aria-label={t('audiences.findings')}>
        <FindingsList findings={findings} />
      </section>
      <EditorActions
        saving={save.isPending}
        saved={save.isSuccess || justSaved}
        error={save.error ?? remove.error}
        validationCount={Object.keys(errors).length}
        onDelete={confirmAndDelete(placement?.id)}
      />
    </form>
  );
}
