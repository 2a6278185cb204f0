import type { UseFormRegisterReturn } from 'react-hook-form';
import { useI18n } from '../i18n/i18n.js';
import { FieldGroup, SelectField, TextField } from './form-controls.js';

/** As many page patterns as the draft schema accepts for an experience or a placed question. */
const MAX_PAGE_PATTERNS = 20;

/**
 * The "which pages" list an experience and a placed question share: rows of a pattern kind (path or
 * regex) and a pattern, each removable, with the form's validation error beside its pattern. No rows
 * means every page.
 */
export function PagePatternsField({
  legend,
  hint,
  rows,
  errors,
  onAdd,
  onRemove,
  registerType,
  registerPattern,
}: {
  readonly legend: string;
  readonly hint: string;
  readonly rows: readonly { readonly id: string }[];
  /** Validation errors by form path (`pages.<n>.pattern`). */
  readonly errors: Readonly<Record<string, string>>;
  readonly onAdd: () => void;
  readonly onRemove: (index: number) => void;
  readonly registerType: (index: number) => UseFormRegisterReturn;
  readonly registerPattern: (index: number) => UseFormRegisterReturn;
}) {
  const { t } = useI18n();
  return (
    <FieldGroup legend={legend}>
      <p className="hint">{hint}</p>
      {rows.map((row, index) => (
        <div key={row.id} className="row">
          <SelectField
            label={`${t('placements.pageType')} ${index + 1}`}
            options={[
              { value: 'path', label: t('placements.pageType.path') },
              { value: 'regex', label: t('placements.pageType.regex') },
            ]}
            {...registerType(index)}
          />
          <TextField
            label={`${t('placements.pattern')} ${index + 1}`}
            error={errors[`pages.${index}.pattern`]}
            {...registerPattern(index)}
          />
          <button type="button" onClick={() => onRemove(index)}>
            {t('common.remove')}
            <span className="visually-hidden"> {index + 1}</span>
          </button>
        </div>
      ))}
      <button type="button" disabled={rows.length >= MAX_PAGE_PATTERNS} onClick={onAdd}>
        {t('placements.addPage')}
      </button>
    </FieldGroup>
  );
}
