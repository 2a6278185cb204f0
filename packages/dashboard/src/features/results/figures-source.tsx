import type { FiguresSource } from '../../api/endpoints.js';
import { useI18n } from '../../i18n/i18n.js';
import { SelectField } from '../../ui/form-controls.js';
import { DemoDataBadge } from '../../ui/demo-data-badge.js';

/**
 * Whose figures a screen shows: real visitors' by default, or the demo's generated ones when the site
 * has them. The two are never added together, and the demo ones always carry the "Demo data" badge.
 */
export function FiguresSourcePicker({
  site,
  value,
  demoAvailable,
  onChange,
}: {
  readonly site: string;
  readonly value: FiguresSource;
  readonly demoAvailable: boolean;
  readonly onChange: (next: FiguresSource) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {demoAvailable ? (
        <SelectField
          label={t('results.figures')}
          name="figures"
          value={value}
          onChange={(event) => onChange(event.target.value === 'demo' ? 'demo' : 'real')}
          options={[
            { value: 'real', label: t('results.figures.real') },
            { value: 'demo', label: t('results.figures.demo') },
          ]}
        />
      ) : null}
      <DemoDataBadge site={site} demoData={value === 'demo'} />
    </>
  );
}
