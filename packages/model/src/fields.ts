import * as Y from 'yjs';

/**
 * Every field is its own entry of a Y.Map (never a whole-object replace), so concurrent edits
 * of different fields of the same item all survive. Sets of ids or numbers are Y.Maps keyed by
 * the member (concurrent adds merge); rich text is a Y.XmlFragment Tiptap binds to.
 */

export function readString(map: Y.Map<unknown>, key: string): string {
  const value = map.get(key);
  return typeof value === 'string' ? value : '';
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
