import { describe, expect, it } from 'vitest';
import { caretAfterChange } from './fields.js';

describe('caretAfterChange', () => {
  it('keeps the caret at its place in the text when someone else types before, after or around it', () => {
    // "Laddplatser|" (caret at the end), someone types "Fler " at the start: the caret moves with the text.
    expect(caretAfterChange(11, 'Laddplatser', 'Fler Laddplatser')).toBe(16);
    // Caret after "Ladd", someone appends " i Boden": it stays.
    expect(caretAfterChange(4, 'Laddplatser', 'Laddplatser i Boden')).toBe(4);
    // Someone deletes "platser" while the caret is at the end.
    expect(caretAfterChange(11, 'Laddplatser', 'Ladd')).toBe(4);
    // The caret was inside a span someone replaced: it goes to the end of the replacement.
    expect(caretAfterChange(6, 'Laddplatser', 'Laddstolpe')).toBe(10);
    // Unchanged text: unchanged caret.
    expect(caretAfterChange(3, 'abc', 'abc')).toBe(3);
  });
});
