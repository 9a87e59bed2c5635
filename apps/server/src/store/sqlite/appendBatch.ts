import type { AppendDocument, AppendItem } from './writerProtocol.js';

/** An append batch ready for the writer: one buffer to transfer and each document's share of it. */
export interface PackedBatch {
  documents: AppendDocument[];
  data: ArrayBuffer;
  /** Index into `documents` of each submitted item (to hand every item its row's seq). */
  documentOfItem: number[];
}

/**
 * Packs a batch of appends into one buffer, grouped by document and in submit order within each
 * document, so the writer stores one row per document and commit.
 *
 * The updates are copied: an update received from a socket is a view into a larger read buffer,
 * and posting it to the worker would otherwise clone that whole buffer. One exact-size buffer is
 * transferred instead (no second copy).
 */
export function packAppendBatch(items: readonly AppendItem[]): PackedBatch {
  const byDocument = new Map<string, { index: number; updates: Uint8Array[] }>();
  const documentOfItem: number[] = [];
  let total = 0;
  for (const item of items) {
    let group = byDocument.get(item.documentId);
    if (!group) {
      group = { index: byDocument.size, updates: [] };
      byDocument.set(item.documentId, group);
    }
    for (const update of item.updates) {
      group.updates.push(update);
      total += update.byteLength;
    }
    documentOfItem.push(group.index);
  }
  const bytes = new Uint8Array(total);
  const documents: AppendDocument[] = [];
  let offset = 0;
  for (const [documentId, group] of byDocument) {
    const start = offset;
    const sizes: number[] = [];
    for (const update of group.updates) {
      bytes.set(update, offset);
      offset += update.byteLength;
      sizes.push(update.byteLength);
    }
    documents.push({ documentId, offset: start, sizes });
  }
  return { documents, data: bytes.buffer, documentOfItem };
}

/** Each item's seqs: every update of an item gets its document's row seq. */
export function seqsOfItems(items: readonly AppendItem[], batch: PackedBatch, rowSeqs: readonly number[]): number[][] {
  return items.map((item, index) => {
    const seq = rowSeqs[batch.documentOfItem[index] as number] as number;
    return item.updates.map(() => seq);
  });
}
