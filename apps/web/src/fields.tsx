import { changedSpan } from '@samverkan/model';
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { useT } from './i18n/index.js';

/** Form fields bound to a document value: each change is written at once (and seen live by everyone). */

/**
 * Where a caret at `position` in `before` belongs in `after`, when `after` is `before` with one
 * span replaced (someone else's typing): before the span it stays, after it it moves by the
 * change in length, inside a removed span it goes to the end of what replaced it.
 */
export function caretAfterChange(position: number, before: string, after: string): number {
  const { start, endBefore, endAfter } = changedSpan(before, after);
  if (position <= start) return position;
  if (position >= endBefore) return position + after.length - before.length;
  return endAfter;
}

/**
 * A text field. When someone else's typing changes the value while the field has the focus,
 * React writes the new text into it (which puts the browser's caret at the end): the caret and
 * selection are put back at the same place in the text, so typing goes on where it was.
 */
export function TextField({ label, value, onChange, readOnly, type = 'text', wide = false }: { label: string; value: string; onChange: (value: string) => void; readOnly: boolean; type?: 'text' | 'date'; wide?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  // The selection as the user left it, and the text it was in (date fields have none).
  const caret = useRef<{ start: number; end: number; text: string } | null>(null);
  const remember = (): void => {
    const field = input.current;
    if (field && field.selectionStart !== null && field.selectionEnd !== null) caret.current = { start: field.selectionStart, end: field.selectionEnd, text: field.value };
  };
  useLayoutEffect(() => {
    const field = input.current;
    const kept = caret.current;
    if (!field || !kept || document.activeElement !== field || kept.text === field.value) return;
    const start = caretAfterChange(kept.start, kept.text, field.value);
    const end = caretAfterChange(kept.end, kept.text, field.value);
    field.setSelectionRange(start, end);
    caret.current = { start, end, text: field.value };
  });
  return (
    <label className={wide ? 'wide' : undefined}>
      {label}
      <input
        ref={input}
        type={type}
        value={value}
        readOnly={readOnly}
        onChange={(event) => {
          onChange(event.target.value);
          remember();
        }}
        onSelect={remember}
        onFocus={remember}
        onBlur={() => (caret.current = null)}
        data-user-content=""
      />
    </label>
  );
}

/**
 * What a typed number means: a number, null for an empty field, or undefined when it is not a
 * number (yet): "12,5" and "12.5" are both 12.5, whatever the browser's language; spaces
 * (thousands separators) are ignored.
 */
export function parseNumber(text: string, integer: boolean): number | null | undefined {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.').replace('\u2212', '-');
  if (compact === '') return null;
  if (!(integer ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/).test(compact)) return undefined;
  const parsed = Number(compact);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * A number (empty = not given). A text field, not `type="number"`: browsers other than a Swedish
 * one read "12,5" there as nothing, which deleted the stored value. Each valid change is written
 * at once; what is typed stays as typed while the field has focus (also when it is not a
 * number yet: then it says so, and the stored value is left as it was).
 */
export function NumberField({
  label,
  value,
  onChange,
  readOnly,
  integer = false,
  focusKey,
}: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  readOnly: boolean;
  integer?: boolean;
  /** `data-focus-key` of the input (see `focusSoon`). */
  focusKey?: string;
}) {
  const { t, locale } = useT();
  const errorId = useId();
  // What the user is typing (null: show the stored value, formatted).
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null ? '' : locale === 'sv' ? String(value).replace('.', ',') : String(value));
  const invalid = draft !== null && parseNumber(draft, integer) === undefined;
  return (
    <label>
      {label}
      <input
        type="text"
        inputMode={integer ? 'numeric' : 'decimal'}
        value={shown}
        readOnly={readOnly}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        onChange={(event) => {
          setDraft(event.target.value);
          const parsed = parseNumber(event.target.value, integer);
          if (parsed !== undefined && parsed !== value) onChange(parsed);
        }}
        onBlur={() => {
          if (!invalid) setDraft(null);
        }}
        data-user-content=""
        data-focus-key={focusKey}
      />
      {invalid && (
        <span id={errorId} role="alert" className="field-error">
          {integer ? t('integerInvalid') : t('numberInvalid')}
        </span>
      )}
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
