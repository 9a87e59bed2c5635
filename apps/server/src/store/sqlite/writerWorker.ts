/**
 * The SQLite writer. Runs in a worker thread so that an fsync (synchronous=FULL) never blocks
 * the main event loop. It is the only connection that writes; the main thread reads through
 * its own connection (WAL lets readers and the writer proceed side by side).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { AppendItem, WriterRequest, WriterRequestEnvelope, WriterResponse, WriterWorkerData } from './writerProtocol.js';

const { filename, busyTimeoutMs } = workerData as WriterWorkerData;
const db = new Database(filename);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);

const insertUpdate = db.prepare('INSERT INTO document_updates (document_id, data) VALUES (?, ?)');
const appendAll = db.transaction((items: AppendItem[]): number[][] =>
  items.map((item) => item.updates.map((update) => Number(insertUpdate.run(item.documentId, update).lastInsertRowid))),
);

const upsertSnapshot = db.prepare(
  `INSERT INTO document_snapshots (document_id, seq, data, created_at) VALUES (?, ?, ?, ?)
   ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, created_at = excluded.created_at
   WHERE excluded.seq > document_snapshots.seq`,
);
const deleteCovered = db.prepare('DELETE FROM document_updates WHERE document_id = ? AND seq <= ?');
const compact = db.transaction((documentId: string, snapshot: Uint8Array, upToSeq: number, createdAt: string) => {
  const written = upsertSnapshot.run(documentId, upToSeq, snapshot, createdAt).changes > 0;
  if (written) deleteCovered.run(documentId, upToSeq);
  return written;
});

const insertDocument = db.prepare(
  `INSERT INTO documents (id, type, title, visibility, created_at, updated_at)
   VALUES (@id, @type, @title, @visibility, @createdAt, @updatedAt)`,
);
const updateTitle = db.prepare('UPDATE documents SET title = ?, updated_at = ? WHERE id = ?');

function handle(request: WriterRequest): unknown {
  switch (request.op) {
    case 'append':
      return appendAll(request.items);
    case 'compact':
      return compact(request.documentId, request.snapshot, request.upToSeq, request.createdAt);
    case 'createDocument':
      insertDocument.run(request.record);
      return null;
    case 'updateTitle':
      return updateTitle.run(request.title, request.updatedAt, request.documentId).changes > 0;
    case 'ping':
      return db.prepare('SELECT 1 AS one').get();
  }
}

parentPort?.on('message', (envelope: WriterRequestEnvelope) => {
  let response: WriterResponse;
  try {
    response = { requestId: envelope.requestId, ok: true, result: handle(envelope.request) };
  } catch (error) {
    const err = error as { message?: string; code?: string };
    response = {
      requestId: envelope.requestId,
      ok: false,
      error: { message: err.message ?? String(error), ...(err.code ? { code: err.code } : {}) },
    };
  }
  parentPort?.postMessage(response);
});
