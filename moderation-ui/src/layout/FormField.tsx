import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './ui';

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-invalid' | 'aria-describedby'
>;

/**
 * A labelled text input with its hint and validation message: the input gets the label's id,
 * aria-invalid while there is an error and aria-describedby pointing at the hint and the error.
 */
export function FormField({
  label,
  hint,
  error,
  value,
  onChange,
  ...input
}: InputProps & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id, describedBy) => (
        <input
          id={id}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
          {...input}
        />
      )}
    </Field>
  );
}
