import { generateKeyBetween } from 'fractional-indexing';
import type * as Y from 'yjs';

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
 * when two concurrent inserts or moves produced the same key.
 */
export function orderedEntries(map: Y.Map<Y.Map<unknown>>): OrderedEntry<Y.Map<unknown>>[] {
  const entries: OrderedEntry<Y.Map<unknown>>[] = [];
  map.forEach((item, id) => {
    const order = item.get(ORDER_KEY);
    entries.push({ id, order: typeof order === 'string' ? order : '', item });
  });
  return entries.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Where to put an item: at the end (default), or directly before or after another item. */
export type Placement = { before: string } | { after: string } | 'start' | 'end';

/** The order key for a new position among `entries` (which must be sorted). */
export function orderKeyFor(entries: readonly OrderedEntry<unknown>[], placement: Placement = 'end', movingId?: string): string {
  const others = entries.filter((entry) => entry.id !== movingId);
  if (placement === 'start') return generateKeyBetween(null, others[0]?.order || null);
  if (placement === 'end') return generateKeyBetween(others.at(-1)?.order || null, null);
  const targetId = 'before' in placement ? placement.before : placement.after;
  const index = others.findIndex((entry) => entry.id === targetId);
  if (index < 0) return generateKeyBetween(others.at(-1)?.order || null, null);
  const [lower, upper] = 'before' in placement ? [others[index - 1], others[index]] : [others[index], others[index + 1]];
  const low = lower?.order || null;
  const high = upper?.order || null;
  // Equal neighbouring keys (a past tie) leave no room between them: go just above the lower one.
  if (low !== null && high !== null && low >= high) return generateKeyBetween(low, null);
  return generateKeyBetween(low, high);
}
