import type { ReactNode } from 'react';
import { Field } from './ui';

export interface SelectOption<V extends string = string> {
  value: V;
  label: ReactNode;
}

interface SelectFieldProps<V extends string> {
  label: ReactNode;
  value: V | '';
  options: readonly SelectOption<V>[];
  onChange(value: V | ''): void;
  /** A first choice with the empty value ("Tất cả" in filters, "—" in forms); none when absent. */
  emptyLabel?: ReactNode;
  disabled?: boolean | undefined;
  required?: boolean;
  error?: string | undefined;
  hint?: ReactNode;
  testId?: string | undefined;
}

/**
 * The one select of the UI: a labelled native <select> (keyboard, screen readers and phones
 * handle it best) over typed options, with the field's error wired to aria-describedby.
 */
export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
  emptyLabel,
  disabled,
  required,
  error,
  hint,
  testId,
}: SelectFieldProps<V>) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(id, describedBy) => (
        <select
          id={id}
          value={value}
          disabled={disabled}
          required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value as V | '')}
          data-testid={testId}
        >
          {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A select over the values of a shared zod enum (`TipCategorySchema.options`), labelled by
 * its translation table (`t.category`), so the choices are exactly what the API accepts.
 */
export function EnumSelect<V extends string>({
  values,
  labels,
  ...rest
}: Omit<SelectFieldProps<V>, 'options'> & { values: readonly V[]; labels: Record<V, ReactNode> }) {
  return <SelectField {...rest} options={values.map((value) => ({ value, label: labels[value] }))} />;
}
