import type { FieldDraft } from '@candor/schema';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages-en.js';
import { SelectField, TextField } from '../../ui/form-controls.js';
import {
  defaultValue,
  operandText,
  OPERATORS_BY_TYPE,
  parseOperand,
  takesList,
  type FieldType,
  type Operator,
  type Rule,
  type RuleGroup,
} from './condition-model.js';

/** The visual builder: a field picker, the operators that fit its type, and a typed operand. */
export function ConditionBuilder({
  group,
  fields,
  onChange,
}: {
  readonly group: RuleGroup;
  readonly fields: readonly FieldDraft[];
  readonly onChange: (group: RuleGroup) => void;
}) {
  const { t } = useI18n();
  const typeOf = (key: string): FieldType => fields.find((field) => field.key === key)?.type ?? 'string';
  const update = (index: number, rule: Rule) =>
    onChange({ ...group, rules: group.rules.map((current, at) => (at === index ? rule : current)) });
  const add = () => {
    const first = fields[0];
    if (first === undefined) return;
    const operator = OPERATORS_BY_TYPE[first.type][0] ?? '$eq';
    onChange({
      ...group,
      rules: [...group.rules, { field: first.key, operator, value: defaultValue(first.type, operator) }],
    });
  };
  return (
    <div className="stack" data-testid="condition-builder">
      <SelectField
        label={t('audiences.combinator')}
        value={group.combinator}
        onChange={(event) => onChange({ ...group, combinator: event.target.value === 'or' ? 'or' : 'and' })}
        options={[
          { value: 'and', label: t('audiences.and') },
          { value: 'or', label: t('audiences.or') },
        ]}
      />
      {group.rules.length === 0 ? <p className="muted">{t('audiences.everyone')}</p> : null}
      {group.rules.map((rule, index) => {
        const type = typeOf(rule.field);
        const field = fields.find((candidate) => candidate.key === rule.field);
        const fieldKeys = fields.map((candidate) => candidate.key);
        const n = index + 1;
        return (
          <fieldset key={index} className="group">
            <legend>{t('audiences.rule', { n })}</legend>
            <div className="row">
              <SelectField
                label={`${t('audiences.field')} ${n}`}
                value={rule.field}
                options={(fieldKeys.includes(rule.field) ? fieldKeys : [rule.field, ...fieldKeys]).map((key) => ({
                  value: key,
                  label: `${fields.find((candidate) => candidate.key === key)?.label.en ?? key} (${key})`,
                }))}
                onChange={(event) => {
                  const nextType = typeOf(event.target.value);
                  const operator = OPERATORS_BY_TYPE[nextType].includes(rule.operator)
                    ? rule.operator
                    : (OPERATORS_BY_TYPE[nextType][0] ?? '$eq');
                  update(index, { field: event.target.value, operator, value: defaultValue(nextType, operator) });
                }}
              />
              <SelectField
                label={`${t('audiences.operator')} ${n}`}
                value={rule.operator}
                options={OPERATORS_BY_TYPE[type].map((operator) => ({
                  value: operator,
                  label: t(`op.${operator}` as MessageKey),
                }))}
                onChange={(event) => {
                  const operator = event.target.value as Operator;
                  update(index, { ...rule, operator, value: defaultValue(type, operator) });
                }}
              />
              <Operand
                rule={rule}
                type={type}
                options={field?.options?.map((option) => ({ value: option.value, label: option.label.en })) ?? []}
                n={n}
                onChange={(value) => update(index, { ...rule, value })}
              />
              <button
                type="button"
                onClick={() => onChange({ ...group, rules: group.rules.filter((_, at) => at !== index) })}
              >
                {t('common.remove')}
                <span className="visually-hidden"> {t('audiences.rule', { n })}</span>
              </button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <button type="button" onClick={add} disabled={fields.length === 0}>
          {t('audiences.addRule')}
        </button>
      </div>
    </div>
  );
}

function Operand({
  rule,
  type,
  options,
  n,
  onChange,
}: {
  readonly rule: Rule;
  readonly type: FieldType;
  readonly options: readonly { value: string; label: string }[];
  readonly n: number;
  readonly onChange: (value: unknown) => void;
}) {
  const { t } = useI18n();
  const label = `${t('audiences.value')} ${n}`;
  if (rule.operator === '$exists' || (type === 'boolean' && rule.operator === '$eq')) {
    return (
      <SelectField
        label={label}
        value={String(rule.value)}
        onChange={(event) => onChange(event.target.value === 'true')}
        options={[
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ]}
      />
    );
  }
  if (options.length > 0 && (rule.operator === '$eq' || rule.operator === '$ne')) {
    return (
      <SelectField
        label={label}
        value={String(rule.value)}
        onChange={(event) => onChange(event.target.value)}
        options={[
          { value: '', label: t('common.select') },
          ...options.map((option) => ({ value: option.value, label: `${option.label} (${option.value})` })),
        ]}
      />
    );
  }
  return (
    <TextField
      label={label}
      type={type === 'number' && !takesList(rule.operator) ? 'number' : 'text'}
      defaultValue={operandText(rule.value)}
      hint={takesList(rule.operator) ? options.map((option) => option.value).join(', ') || undefined : undefined}
      onBlur={(event) => onChange(parseOperand(type, rule.operator, event.target.value))}
      onChange={(event) => onChange(parseOperand(type, rule.operator, event.target.value))}
    />
  );
}
