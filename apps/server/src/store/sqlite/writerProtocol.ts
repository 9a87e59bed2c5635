/** Messages between the main thread and the SQLite writer worker. */

export type WriterRequest =
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
  /**
   * Compactor only: the replayed state up to `upToSeq` (stored snapshot, rows from before the
   * journal, and the given journal records), or null if there is nothing to compact.
   */
  | { op: 'replay'; documentId: string; upToSeq: number; journal: JournalPlace[] }
  | { op: 'ping' }
  | { op: 'transaction'; statements: WriteStatement[] };

/** Where one journal record lies (read by the compactor thread). */
export interface JournalPlace {
  path: string;
  offset: number;
  length: number;
}

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
