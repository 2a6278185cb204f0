import { FieldGroup } from './form-controls.js';
import { CheckboxField } from './form-controls.js';

/** A set of checkboxes editing a list of ids (always a list, even with one option). */
export function CheckboxList({
  legend,
  options,
  value,
  onChange,
  empty,
  hint,
  error,
}: {
  readonly legend: string;
  /** Said under the legend: what ticking means. */
  readonly hint?: string;
  /** Why the current choice is refused, shown under the boxes. */
  readonly error?: string | undefined;
  readonly options: readonly { value: string; label: string }[];
  readonly value: readonly string[];
  readonly onChange: (next: string[]) => void;
  readonly empty?: string;
}) {
  return (
    <FieldGroup legend={legend}>
      {hint === undefined ? null : <p className="hint">{hint}</p>}
      {options.length === 0 && empty !== undefined ? <p className="muted">{empty}</p> : null}
      <div className="grid">
        {options.map((option) => (
          <CheckboxField
            key={option.value}
            label={option.label}
            checked={value.includes(option.value)}
            onChange={(event) =>
              onChange(event.target.checked ? [...value, option.value] : value.filter((item) => item !== option.value))
            }
          />
        ))}
      </div>
      {error === undefined ? null : (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </FieldGroup>
  );
}
