import { useId } from 'react';

/** Form fields bound to a document value: each change is written at once (and seen live by everyone). */

export function TextField({ label, value, onChange, readOnly, type = 'text', wide = false }: { label: string; value: string; onChange: (value: string) => void; readOnly: boolean; type?: 'text' | 'date'; wide?: boolean }) {
  return (
    <label className={wide ? 'wide' : undefined}>
      {label}
      <input type={type} value={value} readOnly={readOnly} onChange={(event) => onChange(event.target.value)} data-user-content="" />
    </label>
  );
}

/** A number (empty = not given); Swedish decimal commas are accepted. */
export function NumberField({ label, value, onChange, readOnly, integer = false }: { label: string; value: number | null; onChange: (value: number | null) => void; readOnly: boolean; integer?: boolean }) {
  return (
    <label>
      {label}
      <input
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        step={integer ? 1 : 'any'}
        value={value ?? ''}
        readOnly={readOnly}
        onChange={(event) => {
          const text = event.target.value.replace(',', '.').trim();
          const parsed = text === '' ? null : Number(text);
          if (parsed === null || Number.isFinite(parsed)) onChange(parsed);
        }}
        data-user-content=""
      />
    </label>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  readOnly,
  empty,
}: {
  label: string;
  value: T | '';
  options: { value: T; label: string; user?: boolean }[];
  onChange: (value: T | '') => void;
  readOnly: boolean;
  /** Text of the "none chosen" option; without it a value must be chosen. */
  empty?: string;
}) {
  return (
    <label>
      {label}
      <select value={value} disabled={readOnly} onChange={(event) => onChange(event.target.value as T | '')}>
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value} data-user-content={option.user ? '' : undefined}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A group of checkboxes (several may be chosen). */
export function CheckboxGroup({ legend, options, chosen, onChange, readOnly }: { legend: string; options: { value: string; label: string; user?: boolean }[]; chosen: readonly string[]; onChange: (chosen: string[]) => void; readOnly: boolean }) {
  const id = useId();
  return (
    <fieldset className="checkbox-group">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="checkbox" htmlFor={`${id}-${option.value}`}>
          <input
            id={`${id}-${option.value}`}
            type="checkbox"
            checked={chosen.includes(option.value)}
            disabled={readOnly}
            onChange={(event) => onChange(event.target.checked ? [...chosen, option.value] : chosen.filter((value) => value !== option.value))}
          />
          <span data-user-content={option.user ? '' : undefined}>{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
