import type { UseFormRegisterReturn } from 'react-hook-form';
import { useI18n } from '../i18n/i18n.js';
import { FieldGroup, TextArea, TextField } from './form-controls.js';

/** One visitor-facing text in each of the site's languages (English, Traditional Chinese), side by side. */
export function LocalizedInputs({
  legend,
  en,
  zh,
  multiline = false,
  hint,
  errors = {},
  languages = ['en', 'zh-Hant'],
}: {
  readonly legend: string;
  readonly en: UseFormRegisterReturn;
  readonly zh: UseFormRegisterReturn;
  readonly multiline?: boolean;
  readonly hint?: string;
  readonly errors?: { readonly en?: string | undefined; readonly zh?: string | undefined };
  /** The site's languages: a language it does not write gets no input. */
  readonly languages?: readonly string[];
}) {
  const { t } = useI18n();
  const Control = multiline ? TextArea : TextField;
  return (
    <FieldGroup legend={legend}>
      {hint === undefined ? null : <p className="hint">{hint}</p>}
      <div className="pair">
        {languages.includes('en') ? (
          <Control label={`${legend} — ${t('common.en')}`} lang="en" error={errors.en} {...(en as object)} />
        ) : null}
        {languages.includes('zh-Hant') ? (
          <Control label={`${legend} — ${t('common.zhHant')}`} lang="zh-Hant" error={errors.zh} {...(zh as object)} />
        ) : null}
      </div>
    </FieldGroup>
  );
}
