import type { JournalAppend } from './UpdateJournal.js';

/** One `appendUpdates` call waiting for the next group commit. */
export interface AppendItem {
  documentId: string;
  updates: Uint8Array[];
}

/** An append batch grouped for the journal: one record per document. */
export interface GroupedBatch {
  /** Each document's updates, in submit order; documents in order of their first item. */
  documents: JournalAppend[];
  /** Index into `documents` of each submitted item (to hand every item its record's seq). */
  documentOfItem: number[];
}

/**
 * Groups a batch of appends by document, in submit order within each document, so the journal
 * writes one record per document and commit. The updates are not copied here: the journal
 * copies them into the one buffer it writes (an update received from a socket is a view into a
 * larger read buffer, which must not be kept).
 */
export function groupAppendItems(items: readonly AppendItem[]): GroupedBatch {
  const byDocument = new Map<string, { index: number; updates: Uint8Array[] }>();
  const documentOfItem: number[] = [];
  const documents: JournalAppend[] = [];
  for (const item of items) {
    let group = byDocument.get(item.documentId);
    if (!group) {
      group = { index: documents.length, updates: [] };
      byDocument.set(item.documentId, group);
      documents.push({ documentId: item.documentId, updates: group.updates });
    }
    for (const update of item.updates) group.updates.push(update);
    documentOfItem.push(group.index);
  }
  return { documents, documentOfItem };
}

/** Each item's seqs: every update of an item gets its document's record seq. */
export function seqsOfItems(items: readonly AppendItem[], batch: GroupedBatch, recordSeqs: readonly number[]): number[][] {
  return items.map((item, index) => {
    const seq = recordSeqs[batch.documentOfItem[index] as number] as number;
    return item.updates.map(() => seq);
  });
}
