import * as Y from 'yjs';

/**
 * Every field is its own entry of a Y.Map (never a whole-object replace), so concurrent edits
 * of different fields of the same item all survive. Free text typed into a field (a measure's
 * title, a target's indicator, …) is a Y.Text, so two people typing in the same field at once
 * both keep what they typed; choices, dates and ids are plain values (the last one set wins,
 * as a choice should). Sets of ids or numbers are Y.Maps keyed by the member (concurrent adds
 * merge); rich text is a Y.XmlFragment Tiptap binds to.
 */

/**
 * A text field's value: a Y.Text's text, or a plain string (every field of schema version 1,
 * and the fields that stay plain values).
 */
export function readString(map: Y.Map<unknown>, key: string): string {
  const value = map.get(key);
  if (typeof value === 'string') return value;
  return value instanceof Y.Text ? value.toString() : '';
}

/**
 * The one span in which `after` differs from `before`: it starts at `start` in both, ends at
 * `endBefore` in `before` and at `endAfter` in `after`. It never splits a surrogate pair (a
 * character outside the Basic Multilingual Plane, such as most emoji, changes whole).
 */
export function changedSpan(before: string, after: string): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  if (endBefore < before.length && isLowSurrogate(before.charCodeAt(endBefore))) {
    endBefore++;
    endAfter++;
  }
  return { start, endBefore, endAfter };
}

/**
 * Applies the difference between two strings to a Y.Text as one delete and one insert (the
 * changed span), so what others typed elsewhere in the text at the same time is kept.
 * `before` must be what `text` holds now.
 */
export function applyTextDiff(text: Y.Text, before: string, after: string): void {
  const { start, endBefore, endAfter } = changedSpan(before, after);
  const change = (): void => {
    if (endBefore > start) text.delete(start, endBefore - start);
    if (endAfter > start) text.insert(start, after.slice(start, endAfter));
  };
  if (text.doc) text.doc.transact(change);
  else change();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Writes a free-text field as a Y.Text, changing only the span that differs (see
 * {@link applyTextDiff}). A field that still holds a plain string (written by schema version
 * 1) becomes a Y.Text at its first change; nothing is written when the text is unchanged.
 */
export function writeText(map: Y.Map<unknown>, key: string, value: string): void {
  const existing = map.get(key);
  if (existing instanceof Y.Text) {
    const before = existing.toString();
    if (before !== value) applyTextDiff(existing, before, value);
    return;
  }
  if (readString(map, key) === value) return;
  map.set(key, new Y.Text(value));
}

/**
 * The Y.Text of a free-text field, or null while it is still a plain string (schema version 1)
 * or absent. Reading never creates it. For editors that keep a caret as a position in the text.
 */
export function textIn(map: Y.Map<unknown>, key: string): Y.Text | null {
  const value = map.get(key);
  return value instanceof Y.Text ? value : null;
}

/**
 * Writes one field of an item: a free-text field (one of `textKeys`, given a string) with
 * {@link writeText}, any other with {@link writeField}.
 */
export function writeItemField(map: Y.Map<unknown>, textKeys: readonly string[], key: string, value: string | number | boolean | null): void {
  if (typeof value === 'string' && textKeys.includes(key)) writeText(map, key, value);
  else writeField(map, key, value);
}

/**
 * Creates the Y.Texts of a new item's free-text fields, empty, with the item: created at first
 * typing instead, two people starting to type in the same empty field at once would each
 * create one, and one of them (with what was typed into it) would be replaced. For a new item
 * only (it replaces what the keys hold).
 */
export function createTexts(map: Y.Map<unknown>, keys: readonly string[]): void {
  for (const key of keys) map.set(key, new Y.Text());
}

export function readNumber(map: Y.Map<unknown>, key: string): number | null {
  const value = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function readBoolean(map: Y.Map<unknown>, key: string): boolean {
  return map.get(key) === true;
}

/** Sets a field only when it changes (no needless updates), deleting it for null. */
export function writeField(map: Y.Map<unknown>, key: string, value: string | number | boolean | null): void {
  if (value === null) {
    if (map.has(key)) map.delete(key);
    return;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`${key} must be a finite number`);
  if (map.get(key) !== value) map.set(key, value);
}

/** A nested shared type, created on first use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types' event parameter is invariant
export function nested<T extends Y.AbstractType<any>>(map: Y.Map<unknown>, key: string, create: () => T): T {
  const existing = map.get(key);
  if (existing instanceof Y.AbstractType) return existing as T;
  const created = create();
  map.set(key, created);
  return created;
}

/**
 * Plain text of a nested rich-text fragment, '' when it does not exist yet. Reading never
 * creates it: a server that only reads (search, export) must not change the document.
 */
export function nestedFragmentText(map: Y.Map<unknown>, key: string): string {
  const existing = map.get(key);
  return existing instanceof Y.XmlFragment ? fragmentText(existing) : '';
}

/** A set stored as a Y.Map of member → true. */
export function readSet(map: Y.Map<unknown>, key: string): string[] {
  const set = map.get(key);
  return set instanceof Y.Map ? [...(set as Y.Map<unknown>).keys()].sort() : [];
}

export function writeSet(map: Y.Map<unknown>, key: string, members: readonly string[]): void {
  const set = nested(map, key, () => new Y.Map<unknown>());
  const wanted = new Set(members);
  for (const member of [...set.keys()]) if (!wanted.has(member)) set.delete(member);
  for (const member of wanted) if (!set.has(member)) set.set(member, true);
}

/** Plain text of a rich-text fragment (for search, catalogue and export). */
export function fragmentText(fragment: Y.XmlFragment): string {
  const parts: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment): void => {
    if (node instanceof Y.XmlText) {
      for (const delta of node.toDelta() as { insert?: unknown }[]) if (typeof delta.insert === 'string') parts.push(delta.insert);
      return;
    }
    if (node instanceof Y.XmlHook) return;
    const children = node.toArray();
    children.forEach((child) => walk(child));
    if (node instanceof Y.XmlElement) parts.push('\n');
  };
  walk(fragment);
  return parts.join('').replace(/\n+/g, '\n').trim();
}

/** Replaces a fragment's content with plain paragraphs (templates, server-side changes). */
export function setParagraphs(fragment: Y.XmlFragment, paragraphs: readonly string[]): void {
  if (fragment.length > 0) fragment.delete(0, fragment.length);
  fragment.insert(
    0,
    paragraphs.map((text) => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      return paragraph;
    }),
  );
}
