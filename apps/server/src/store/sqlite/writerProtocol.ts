/** Messages between the main thread and the SQLite writer worker. */

export interface AppendItem {
  documentId: string;
  updates: Uint8Array[];
}

export type WriterRequest =
  | { op: 'append'; items: AppendItem[] }
  | { op: 'compact'; documentId: string; snapshot: Uint8Array; upToSeq: number; createdAt: string }
  | {
      op: 'createDocument';
      record: { id: string; type: string; title: string; visibility: string; createdAt: string; updatedAt: string };
    }
  | { op: 'updateTitle'; documentId: string; title: string; updatedAt: string }
  | { op: 'ping' };

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
