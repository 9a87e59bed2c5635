/** Messages between the main thread and the SQLite writer worker. */

export interface AppendItem {
  documentId: string;
  updates: Uint8Array[];
}

export type WriterRequest =
  | { op: 'append'; items: AppendItem[] }
  | { op: 'compact'; documentId: string; snapshot: Uint8Array; upToSeq: number; createdAt: string }
  | { op: 'compactInStore'; documentId: string; upToSeq: number; createdAt: string }
  | { op: 'ping' }
  | { op: 'transaction'; statements: WriteStatement[] };

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
