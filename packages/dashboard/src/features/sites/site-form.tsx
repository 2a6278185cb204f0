import { Language, SiteSettingsInput, type SiteCreateInput } from '@candor/schema';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { CheckboxField, FieldGroup, SelectField, TextArea, TextField } from '../../ui/form-controls.js';
import { CONSENT_SOURCE_NAMES, readConsentSource, showConsentMap } from './consent-source-input.js';
import { readQuestionLimits, showQuestionLimits } from './question-limits-input.js';

/** Reads the site form into settings, validated by the schema the server uses. */
function readSettings(data: FormData) {
  const consentSource = readConsentSource(
    String(data.get('consentSourceName') ?? ''),
    String(data.get('consentSourceMap') ?? ''),
  );
  const privacyPageUrl = String(data.get('privacyPageUrl') ?? '').trim();
  return SiteSettingsInput.safeParse({
    name: String(data.get('name') ?? ''),
    defaultLanguage: String(data.get('defaultLanguage') ?? 'en'),
    // The default language is always one of the site's (schema's siteLanguages adds it).
    languages: Language.options.filter((language) => data.get(`language-${language}`) === 'on'),
    policyVersion: String(data.get('policyVersion') ?? ''),
    ...(privacyPageUrl === '' ? {} : { privacyPageUrl }),
    explainDefaults: data.get('explainDefaults') === 'on',
    allowedOrigins: String(data.get('allowedOrigins') ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    ledgerRetentionDays: Number(data.get('ledgerRetentionDays')),
    banditApproval: data.get('banditApproval') === 'on' ? 'owner' : 'automatic',
    questionLimits: readQuestionLimits({
      perPage: String(data.get('questionsPerPage') ?? ''),
      perVisit: String(data.get('questionsPerVisit') ?? ''),
    }),
    ...(consentSource ? { consentSource } : {}),
  });
}

/** Site settings (and the site key when creating); errors appear beside the field they concern. */
export function SiteForm({
  initial,
  withKey,
  submitLabel,
  onSubmit,
}: {
  readonly initial: Partial<SiteCreateInput>;
  readonly withKey: boolean;
  readonly submitLabel: string;
  readonly onSubmit: (settings: SiteSettingsInput, siteKey: string) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const limits = showQuestionLimits(initial.questionLimits);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = readSettings(data);
    if (!parsed.success) {
      // Question limits are two inputs under one setting: each keeps its own error.
      const key = (path: readonly PropertyKey[]) => path.slice(0, path[0] === 'questionLimits' ? 2 : 1).join('.');
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [key(issue.path), issue.message])));
      return;
    }
    setErrors({});
    void onSubmit(parsed.data, String(data.get('siteKey') ?? ''));
  };
  return (
    <form onSubmit={submit} className="stack" noValidate>
      {withKey ? (
        <TextField
          label={t('sites.siteKey')}
          name="siteKey"
          hint={t('sites.siteKeyHint')}
          required
          defaultValue={initial.siteKey ?? ''}
        />
      ) : null}
      <TextField
        label={t('sites.name')}
        name="name"
        required
        defaultValue={initial.name ?? ''}
        error={errors['name']}
      />
      <SelectField
        label={t('sites.defaultLanguage')}
        name="defaultLanguage"
        defaultValue={initial.defaultLanguage ?? 'en'}
        options={[
          { value: 'en', label: 'English' },
          { value: 'zh-Hant', label: '繁體中文' },
        ]}
      />
      <FieldGroup legend={t('sites.languages')}>
        <p className="hint">{t('sites.languagesHint')}</p>
        <CheckboxField label="English" name="language-en" defaultChecked={initial.languages?.includes('en') ?? true} />
        <CheckboxField
          label="繁體中文"
          name="language-zh-Hant"
          defaultChecked={initial.languages?.includes('zh-Hant') ?? true}
        />
      </FieldGroup>
      <TextField
        label={t('sites.policyVersion')}
        name="policyVersion"
        defaultValue={initial.policyVersion ?? '1'}
        error={errors['policyVersion']}
      />
      <TextField
        label={t('sites.privacyPageUrl')}
        name="privacyPageUrl"
        type="url"
        defaultValue={initial.privacyPageUrl ?? ''}
        error={errors['privacyPageUrl']}
      />
      <CheckboxField
        label={t('sites.explainDefaults')}
        name="explainDefaults"
        defaultChecked={initial.explainDefaults ?? true}
      />
      <CheckboxField
        label={t('sites.banditApproval')}
        name="banditApproval"
        defaultChecked={initial.banditApproval === 'owner'}
      />
      <TextArea
        label={t('sites.allowedOrigins')}
        name="allowedOrigins"
        hint={t('sites.allowedOriginsHint')}
        rows={3}
        defaultValue={(initial.allowedOrigins ?? []).join('\n')}
        error={errors['allowedOrigins']}
      />
      <SelectField
        label={t('sites.consentSource')}
        name="consentSourceName"
        hint={t('sites.consentSourceHint')}
        defaultValue={initial.consentSource?.name ?? ''}
        options={[
          { value: '', label: t('sites.consentSourceNone') },
          ...CONSENT_SOURCE_NAMES.map((name) => ({ value: name, label: t(`sites.consentSource.${name}`) })),
        ]}
      />
      <TextArea
        label={t('sites.consentSourceMap')}
        name="consentSourceMap"
        hint={t('sites.consentSourceMapHint')}
        rows={2}
        defaultValue={showConsentMap(initial.consentSource?.map)}
        error={errors['consentSource']}
      />
      <TextField
        label={t('sites.ledgerRetentionDays')}
        name="ledgerRetentionDays"
        type="number"
        min={30}
        max={3650}
        defaultValue={initial.ledgerRetentionDays ?? 1095}
        error={errors['ledgerRetentionDays']}
      />
      <FieldGroup legend={t('sites.questionLimits')}>
        <p className="hint">{t('sites.questionLimitsHint')}</p>
        <div className="grid">
          <TextField
            label={t('sites.questionsPerPage')}
            name="questionsPerPage"
            type="number"
            min={0}
            max={3}
            step={1}
            hint={t('sites.questionsPerPageHint')}
            defaultValue={limits.perPage}
            error={errors['questionLimits.perPage']}
          />
          <TextField
            label={t('sites.questionsPerVisit')}
            name="questionsPerVisit"
            type="number"
            min={0}
            max={10}
            step={1}
            hint={t('sites.questionsPerVisitHint')}
            defaultValue={limits.perVisit}
            error={errors['questionLimits.perVisit']}
          />
        </div>
      </FieldGroup>
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </form>
  );
}
