import { missingTexts, PurposeDraft } from '@candor/schema';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { WholeDraft } from '@candor/schema';
import { useI18n } from '../../i18n/i18n.js';
import { DraftEntityPage } from '../drafts/draft-entity-page.js';
import { CheckboxField, FieldGroup, SelectField, TextField } from '../../ui/form-controls.js';
import { FindingsList } from '../../ui/findings-list.js';
import { LocalizedInputs } from '../../ui/localized-inputs.js';
import { EditorActions, useJustSaved } from '../drafts/editor-actions.js';
import { issueMap } from '../drafts/entity-workspace.js';
import { liveFindings } from '../drafts/live-lint.js';
import { useSiteLanguages } from '../sites/site-languages.js';
import { useDeleteEntity, useSaveEntity } from '../drafts/use-draft.js';
import { formToPurpose, purposeToForm, type PurposeFormValues } from './purpose-form.js';

const CONSENT_MODE = PurposeDraft.shape.consentMode.unwrap().element.options;
const opts = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** Purposes: why data is used, in visitors' words, with legal basis and TCF / Consent Mode mappings. */
export function PurposesPage() {
  const { t } = useI18n();
  return (
    <DraftEntityPage
      title={t('purposes.title')}
      kind="purposes"
      lintEntity="purpose"
      select={(draft) => draft.purposes}
      idOf={(purpose) => purpose.id}
      labelOf={(purpose) => purpose.name.en || purpose.name['zh-Hant']}
      editor={({ site, id, draft, current }) => <PurposeEditor key={id} site={site} draft={draft} purpose={current} />}
    />
  );
}

function PurposeEditor({
  site,
  draft,
  purpose,
}: {
  readonly site: string;
  readonly draft: WholeDraft;
  readonly purpose: PurposeDraft | undefined;
}) {
  const { t } = useI18n();
  const justSaved = useJustSaved();
  const { save, saveAndShow } = useSaveEntity(site, 'purposes');
  const { remove, confirmAndDelete } = useDeleteEntity(site, 'purposes');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useForm<PurposeFormValues>({ defaultValues: purposeToForm(purpose) });
  const candidate = formToPurpose(form.watch(), purpose);
  const languages = useSiteLanguages(site);
  const findings = liveFindings(draft, 'purposes', candidate, purpose?.id, {
    defaultLanguage: languages[0] ?? 'en',
    languages: [...languages],
  });
  const submit = form.handleSubmit(() => {
    const parsed = PurposeDraft.safeParse(candidate);
    if (!parsed.success) return setErrors(issueMap(parsed.error.issues));
    // Texts are required in the site's languages only (the server checks the same).
    const untranslated = missingTexts('purposes', parsed.data, languages);
    if (untranslated.length > 0)
      return setErrors(Object.fromEntries(untranslated.map((problem) => [problem.path, problem.message])));
    setErrors({});
    saveAndShow(parsed.data, parsed.data.id, purpose?.id);
  });
  return (
    <form onSubmit={(event) => void submit(event)} className="stack" noValidate aria-label={t('purposes.title')}>
      <div className="grid">
        <TextField label={t('common.id')} error={errors['id']} {...form.register('id')} />
        <SelectField
          label={t('purposes.class')}
          options={opts(PurposeDraft.shape.class.options)}
          {...form.register('class')}
        />
        <SelectField
          label={t('purposes.legalBasis')}
          options={opts(PurposeDraft.shape.legalBasis.options)}
          {...form.register('legalBasis')}
        />
      </div>
      <LocalizedInputs
        legend={t('purposes.visitorName')}
        en={form.register('name.en')}
        zh={form.register('name.zh-Hant')}
        errors={{ en: errors['name.en'], zh: errors['name.zh-Hant'] }}
        languages={languages}
      />
      <LocalizedInputs
        legend={t('purposes.description')}
        multiline
        en={form.register('description.en')}
        zh={form.register('description.zh-Hant')}
        errors={{ en: errors['description.en'], zh: errors['description.zh-Hant'] }}
        languages={languages}
      />
      <div className="grid">
        <TextField
          label={t('purposes.tcfPurposes')}
          hint={t('purposes.numbersHint')}
          error={errors['tcf.purposes.0']}
          {...form.register('tcfPurposes')}
        />
        <TextField label={t('purposes.tcfSpecial')} hint={t('purposes.numbersHint')} {...form.register('tcfSpecial')} />
      </div>
      <FieldGroup legend={t('purposes.consentMode')}>
        <div className="grid">
          {CONSENT_MODE.map((signal) => (
            <CheckboxField key={signal} label={signal} value={signal} {...form.register('consentMode')} />
          ))}
        </div>
      </FieldGroup>
      <FindingsList findings={findings} />
      <EditorActions
        saving={save.isPending}
        saved={save.isSuccess || justSaved}
        error={save.error ?? remove.error}
        validationCount={Object.keys(errors).length}
        onDelete={confirmAndDelete(purpose?.id)}
      />
    </form>
  );
}
