import { changedSpan } from '@samverkan/model';
import { type RefObject, useId, useLayoutEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
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

/** A selection kept as positions in the shared text (exact), or in the field's string. */
type KeptSelection = { start: Y.RelativePosition; end: Y.RelativePosition; doc: Y.Doc } | { start: number; end: number; value: string };

/**
 * Keeps a text field's caret and selection at their place in the text when a change from
 * elsewhere re-renders the field (React writes the new text into it, which puts the browser's
 * caret at the end). With the field's Y.Text the place is a Yjs relative position, exact
 * whatever changed around it; without one (a field still holding a version-1 string) it is
 * mapped through the changed span ({@link caretAfterChange}). `remember` goes to the field's
 * change, select and focus events, `forget` to its blur.
 */
export function useKeptSelection(field: RefObject<HTMLInputElement | HTMLTextAreaElement | null>, text: Y.Text | null): { remember: () => void; forget: () => void } {
  const kept = useRef<KeptSelection | null>(null);
  // The text of the latest render (a field's first change turns a plain string into a Y.Text).
  const shared = useRef(text);
  shared.current = text;
  useLayoutEffect(() => {
    const element = field.current;
    const selection = kept.current;
    if (!element || !selection || document.activeElement !== element) return;
    let start: number | undefined;
    let end: number | undefined;
    if ('doc' in selection) {
      start = Y.createAbsolutePositionFromRelativePosition(selection.start, selection.doc)?.index;
      end = Y.createAbsolutePositionFromRelativePosition(selection.end, selection.doc)?.index;
    } else if (selection.value !== element.value) {
      start = caretAfterChange(selection.start, selection.value, element.value);
      end = caretAfterChange(selection.end, selection.value, element.value);
      kept.current = { start, end, value: element.value };
    }
    if (start === undefined || end === undefined) return;
    if (element.selectionStart !== start || element.selectionEnd !== end) element.setSelectionRange(start, end);
  });
  return {
    remember: () => {
      const element = field.current;
      if (!element || element.selectionStart === null || element.selectionEnd === null) return;
      const current = shared.current;
      kept.current =
        current?.doc && current.toString() === element.value
          ? {
              start: Y.createRelativePositionFromTypeIndex(current, element.selectionStart),
              end: Y.createRelativePositionFromTypeIndex(current, element.selectionEnd),
              doc: current.doc,
            }
          : { start: element.selectionStart, end: element.selectionEnd, value: element.value };
    },
    forget: () => {
      kept.current = null;
    },
  };
}

/** A model item with free-text fields `K` (a measure, a target, a pilot log). */
interface TextItem<K extends string> {
  text(key: K): Y.Text | null;
  update(changes: Partial<Record<K, string>>): void;
}

/**
 * The props that bind a {@link TextField} to the free-text field `key` of a model item: its
 * value (from the item's `fields`, read once per render by the caller), its Y.Text, and the
 * write of a change.
 */
export function boundText<K extends string>(item: TextItem<K>, fields: Record<K, string>, key: K): { value: string; text: Y.Text | null; onChange: (value: string) => void } {
  return { value: fields[key], text: item.text(key), onChange: (value) => item.update({ [key]: value } as Partial<Record<K, string>>) };
}

/**
 * A text field. When someone else's typing changes the value while the field has the focus,
 * the caret and selection stay at their place in the text ({@link useKeptSelection}; `text` is
 * the field's Y.Text when it has one), so typing goes on where it was.
 */
export function TextField({
  label,
  value,
  onChange,
  readOnly,
  type = 'text',
  wide = false,
  text = null,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  type?: 'text' | 'date';
  wide?: boolean;
  text?: Y.Text | null;
}) {
  const input = useRef<HTMLInputElement>(null);
  const selection = useKeptSelection(input, text);
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
          selection.remember();
        }}
        onSelect={selection.remember}
        onFocus={selection.remember}
        onBlur={selection.forget}
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
