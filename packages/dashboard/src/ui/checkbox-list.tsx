import { FieldGroup } from './form-controls.js';
import { CheckboxField } from './form-controls.js';

/** A set of checkboxes editing a list of ids (always a list, even with one option). */
export function CheckboxList({
  legend,
  options,
  value,
  onChange,
  empty,
}: {
  readonly legend: string;
  readonly options: readonly { value: string; label: string }[];
  readonly value: readonly string[];
  readonly onChange: (next: string[]) => void;
  readonly empty?: string;
}) {
  return (
    <FieldGroup legend={legend}>
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
    </FieldGroup>
  );
}
