import { generateKeyBetween } from 'fractional-indexing';
import * as Y from 'yjs';

/**
 * Ordered lists in documents are maps keyed by id whose items carry a fractional `order` key
 * (`fractional-indexing`). Moving an item rewrites only its own `order`, so two people moving
 * the same item at once leave exactly one copy (the last write wins), and a move concurrent with
 * a delete leaves no ghost (the item's map is gone with its key).
 */
export const ORDER_KEY = 'order';

/** An item of an ordered map with its id. */
export interface OrderedEntry<T> {
  id: string;
  order: string;
  item: T;
}

/**
 * Items sorted by order key, ties broken by id, so every replica lists them in the same order even
 * when two concurrent inserts or moves produced the same key. A value that is not a map (written
 * by a client that does not follow the model) is not an item: it is left out, not an error.
 */
export function orderedEntries(map: Y.Map<Y.Map<unknown>>): OrderedEntry<Y.Map<unknown>>[] {
  const entries: OrderedEntry<Y.Map<unknown>>[] = [];
  map.forEach((value: unknown, id) => {
    const item = asItem(value);
    if (!item) return;
    const order: unknown = item.get(ORDER_KEY);
    entries.push({ id, order: typeof order === 'string' ? order : '', item });
  });
  return entries.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A list's value as an item: only a map is one (see {@link orderedEntries}). */
const asItem = (value: unknown): Y.Map<unknown> | null => (value instanceof Y.Map ? (value as Y.Map<unknown>) : null);

/** The item `id` of an ordered map, or null when there is none (or its value is not a map). */
export function orderedItem(map: Y.Map<Y.Map<unknown>>, id: string): Y.Map<unknown> | null {
  return asItem(map.get(id));
}

/** Moves item `id` of an ordered map to `placement` (rewrites only its order key); no such item: nothing. */
export function moveOrderedItem(map: Y.Map<Y.Map<unknown>>, id: string, placement: Placement): void {
  orderedItem(map, id)?.set(ORDER_KEY, orderKeyFor(orderedEntries(map), placement, id));
}

/** Where to put an item: at the end (default), or directly before or after another item. */
export type Placement = { before: string } | { after: string } | 'start' | 'end';

/** Whether `fractional-indexing` accepts `key` as a neighbour (it throws on keys it did not make). */
function isUsableOrderKey(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

/**
 * The order key for a new position among `entries` (which must be sorted). Items whose key
 * `fractional-indexing` would refuse (written by a client that does not follow the model) are
 * not used as neighbours, so adding or moving next to them still works. Only the keys next to
 * the position are checked.
 */
export function orderKeyFor(entries: readonly OrderedEntry<unknown>[], placement: Placement = 'end', movingId?: string): string {
  const others = entries.filter((entry) => entry.id !== movingId);
  /** The usable key nearest to `index`, going in `step`'s direction; null past either end. */
  const keyFrom = (index: number, step: 1 | -1): string | null => {
    for (let at = index; at >= 0 && at < others.length; at += step) {
      const order = (others[at] as OrderedEntry<unknown>).order;
      if (order !== '' && isUsableOrderKey(order)) return order;
    }
    return null;
  };
  if (placement === 'start') return generateKeyBetween(null, keyFrom(0, 1));
  const last = () => generateKeyBetween(keyFrom(others.length - 1, -1), null);
  if (placement === 'end') return last();
  const targetId = 'before' in placement ? placement.before : placement.after;
  const index = others.findIndex((entry) => entry.id === targetId);
  if (index < 0) return last();
  const [lowIndex, highIndex] = 'before' in placement ? [index - 1, index] : [index, index + 1];
  const low = keyFrom(lowIndex, -1);
  const high = keyFrom(highIndex, 1);
  // Equal neighbouring keys (a past tie) leave no room between them: go just above the lower one.
  if (low !== null && high !== null && low >= high) return generateKeyBetween(low, null);
  return generateKeyBetween(low, high);
}
