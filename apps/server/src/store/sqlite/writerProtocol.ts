/** Messages between the main thread and the SQLite writer worker. */

export interface AppendItem {
  documentId: string;
  updates: Uint8Array[];
}

/**
 * One document's share of an append batch: its updates lie back to back in the batch's
 * buffer, starting at `offset`, with these byte lengths (in commit order). The writer stores
 * them as one row.
 */
export interface AppendDocument {
  documentId: string;
  offset: number;
  sizes: number[];
}

export type WriterRequest =
  /**
   * One commit: a row per document. `data` holds every update of the batch back to back and is
   * transferred, not copied. Answers with each document's row seq, in `documents` order.
   */
  | { op: 'append'; documents: AppendDocument[]; data: ArrayBuffer }
  /**
   * Stores a snapshot covering the updates up to `upToSeq` (compare-and-set: refused if a
   * snapshot covering as much is stored). Answers whether it was written. The covered rows
   * stay until `prune` removes them (a load skips them: they are not after the snapshot).
   */
  | { op: 'compact'; documentId: string; snapshot: Uint8Array; upToSeq: number; createdAt: string }
  /**
   * Deletes at most `limit` rows in all, in `jobs` order, of each document's rows with
   * seq ≤ `upToSeq` that a stored snapshot covers, in one commit. Answers, per job, whether the
   * document has no such rows left. Run in chunks so that appends are never held up behind one
   * long delete.
   */
  | { op: 'prune'; jobs: PruneJob[]; limit: number }
  /** Compactor only: the replayed state up to `upToSeq`, or null if there is nothing to compact. */
  | { op: 'replay'; documentId: string; upToSeq: number }
  | { op: 'ping' }
  | { op: 'transaction'; statements: WriteStatement[] };

/** One document's covered rows to delete (see the `prune` request). */
export interface PruneJob {
  documentId: string;
  upToSeq: number;
}

/**
 * One parameterised write of the relational repositories. If `expectChanges` is set and the
 * statement changes a different number of rows, the whole transaction is rolled back and the
 * request fails with code `SAMVERKAN_EXPECTATION` (used for compare-and-set writes).
 */
export interface WriteStatement {
  sql: string;
  params: readonly (string | number | null)[];
  expectChanges?: number;
}

/** Result of one statement of a `transaction`. */
export interface WriteResult {
  changes: number;
}

export interface WriterRequestEnvelope {
  requestId: number;
  request: WriterRequest;
}

export type WriterResponse =
  | { requestId: number; ok: true; result: unknown }
  | { requestId: number; ok: false; error: { message: string; code?: string } };

/** Worker start-up data. */
export interface WriterWorkerData {
  filename: string;
  busyTimeoutMs: number;
}
